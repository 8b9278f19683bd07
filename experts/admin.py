from django.contrib import admin

from experts.models import Accreditation, Deployment, ExpertProfile, Pool, Slot


@admin.register(Pool)
class PoolAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "specialty"]
    list_filter = ["kind", "region"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["person", "home_member", "region", "years_experience"]
    list_filter = ["region"]
    list_select_related = ["person", "home_member", "region"]
    raw_id_fields = ["person", "home_member", "confirmed_by"]
    search_fields = ["person__last_name", "person__first_name"]


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    """Read here; accreditations move only through experts.services."""

    list_display = ["profile", "pool", "status", "expires_on"]
    list_filter = ["status", "pool"]
    readonly_fields = ["status"]
    raw_id_fields = ["profile", "workshop_participation", "supervised_deployment", "nominated_by"]


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["activity", "role", "pool", "language"]
    raw_id_fields = ["activity"]


@admin.register(Deployment)
class DeploymentAdmin(admin.ModelAdmin):
    list_display = ["profile", "slot", "status", "start_date"]
    list_filter = ["status"]
    readonly_fields = ["status"]
    raw_id_fields = ["profile", "slot", "proposed_by"]
