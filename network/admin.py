from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from network.models import Committee, CommitteeMembership, Member, Office, OfficeLocation, Region, Source


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "confidence"]
    search_fields = ["name", "code"]


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ["name", "iso_alpha2", "iso_alpha3", "region", "confidence"]
    list_filter = ["region", "confidence"]
    list_select_related = ["region"]
    search_fields = ["name", "iso_alpha2", "iso_alpha3"]


class OfficeLocationInline(admin.TabularInline):
    model = OfficeLocation
    extra = 0


@admin.register(Office)
class OfficeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "region", "city", "confidence"]
    list_filter = ["kind", "region", "confidence"]
    list_select_related = ["region"]
    search_fields = ["name", "city", "country", "institution"]
    inlines = [OfficeLocationInline]


class CommitteeMembershipInline(admin.TabularInline):
    model = CommitteeMembership
    extra = 0
    autocomplete_fields = ["member", "office"]


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "relation", "is_virtual"]
    list_filter = ["relation"]
    inlines = [CommitteeMembershipInline]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "section", "url"]
    search_fields = ["key", "description"]
