from django.contrib import admin

from surveys.models import BankQuestion, Questionnaire, QuestionnaireVersion, Wave


class VersionInline(admin.TabularInline):
    model = QuestionnaireVersion
    extra = 0
    fields = ["number", "created_at"]
    readonly_fields = ["number", "created_at"]
    can_delete = False


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["code", "purpose", "is_template", "owner_office"]
    list_filter = ["purpose", "is_template"]
    search_fields = ["code"]
    inlines = [VersionInline]


@admin.register(Wave)
class WaveAdmin(admin.ModelAdmin):
    list_display = [
        "questionnaire",
        "stage",
        "activity",
        "region",
        "year",
        "opens_on",
        "closes_on",
        "sent_at",
    ]
    list_filter = ["stage", "region", "anonymous"]
    list_select_related = ["questionnaire", "activity", "region"]
    raw_id_fields = ["activity"]


@admin.register(BankQuestion)
class BankQuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "kind"]
    search_fields = ["code"]
