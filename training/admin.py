from django.contrib import admin

from training.models import (
    Competency,
    CompetencyArea,
    CompetencyFramework,
    Completion,
    Institution,
    LearningPlatform,
    Module,
    Product,
    RecognitionApplication,
    Session,
)


class AreaInline(admin.TabularInline):
    model = CompetencyArea
    extra = 0


@admin.register(CompetencyFramework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "member")
    inlines = [AreaInline]


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "area", "is_retired")
    list_filter = ("area__framework", "area__level", "is_retired")
    search_fields = ("code", "name", "name_fr")


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ("position", "title", "hours")


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("title", "owner_office", "kind", "level", "status", "version")
    list_filter = ("status", "kind", "level", "owner_office__region")
    search_fields = ("title", "title_fr")
    raw_id_fields = ("materials",)
    filter_horizontal = ("topics", "competencies")
    inlines = [ModuleInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("product", "activity", "version")
    raw_id_fields = ("activity", "product", "version")


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "country")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(RecognitionApplication)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("programme", "institution", "status", "decided_on", "expires_on")
    list_filter = ("status",)
    raw_id_fields = ("documents", "applicant", "renews")


@admin.register(LearningPlatform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ("name", "office", "is_active")
    exclude = ("token_hash",)


@admin.register(Completion)
class CompletionAdmin(admin.ModelAdmin):
    list_display = ("person", "product", "status", "completed_on", "source")
    list_filter = ("status", "source")
    raw_id_fields = ("person", "product", "platform")
