from django.contrib import admin

from results.models import Actual, Indicator, ProgressReport, Result, Risk, StrategicObjective, Target


@admin.register(StrategicObjective)
class StrategicObjectiveAdmin(admin.ModelAdmin):
    list_display = ("code", "title_en", "position")
    filter_horizontal = ("programmes",)
    raw_id_fields = ("activities",)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("title_en", "measure", "unit", "baseline_value")


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ("__str__", "programme", "level", "is_published")
    list_filter = ("level", "is_published")
    inlines = [IndicatorInline]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class ActualInline(admin.TabularInline):
    model = Actual
    extra = 0
    raw_id_fields = ("evidence_document", "evidence_activity")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("__str__", "result", "measure")
    inlines = [TargetInline, ActualInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "approved_at")
    list_filter = ("status", "year")


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
    list_display = ("__str__", "programme", "likelihood", "impact", "status")
