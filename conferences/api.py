"""REST endpoints under /api/conferences/: conferences, calls for papers (with their review phases
and topics), submissions (with the authors the caller may see), the reviewer pool, assignments,
reviews and the programme. Read-only: conferences, papers and reviews are written on the pages,
through conferences.services.

What a caller sees is what the policies give them (`conferences.policies`), and two things more
are held back here: a submission's authors come from the restricted Authorship rows, never from
the plain relation (so a double-blind call hides them from its reviewers), and a review's comments
to the committee are left out of the answer unless the caller chairs the conference."""

from __future__ import annotations

from django.db.models import Prefetch
from rest_framework import routers, serializers

from conferences.filtersets import (
    AssignmentFilterSet,
    CallFilterSet,
    ConferenceFilterSet,
    ReviewerFilterSet,
    ReviewFilterSet,
    SubmissionFilterSet,
)
from conferences.models import (
    Assignment,
    Authorship,
    Call,
    Conference,
    ProgrammeSession,
    Review,
    Reviewer,
    ReviewPhase,
    Submission,
)
from conferences.services import is_chair
from core.api import ScopedReadOnlyViewSet

# Numbers as plain integers: the model's small-integer bounds differ between SQLite and
# PostgreSQL, and the schema must be one and the same on both.


class ConferenceSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(read_only=True, allow_null=True)
    year = serializers.IntegerField(read_only=True)
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Conference
        fields = [
            "id",
            "kind",
            "number",
            "title",
            "year",
            "dates",
            "starts_on",
            "ends_on",
            "city",
            "country",
            "format",
            "host",
            "theme",
            "region",
            "host_office",
        ]
        read_only_fields = fields


class ConferenceViewSet(ScopedReadOnlyViewSet):
    queryset = Conference.objects.select_related("region")
    serializer_class = ConferenceSerializer
    filterset_class = ConferenceFilterSet


class ReviewPhaseSerializer(serializers.ModelSerializer):
    position = serializers.IntegerField(read_only=True)

    class Meta:
        model = ReviewPhase
        fields = [
            "id",
            "name",
            "position",
            "starts_at",
            "ends_at",
            "is_active",
            "may_review",
            "sees_all_papers",
            "other_reviews",
            "author_names_shown",
            "may_bid",
        ]
        read_only_fields = fields


class CallSerializer(serializers.ModelSerializer):
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    abstract_max_words = serializers.IntegerField(read_only=True)
    paper_max_pages = serializers.IntegerField(read_only=True)
    reviewers_per_paper = serializers.IntegerField(read_only=True)
    reviewer_load = serializers.IntegerField(read_only=True)
    phases = ReviewPhaseSerializer(many=True, read_only=True)

    class Meta:
        model = Call
        fields = [
            "id",
            "conference",
            "title",
            "status",
            "themes",
            "topics",
            "abstract_deadline",
            "paper_deadline",
            "camera_ready_deadline",
            "languages",
            "abstract_max_words",
            "paper_max_pages",
            "review_mode",
            "reviewers_per_paper",
            "reviewer_load",
            "phases",
        ]
        read_only_fields = fields


class CallViewSet(ScopedReadOnlyViewSet):
    # Phases are public (their policy), so the plain relation shows no more than the call does.
    queryset = Call.objects.prefetch_related("topics", "phases")
    serializer_class = CallSerializer
    filterset_class = CallFilterSet


class AuthorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.__str__", read_only=True)
    position = serializers.IntegerField(read_only=True)
    affiliation = serializers.CharField(read_only=True)
    member = serializers.SlugRelatedField(slug_field="iso_alpha2", read_only=True)

    class Meta:
        model = Authorship
        fields = ["person", "name", "position", "affiliation_kind", "affiliation", "member", "is_contact"]
        read_only_fields = fields


class SubmissionSerializer(serializers.ModelSerializer):
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    on_behalf_of = serializers.SerializerMethodField()
    authors = AuthorSerializer(source="visible_authorships", many=True, read_only=True)

    def get_on_behalf_of(self, submission) -> str | None:
        """The region whose series submitted it names the authors' side: shown with the authors only."""
        if submission.on_behalf_of_id and getattr(submission, "visible_authorships", None):
            return submission.on_behalf_of.slug
        return None

    class Meta:
        model = Submission
        fields = [
            "id",
            "call",
            "title",
            "abstract",
            "topics",
            "language",
            "status",
            "on_behalf_of",
            "submitted_at",
            "decided_at",
            "published_document",
            "authors",
        ]
        read_only_fields = fields


def visible_authorships(user) -> Prefetch:
    """The authors of each submission the user may see, read with the list (one query)."""
    return Prefetch(
        "authorships",
        queryset=Authorship.objects.restrict(user).select_related("person", "member", "office"),
        to_attr="visible_authorships",
    )


class SubmissionViewSet(ScopedReadOnlyViewSet):
    """Papers in the caller's scope; `authors` lists only the authors the caller may see (none to
    the reviewers of a double-blind call)."""

    queryset = Submission.objects.select_related("on_behalf_of").prefetch_related("topics")
    serializer_class = SubmissionSerializer
    filterset_class = SubmissionFilterSet

    def get_queryset(self):
        return super().get_queryset().prefetch_related(visible_authorships(self.request.user))

    def get_object(self):
        submission = super().get_object()
        # get_object reads from the unrestricted base queryset: fetch the visible authors here.
        submission.visible_authorships = list(
            Authorship.objects.restrict(self.request.user)
            .filter(submission=submission)
            .select_related("person", "member", "office")
        )
        return submission


class ReviewerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.__str__", read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    max_load = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Reviewer
        fields = [
            "id",
            "conference",
            "person",
            "name",
            "kind",
            "on_committee",
            "institution",
            "expertise",
            "topics",
            "languages",
            "max_load",
        ]
        read_only_fields = fields


class ReviewerViewSet(ScopedReadOnlyViewSet):
    queryset = Reviewer.objects.select_related("person").prefetch_related("topics")
    serializer_class = ReviewerSerializer
    filterset_class = ReviewerFilterSet


class AssignmentSerializer(serializers.ModelSerializer):
    call = serializers.IntegerField(source="submission.call_id", read_only=True)
    reviewer_name = serializers.CharField(source="reviewer.person.__str__", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "call",
            "submission",
            "reviewer",
            "reviewer_name",
            "affinity",
            "explanation",
            "by_hand",
        ]
        read_only_fields = fields


class AssignmentViewSet(ScopedReadOnlyViewSet):
    queryset = Assignment.objects.select_related("submission", "reviewer__person")
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet


class ReviewSerializer(serializers.ModelSerializer):
    submission = serializers.IntegerField(source="assignment.submission_id", read_only=True)
    relevance = serializers.IntegerField(read_only=True, allow_null=True)
    originality = serializers.IntegerField(read_only=True, allow_null=True)
    rigour = serializers.IntegerField(read_only=True, allow_null=True)
    practical_value = serializers.IntegerField(read_only=True, allow_null=True)
    clarity = serializers.IntegerField(read_only=True, allow_null=True)
    confidence = serializers.IntegerField(read_only=True, allow_null=True)
    overall = serializers.FloatField(read_only=True, allow_null=True)
    # Not read_only, so that the schema does not list it as always present: it is left out of the
    # answer for anyone who does not chair the conference. The endpoint takes no writes.
    to_committee = serializers.CharField(
        required=False, help_text="Comments to the committee: present only for the conference's chairs."
    )

    class Meta:
        model = Review
        fields = [
            "id",
            "assignment",
            "submission",
            "relevance",
            "originality",
            "rigour",
            "practical_value",
            "clarity",
            "confidence",
            "overall",
            "to_authors",
            "to_committee",
            "submitted_at",
        ]
        read_only_fields = [name for name in fields if name != "to_committee"]

    def to_representation(self, review):
        data = super().to_representation(review)
        request = self.context.get("request")
        user = request.user if request is not None else None
        if user is None or not is_chair(user, review.assignment.submission.call.conference):
            data.pop("to_committee", None)
        return data


class ReviewViewSet(ScopedReadOnlyViewSet):
    """Reviews in the caller's scope, without the reviewer's name; the comments to the committee
    only for the conference's chairs."""

    queryset = Review.objects.select_related("assignment__submission__call__conference")
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilterSet


class SessionPaperSerializer(serializers.ModelSerializer):
    class Meta:
        model = Submission
        fields = ["id", "title"]
        read_only_fields = fields


class ProgrammeSessionSerializer(serializers.ModelSerializer):
    chair = serializers.SerializerMethodField()
    papers = SessionPaperSerializer(source="visible_papers", many=True, read_only=True)

    class Meta:
        model = ProgrammeSession
        fields = ["id", "conference", "title", "chair", "starts_at", "ends_at", "room", "papers"]
        read_only_fields = fields

    def get_chair(self, session) -> str | None:
        return str(session.chair) if session.chair else None


def visible_papers(user) -> Prefetch:
    return Prefetch("papers", queryset=Submission.objects.restrict(user), to_attr="visible_papers")


class ProgrammeSessionViewSet(ScopedReadOnlyViewSet):
    """The programme: sessions with the papers the caller may see."""

    queryset = ProgrammeSession.objects.select_related("chair")
    serializer_class = ProgrammeSessionSerializer
    filterset_fields = ["conference"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related(visible_papers(self.request.user))

    def get_object(self):
        session = super().get_object()
        session.visible_papers = list(Submission.objects.restrict(self.request.user).filter(sessions=session))
        return session


router = routers.DefaultRouter()
router.register("conferences", ConferenceViewSet)
router.register("calls", CallViewSet)
router.register("submissions", SubmissionViewSet)
router.register("reviewers", ReviewerViewSet)
router.register("assignments", AssignmentViewSet)
router.register("reviews", ReviewViewSet)
router.register("sessions", ProgrammeSessionViewSet)
