from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import user_set_role


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ["role", "region", "office", "member"]}),
    ]
    list_display = ["username", "first_name", "last_name", "role", "region", "is_staff"]
    list_filter = ["role", "region", "is_staff", "is_active"]
    list_select_related = ["region"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The service derives the region kept for RTC coordinators and focal points.
        user_set_role(user=obj, role=obj.role, region=obj.region, office=obj.office, member=obj.member)
