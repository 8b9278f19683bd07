"""PICARD and regional research conferences: calls for papers, submissions with their authors and
files, the reviewer pool with standing conflicts and bids, conflict pins, assignments, reviews and
their phases, discussion, decisions, the programme, and the audit log.

Authors and reviewers are `people.Person` rows: a person signs in through `Person.user`, so a
researcher, an expert or an officer is one identity across activities, expert pools and
conferences. A conference's chairs are not rows: they are the Secretariat, and for a regional
conference the hosting region's ROCB officers (`conferences.policies`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import ScopedModel, SourcedModel


class ConferenceKind(models.TextChoices):
    PICARD = "picard", _("PICARD conference")
    REGIONAL = "regional", _("Regional research conference")


class Conference(SourcedModel):
    """A PICARD conference (the Secretariat's) or a regional research conference (an ROCB's)."""

    kind = models.CharField(
        _("kind"), max_length=10, choices=ConferenceKind.choices, default=ConferenceKind.PICARD
    )
    number = models.PositiveSmallIntegerField(_("edition"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    dates = models.CharField(_("dates as published"), max_length=100, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    format = models.CharField(_("format"), max_length=60, blank=True)
    host = models.CharField(_("host or co-organiser"), max_length=300, blank=True)
    theme = models.TextField(_("theme or focus"), blank=True)
    region = models.ForeignKey(
        "network.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conferences",
        verbose_name=_("hosting region"),
        help_text=_("For a regional research conference: the region whose ROCB hosts it."),
    )
    host_office = models.ForeignKey(
        "network.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="conferences"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number"], condition=models.Q(kind="picard"), name="one_picard_edition"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # The hosting region makes its ROCB officers chairs: a PICARD edition is the Secretariat's.
        if self.kind == ConferenceKind.PICARD and self.region_id:
            raise ValidationError({"region": _("A PICARD conference has no hosting region.")})
        if self.kind == ConferenceKind.REGIONAL and not self.region_id:
            raise ValidationError({"region": _("A regional research conference needs its hosting region.")})

    def get_absolute_url(self) -> str:
        return reverse("conferences:conference_detail", args=[self.pk])


class ReviewMode(models.TextChoices):
    SINGLE_BLIND = "single", _("Single-blind (reviewers see the authors)")
    DOUBLE_BLIND = "double", _("Double-blind (authors hidden from reviewers)")


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for submissions")
    REVIEW = "review", _("Under review")
    DECIDED = "decided", _("Decisions sent")


class Call(ScopedModel):
    """A call for papers of a conference: themes, deadlines, languages, limits and the review mode."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="calls")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=8, choices=CallStatus.choices, default=CallStatus.DRAFT)
    themes = models.TextField(_("themes"), blank=True, help_text=_("Free text, beside the topics."))
    topics = models.ManyToManyField(
        "topics.Topic", blank=True, related_name="calls", verbose_name=_("topics")
    )
    abstract_deadline = models.DateTimeField(_("abstract deadline"))
    paper_deadline = models.DateTimeField(_("full paper deadline"))
    camera_ready_deadline = models.DateTimeField(_("camera-ready deadline"))
    languages = models.JSONField(_("languages"), default=list)
    abstract_max_words = models.PositiveIntegerField(_("abstract length limit (words)"), default=300)
    paper_max_pages = models.PositiveIntegerField(_("paper length limit (pages)"), default=25)
    review_mode = models.CharField(
        _("review"), max_length=6, choices=ReviewMode.choices, default=ReviewMode.DOUBLE_BLIND
    )
    reviewers_per_paper = models.PositiveSmallIntegerField(_("reviewers per paper"), default=3)
    reviewer_load = models.PositiveSmallIntegerField(_("papers per reviewer at most"), default=8)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-paper_deadline", "-pk"]
        verbose_name = _("call for papers")
        verbose_name_plural = _("calls for papers")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("conferences:call_detail", args=[self.pk])

    @property
    def active_phase(self):
        return next((phase for phase in self.phases.all() if phase.is_active), None)


class OtherReviews(models.TextChoices):
    NEVER = "never", _("Never")
    AFTER_OWN = "after_own", _("After submitting their own")
    ALWAYS = "always", _("Always")


class ReviewPhase(ScopedModel):
    """A stage of reviewing, as data (pretalx's ReviewPhase): what reviewers may do and see. One
    phase of a call is active at a time."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("reviews due"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=False)
    may_review = models.BooleanField(_("reviewers may write reviews"), default=True)
    sees_all_papers = models.BooleanField(_("reviewers see every paper, not only their own"), default=False)
    other_reviews = models.CharField(
        _("reviewers see the other reviews"),
        max_length=10,
        choices=OtherReviews.choices,
        default=OtherReviews.AFTER_OWN,
    )
    author_names_shown = models.BooleanField(_("author names shown to reviewers"), default=False)
    may_bid = models.BooleanField(_("reviewers may bid"), default=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["call", "position", "pk"]
        verbose_name = _("review phase")
        verbose_name_plural = _("review phases")
        constraints = [
            models.UniqueConstraint(
                fields=["call"], condition=models.Q(is_active=True), name="one_active_phase_per_call"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.call.get_absolute_url()


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ACCEPTED_PAPER = "accepted_paper", _("Accepted as paper")
    ACCEPTED_POSTER = "accepted_poster", _("Accepted as poster")
    REJECTED = "rejected", _("Rejected")


ACCEPTED = [SubmissionStatus.ACCEPTED_PAPER, SubmissionStatus.ACCEPTED_POSTER]
DECIDED = [*ACCEPTED, SubmissionStatus.REJECTED]
UNDER_REVIEW = [SubmissionStatus.SUBMITTED]


class Submission(ScopedModel):
    """A paper submitted to a call, possibly on behalf of a region's research series; its decision
    is its status. A recommendation from the practice side is a draft the authors complete."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="submissions")
    title = models.CharField(_("title"), max_length=300)
    abstract = models.TextField(_("abstract"))
    topics = models.ManyToManyField(
        "topics.Topic", blank=True, related_name="submissions", verbose_name=_("topics")
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
        db_index=True,
    )
    on_behalf_of = models.ForeignKey(
        "network.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="research_series_submissions",
        verbose_name=_("on behalf of the research series of"),
    )
    recommended_document = models.ForeignKey(
        "knowledge.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("recommended report"),
    )
    recommended_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note to the authors"), blank=True)
    published_document = models.OneToOneField(
        "knowledge.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conference_submission",
        verbose_name=_("in the knowledge base"),
    )
    embedding = models.BinaryField(_("embedding"), blank=True, default=b"", editable=False)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "embedding"])

    class Meta:
        ordering = ["call", "pk"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [models.Index(fields=["status", "call"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("conferences:submission_detail", args=[self.pk])

    @property
    def is_accepted(self) -> bool:
        return self.status in ACCEPTED


class AffiliationKind(models.TextChoices):
    ADMINISTRATION = "administration", _("Customs administration")
    UNIVERSITY = "university", _("University")
    COMPANY = "company", _("Company")
    OFFICE = "office", _("WCO office")
    OTHER = "other", _("Other")


class Authorship(ScopedModel):
    """A person on a submission's byline, with the affiliation they give for this paper."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="authorships")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="authorships")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    affiliation_kind = models.CharField(_("affiliation"), max_length=16, choices=AffiliationKind.choices)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    member = models.ForeignKey(
        "network.Member", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    office = models.ForeignKey(
        "network.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_contact = models.BooleanField(_("contact author"), default=False)

    class Meta:
        ordering = ["submission", "position", "pk"]
        verbose_name = _("authorship")
        verbose_name_plural = _("authorships")
        constraints = [
            models.UniqueConstraint(fields=["submission", "person"], name="one_authorship_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.affiliation})"

    def get_absolute_url(self) -> str:
        return self.submission.get_absolute_url()

    @property
    def affiliation(self) -> str:
        return self.institution or str(self.member or self.office or self.get_affiliation_kind_display())


class FileStage(models.TextChoices):
    FULL_PAPER = "full", _("Full paper")
    CAMERA_READY = "final", _("Camera-ready")


class SubmissionFile(ScopedModel):
    """One uploaded file of a submission (PDF or DOCX), with the text the knowledge base extracted."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    number = models.PositiveIntegerField(default=1)
    stage = models.CharField(
        _("stage"), max_length=6, choices=FileStage.choices, default=FileStage.FULL_PAPER
    )
    file = models.FileField(upload_to="conferences/%Y/%m/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["submission", "-number"]
        verbose_name = _("submission file")
        verbose_name_plural = _("submission files")
        constraints = [models.UniqueConstraint(fields=["submission", "number"], name="one_file_number")]

    def __str__(self) -> str:
        return f"{self.filename} v{self.number}"

    def get_absolute_url(self) -> str:
        return self.submission.get_absolute_url()


class ConflictKind(models.TextChoices):
    """HotCRP's conflict types."""

    COLLABORATOR = "collaborator", _("Recent collaborator")
    ADVISOR = "advisor", _("Advisor or student")
    INSTITUTIONAL = "institutional", _("Institutional")
    PERSONAL = "personal", _("Personal")
    OTHER = "other", _("Other")


class DeclaredConflict(ScopedModel):
    """A conflict an author declares with a person when submitting."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="declared_conflicts")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("type"), max_length=14, choices=ConflictKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["submission", "pk"]
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        constraints = [
            models.UniqueConstraint(fields=["submission", "person"], name="one_declaration_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return self.submission.get_absolute_url()


class ReviewerKind(models.TextChoices):
    ACADEMIC = "academic", _("Academic")
    PRACTITIONER = "practitioner", _("Practitioner")


class Reviewer(ScopedModel):
    """A person in a conference's reviewer pool (or programme committee), with declared expertise,
    working languages and the most papers they take."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="reviewers")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="reviewer_roles")
    kind = models.CharField(_("background"), max_length=12, choices=ReviewerKind.choices)
    on_committee = models.BooleanField(_("programme committee"), default=False)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    expertise = models.TextField(_("expertise"), blank=True)
    topics = models.ManyToManyField(
        "topics.Topic", blank=True, related_name="reviewers", verbose_name=_("topics")
    )
    languages = models.JSONField(_("working languages"), default=list)
    max_load = models.PositiveSmallIntegerField(_("papers at most"), null=True, blank=True)
    embedding = models.BinaryField(blank=True, default=b"", editable=False)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "embedding"])

    class Meta:
        ordering = ["conference", "person__last_name", "pk"]
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        constraints = [models.UniqueConstraint(fields=["conference", "person"], name="one_reviewer_role")]

    def __str__(self) -> str:
        return str(self.person)

    def get_absolute_url(self) -> str:
        return reverse("conferences:reviewer_detail", args=[self.pk])


class StandingConflict(ScopedModel):
    """A conflict that lives on a person's profile and holds for every conference: with another
    person, an administration or an institution (by name)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="standing_conflicts")
    other_person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        "network.Member", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    kind = models.CharField(_("type"), max_length=14, choices=ConflictKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["person", "pk"]
        verbose_name = _("standing conflict")
        verbose_name_plural = _("standing conflicts")

    def __str__(self) -> str:
        return f"{self.person}: {self.other_person or self.member or self.institution}"

    def get_absolute_url(self) -> str:
        return reverse("conferences:reviewer_list")


class BidValue(models.IntegerChoices):
    EAGER = 2, _("Eager to review")
    WILLING = 1, _("Willing")
    NEUTRAL = 0, _("No preference")
    RATHER_NOT = -1, _("Rather not")
    CONFLICT = -9, _("I have a conflict")


class Bid(ScopedModel):
    """A reviewer's preference for a paper. "I have a conflict" is a conflict declared by the reviewer."""

    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="bids")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="bids")
    value = models.SmallIntegerField(_("bid"), choices=BidValue.choices)

    class Meta:
        ordering = ["submission", "reviewer"]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        constraints = [models.UniqueConstraint(fields=["reviewer", "submission"], name="one_bid")]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.get_value_display()}"

    def get_absolute_url(self) -> str:
        return self.submission.get_absolute_url()


class ConflictPin(ScopedModel):
    """A chair's decision on one reviewer and one paper: a conflict (added), or no conflict (a
    detected cause judged not to matter), always with a justification."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="conflict_pins")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="conflict_pins")
    is_conflict = models.BooleanField(_("conflict"))
    kind = models.CharField(
        _("type"), max_length=14, choices=ConflictKind.choices, default=ConflictKind.OTHER
    )
    justification = models.CharField(_("justification"), max_length=500)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["submission", "reviewer"]
        verbose_name = _("conflict decision")
        verbose_name_plural = _("conflict decisions")
        constraints = [models.UniqueConstraint(fields=["submission", "reviewer"], name="one_pin")]

    def __str__(self) -> str:
        return f"{self.reviewer} / {self.submission_id}"

    def get_absolute_url(self) -> str:
        return self.submission.get_absolute_url()


class Assignment(ScopedModel):
    """A reviewer on a paper, from the solver or by hand, with the explanation of its affinity."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.PROTECT, related_name="assignments")
    affinity = models.FloatField(_("affinity"), default=0.0)
    explanation = models.CharField(_("why"), max_length=500, blank=True)
    by_hand = models.BooleanField(_("by hand"), default=False)
    assigned_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["submission", "-affinity"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["submission", "reviewer"], name="one_assignment")]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.submission}"

    def get_absolute_url(self) -> str:
        return self.submission.get_absolute_url()


SCORE_FIELDS = ["relevance", "originality", "rigour", "practical_value", "clarity"]


def _score(label):
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, help_text=_("1 (poor) to 5 (excellent)")
    )


class Review(ScopedModel):
    """One reviewer's review of one paper; a draft until submitted."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    relevance = _score(_("relevance to customs"))
    originality = _score(_("originality"))
    rigour = _score(_("rigour"))
    practical_value = _score(_("practical value"))
    clarity = _score(_("clarity"))
    confidence = models.PositiveSmallIntegerField(
        _("confidence"), null=True, blank=True, help_text=_("1 (low) to 5 (expert)")
    )
    to_authors = models.TextField(_("comments to the authors"), blank=True)
    to_committee = models.TextField(_("comments to the committee"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["assignment"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return str(self.assignment)

    def get_absolute_url(self) -> str:
        return self.assignment.submission.get_absolute_url()

    @property
    def overall(self) -> float | None:
        values = [getattr(self, name) for name in SCORE_FIELDS if getattr(self, name)]
        return round(sum(values) / len(values), 2) if values else None


class Comment(ScopedModel):
    """The discussion of a paper among its reviewers and the chairs."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("comment"))

    class Meta:
        ordering = ["submission", "created_at", "pk"]
        verbose_name = _("discussion comment")
        verbose_name_plural = _("discussion comments")

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return self.submission.get_absolute_url()


class AuditEntry(ScopedModel):
    """Every assignment, conflict decision, review edit and decision of a call, in words."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="audit")
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(_("action"), max_length=40)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        ordering = ["call", "-created_at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["call", "created_at"])]

    def __str__(self) -> str:
        return f"{self.action}: {self.detail}"

    def get_absolute_url(self) -> str:
        return reverse("conferences:call_audit", args=[self.call_id])


class ProgrammeSession(ScopedModel):
    """A session of a conference's programme: its papers in order, chair, time and room."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    chair = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    papers = models.ManyToManyField(Submission, blank=True, related_name="sessions", verbose_name=_("papers"))

    class Meta:
        ordering = ["conference", "starts_at", "pk"]
        verbose_name = _("programme session")
        verbose_name_plural = _("programme sessions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("conferences:programme", args=[self.conference_id])


class ActivityReading(ScopedModel):
    """A research paper proposed as reading for an activity (research into practice)."""

    activity = models.ForeignKey("activities.Activity", on_delete=models.CASCADE, related_name="readings")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="readings")

    class Meta:
        ordering = ["activity", "pk"]
        verbose_name = _("reading for an activity")
        verbose_name_plural = _("readings for activities")
        constraints = [models.UniqueConstraint(fields=["activity", "submission"], name="one_reading")]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.submission}"

    def get_absolute_url(self) -> str:
        return self.activity.get_absolute_url()
