from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from activities.models import Activity, AssistanceRequest, Programme, Project, ServiceItem


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_fr", "category", "is_active", "position"]
    list_editable = ["is_active", "position"]


class ProjectInline(admin.TabularInline):
    model = Project
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "lead_office", "start_date", "end_date"]
    list_select_related = ["lead_office"]
    inlines = [ProjectInline]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    """Read-mostly: status moves go through the activity page, which records each transition."""

    list_display = ["title", "kind", "status", "start_date", "lead_office", "region"]
    list_filter = ["kind", "status", "region"]
    list_select_related = ["lead_office", "region"]
    search_fields = ["title"]
    readonly_fields = ["status"]
    raw_id_fields = ["project", "host_member", "funding_agreement"]
    filter_horizontal = ["topics", "organising_offices", "beneficiary_members"]


@admin.register(AssistanceRequest)
class AssistanceRequestAdmin(admin.ModelAdmin):
    list_display = ["member", "service", "urgency", "status", "created_at"]
    list_filter = ["status", "urgency", "region"]
    list_select_related = ["member", "service"]
    readonly_fields = ["status", "merged_into", "activity"]
