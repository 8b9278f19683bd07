"""The conferences in the Django admin, for the Secretariat's repairs. The pages and
conferences.services are the way to work: the admin does not send mail, audit or check deadlines."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from conferences.models import (
    ActivityReading,
    Assignment,
    AuditEntry,
    Authorship,
    Bid,
    Call,
    Comment,
    Conference,
    ConflictPin,
    DeclaredConflict,
    ProgrammeSession,
    Review,
    Reviewer,
    ReviewPhase,
    StandingConflict,
    Submission,
    SubmissionFile,
)


@admin.register(Conference)
class ConferenceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "number", "year", "city", "country", "region"]
    list_filter = ["kind", "region", "year"]
    list_select_related = ["region"]
    search_fields = ["title", "theme", "city", "country", "host"]


class ReviewPhaseInline(admin.TabularInline):
    model = ReviewPhase
    extra = 0
    fields = ["name", "position", "starts_at", "ends_at", "is_active", "may_review", "sees_all_papers"]


@admin.register(Call)
class CallAdmin(SimpleHistoryAdmin):
    list_display = ["title", "conference", "status", "review_mode", "abstract_deadline", "paper_deadline"]
    list_filter = ["status", "review_mode"]
    list_select_related = ["conference"]
    search_fields = ["title", "conference__title"]
    raw_id_fields = ["conference"]
    filter_horizontal = ["topics"]
    inlines = [ReviewPhaseInline]


@admin.register(ReviewPhase)
class ReviewPhaseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "call", "position", "is_active", "may_review", "sees_all_papers", "other_reviews"]
    list_filter = ["is_active", "other_reviews"]
    list_select_related = ["call"]
    raw_id_fields = ["call"]


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 0
    fields = ["person", "position", "affiliation_kind", "institution", "member", "office", "is_contact"]
    raw_id_fields = ["person", "member", "office"]


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "call", "status", "language", "on_behalf_of", "submitted_at", "decided_at"]
    list_filter = ["status", "language", "on_behalf_of"]
    list_select_related = ["call", "on_behalf_of"]
    search_fields = ["title", "abstract"]
    raw_id_fields = [
        "call",
        "recommended_document",
        "recommended_by",
        "created_by",
        "published_document",
    ]
    filter_horizontal = ["topics"]
    readonly_fields = ["submitted_at", "decided_at"]
    inlines = [AuthorshipInline]


@admin.register(Authorship)
class AuthorshipAdmin(admin.ModelAdmin):
    list_display = ["person", "submission", "position", "affiliation_kind", "is_contact"]
    list_filter = ["affiliation_kind", "is_contact"]
    list_select_related = ["person", "submission"]
    search_fields = ["person__last_name", "person__first_name", "institution", "submission__title"]
    raw_id_fields = ["submission", "person", "member", "office"]


@admin.register(SubmissionFile)
class SubmissionFileAdmin(admin.ModelAdmin):
    list_display = ["filename", "submission", "number", "stage", "size", "created_at"]
    list_filter = ["stage"]
    list_select_related = ["submission"]
    search_fields = ["filename", "submission__title", "sha256"]
    raw_id_fields = ["submission", "uploaded_by"]
    readonly_fields = ["sha256", "size", "content_type"]


@admin.register(DeclaredConflict)
class DeclaredConflictAdmin(admin.ModelAdmin):
    list_display = ["submission", "person", "kind"]
    list_filter = ["kind"]
    list_select_related = ["submission", "person"]
    search_fields = ["person__last_name", "submission__title"]
    raw_id_fields = ["submission", "person"]


@admin.register(Reviewer)
class ReviewerAdmin(SimpleHistoryAdmin):
    list_display = ["person", "conference", "kind", "on_committee", "institution", "max_load"]
    list_filter = ["kind", "on_committee"]
    list_select_related = ["person", "conference"]
    search_fields = ["person__last_name", "person__first_name", "institution", "expertise"]
    raw_id_fields = ["conference", "person"]
    filter_horizontal = ["topics"]


@admin.register(StandingConflict)
class StandingConflictAdmin(SimpleHistoryAdmin):
    list_display = ["person", "other_person", "member", "institution", "kind"]
    list_filter = ["kind"]
    list_select_related = ["person", "other_person", "member"]
    search_fields = ["person__last_name", "other_person__last_name", "institution"]
    raw_id_fields = ["person", "other_person", "member"]


@admin.register(Bid)
class BidAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "submission", "value"]
    list_filter = ["value"]
    list_select_related = ["reviewer__person", "submission"]
    raw_id_fields = ["reviewer", "submission"]


@admin.register(ConflictPin)
class ConflictPinAdmin(SimpleHistoryAdmin):
    list_display = ["submission", "reviewer", "is_conflict", "kind", "decided_by"]
    list_filter = ["is_conflict", "kind"]
    list_select_related = ["submission", "reviewer__person", "decided_by"]
    search_fields = ["justification", "submission__title"]
    raw_id_fields = ["submission", "reviewer", "decided_by"]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["submission", "reviewer", "affinity", "by_hand", "assigned_by"]
    list_filter = ["by_hand"]
    list_select_related = ["submission", "reviewer__person", "assigned_by"]
    search_fields = ["submission__title", "reviewer__person__last_name"]
    raw_id_fields = ["submission", "reviewer", "assigned_by"]


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["assignment", "confidence", "submitted_at"]
    list_filter = [("submitted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["assignment__submission", "assignment__reviewer__person"]
    search_fields = ["assignment__submission__title", "assignment__reviewer__person__last_name"]
    raw_id_fields = ["assignment"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["submission", "author", "created_at"]
    list_select_related = ["submission", "author"]
    search_fields = ["text", "submission__title"]
    raw_id_fields = ["submission", "author"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log, read only."""

    list_display = ["created_at", "call", "action", "detail", "user"]
    list_filter = ["action"]
    list_select_related = ["call", "user"]
    search_fields = ["action", "detail"]
    raw_id_fields = ["call", "submission", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProgrammeSession)
class ProgrammeSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "conference", "starts_at", "ends_at", "room", "chair"]
    list_filter = ["conference"]
    list_select_related = ["conference", "chair"]
    search_fields = ["title", "room"]
    raw_id_fields = ["conference", "chair", "papers"]


@admin.register(ActivityReading)
class ActivityReadingAdmin(admin.ModelAdmin):
    list_display = ["activity", "submission"]
    list_select_related = ["activity", "submission"]
    raw_id_fields = ["activity", "submission"]
