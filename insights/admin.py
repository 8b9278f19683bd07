from django.contrib import admin

from insights.models import AnnualReport


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = ("office", "year", "status", "generated_at")
    list_filter = ("status", "year")
    raw_id_fields = ("job", "document")
    readonly_fields = ("figures", "generated_at", "generated_by", "approved_by")
