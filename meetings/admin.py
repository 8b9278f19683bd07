"""Meetings in the Django admin, for the Secretariat's repairs. The pages and meetings.services are
the way to work: the admin does not number decisions, follow the workflow, lock approved minutes or
send mail."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from meetings.models import (
    ActionItem,
    AgendaItem,
    Amendment,
    Decision,
    DecisionState,
    Invitation,
    Meeting,
    Minutes,
    ProgressUpdate,
)


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["member", "office", "person", "status", "delegates", "attended"]
    raw_id_fields = ["member", "office", "person"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "kind", "title", "presenters", "starts_at", "minutes"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "committee", "region", "number", "starts_on", "ends_on", "mode", "status"]
    list_filter = ["status", "mode", "region", "committee"]
    list_select_related = ["committee", "region"]
    search_fields = ["title", "series", "venue"]
    date_hierarchy = "starts_on"
    raw_id_fields = ["host_member", "host_office", "created_by"]
    filter_horizontal = ["organisers"]
    inlines = [InvitationInline, AgendaItemInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "status", "delegates", "attended"]
    list_filter = ["status", "attended"]
    list_select_related = ["meeting", "member", "office", "person"]
    search_fields = ["meeting__title", "office__name", "member__name", "person__last_name"]
    raw_id_fields = ["meeting", "member", "office", "person"]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "position", "kind", "presenters"]
    list_filter = ["kind"]
    list_select_related = ["meeting"]
    search_fields = ["title", "summary", "meeting__title"]
    raw_id_fields = ["meeting", "documents"]


class NextStateInline(admin.TabularInline):
    model = DecisionState.next_states.through
    fk_name = "from_decisionstate"
    extra = 0
    verbose_name = "next state"
    verbose_name_plural = "next states"


@admin.register(DecisionState)
class DecisionStateAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr", "position", "numbers", "is_final", "is_initial"]
    list_editable = ["position"]
    exclude = ["next_states"]
    inlines = [NextStateInline]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "kind", "state", "number", "is_public"]
    list_filter = ["state", "kind", "is_public"]
    list_select_related = ["meeting", "state"]
    search_fields = ["text_en", "text_fr", "meeting__title"]
    raw_id_fields = ["item"]


class AmendmentInline(admin.TabularInline):
    model = Amendment
    extra = 0
    fields = ["author", "text", "accepted"]
    raw_id_fields = ["author"]


@admin.register(Minutes)
class MinutesAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "status", "version", "approved_at"]
    list_filter = ["status"]
    list_select_related = ["meeting", "approved_at"]
    search_fields = ["meeting__title", "text"]
    raw_id_fields = ["meeting", "approved_at"]
    inlines = [AmendmentInline]


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "minutes", "author", "accepted"]
    list_filter = ["accepted"]
    list_select_related = ["minutes__meeting", "author"]
    search_fields = ["text"]
    raw_id_fields = ["minutes", "author"]


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    fields = ["on", "text", "status", "author"]
    raw_id_fields = ["author"]


@admin.register(ActionItem)
class ActionItemAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "due_on", "status", "reminded_on"]
    list_filter = ["status"]
    list_select_related = ["meeting"]
    search_fields = ["what", "meeting__title"]
    date_hierarchy = "due_on"
    raw_id_fields = ["item", "decision", "activity", "document", "submission"]
    filter_horizontal = ["owners"]
    readonly_fields = ["reminded_on"]
    inlines = [ProgressUpdateInline]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["__str__", "action", "on", "status", "author"]
    list_filter = ["status"]
    list_select_related = ["action", "author"]
    search_fields = ["text", "action__what"]
    raw_id_fields = ["action", "author"]
