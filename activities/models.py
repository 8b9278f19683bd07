"""Programmes, projects and activities, from a member's request to evaluation, with participants.

Status changes, request decisions and attendance are written only by `activities.services`.
"""

from django.db import models
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import localised
from core.models import ScopedModel
from funding.models import currency_field, money_field
from people.models import Gender


class ServiceItem(ScopedModel):
    """A service of the capacity-building catalogue that members can request."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=160)
    name_fr = models.CharField(_("name (French)"), max_length=160)
    category = models.CharField(_("category"), max_length=80)
    category_fr = models.CharField(_("category (French)"), max_length=80, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("catalogue service")
        verbose_name_plural = _("service catalogue")

    def __str__(self) -> str:
        return localised(self.name_en, self.name_fr)

    @property
    def category_label(self) -> str:
        return localised(self.category, self.category_fr)

    @property
    def description(self) -> str:
        return localised(self.description_en, self.description_fr)

    def get_absolute_url(self) -> str:
        return reverse("activities:service_detail", args=[self.pk])


class Programme(ScopedModel):
    """A multi-year development programme (e.g. a donor-funded regional programme)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    lead_office = models.ForeignKey(
        "network.Office", on_delete=models.PROTECT, related_name="programmes", verbose_name=_("lead office")
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:programme_detail", args=[self.pk])


class Project(ScopedModel):
    """A project within a programme, grouping related activities."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="projects", verbose_name=_("programme")
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.programme.get_absolute_url()


class ActivityKind(models.TextChoices):
    REGIONAL_WORKSHOP = "regional_workshop", _("Regional workshop")
    SUBREGIONAL_WORKSHOP = "subregional_workshop", _("Sub-regional workshop")
    NATIONAL_WORKSHOP = "national_workshop", _("National workshop")
    DIAGNOSTIC_MISSION = "diagnostic_mission", _("Diagnostic mission")
    ADVISORY_MISSION = "advisory_mission", _("Advisory mission")
    TECHNICAL_MISSION = "technical_mission", _("Technical mission")
    TRAIN_THE_TRAINERS = "train_the_trainers", _("Train-the-trainers course")
    ELEARNING = "elearning", _("E-learning course")
    STUDY_VISIT = "study_visit", _("Study visit")
    RESEARCH_STUDY = "research_study", _("Research study")
    CONFERENCE = "conference", _("Conference or meeting")


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    FUNDED = "funded", _("Funded")
    SCHEDULED = "scheduled", _("Scheduled")
    DELIVERED = "delivered", _("Delivered")
    EVALUATED = "evaluated", _("Evaluated")
    CLOSED = "closed", _("Closed")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses whose activities are announced publicly (calendar feeds, anonymous visitors).
PUBLIC_STATUSES = [Status.SCHEDULED, Status.DELIVERED, Status.EVALUATED, Status.CLOSED]


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("Hybrid")


LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
    ("pt", _("Portuguese")),
    ("zh", _("Chinese")),
]


class Activity(ScopedModel):
    """A workshop, mission, course or other activity, organised by one or more offices."""

    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("project"),
    )
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=24, choices=ActivityKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    status_before_postponement = models.CharField(max_length=12, choices=Status.choices, blank=True)
    topics = models.ManyToManyField(
        "topics.Topic", blank=True, related_name="activities", verbose_name=_("topics")
    )
    lead_office = models.ForeignKey(
        "network.Office",
        on_delete=models.PROTECT,
        related_name="led_activities",
        verbose_name=_("lead office"),
    )
    organising_offices = models.ManyToManyField(
        "network.Office",
        blank=True,
        related_name="co_organised_activities",
        verbose_name=_("co-organising offices"),
    )
    region = models.ForeignKey(
        "network.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("region"),
    )
    host_member = models.ForeignKey(
        "network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_activities",
        verbose_name=_("host member"),
    )
    beneficiary_members = models.ManyToManyField(
        "network.Member",
        blank=True,
        related_name="benefiting_activities",
        verbose_name=_("beneficiary members"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    delivery_mode = models.CharField(
        _("delivery mode"), max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.IN_PERSON
    )
    languages = models.CharField(
        _("languages"),
        max_length=40,
        blank=True,
        help_text=_("ISO 639-1 codes separated by commas, e.g. en,fr."),
    )
    objectives = models.TextField(_("objectives"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    funding_agreement = models.ForeignKey(
        "funding.FundingAgreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("funding agreement"),
    )
    budget_amount = money_field(_("budget"), null=True, blank=True)
    budget_currency = currency_field(_("budget currency"), blank=True)
    actual_cost = money_field(_("actual cost"), null=True, blank=True)
    actual_currency = currency_field(_("actual cost currency"), blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        # Every list sorts newest first (the ordering above), so its first page is read from an index
        # in order instead of sorting every row. The public one carries the anonymous filter as its
        # condition; the status index leaves the announced statuses to it, or the planner would
        # pick the status index for `status IN (announced)` and sort all announced activities.
        indexes = [
            models.Index(fields=["-start_date", "id"], name="activity_newest_first"),
            # With the status, it also covers the public count (no row read): without, SQLite counts
            # announced activities by reading every row (90 ms at scale).
            models.Index(
                fields=["-start_date", "id", "status"],
                condition=models.Q(status__in=PUBLIC_STATUSES),
                name="activity_public_newest_first",
            ),
            models.Index(
                fields=["status", "start_date"],
                condition=~models.Q(status__in=PUBLIC_STATUSES),
                name="activity_unannounced_status",
            ),
            models.Index(fields=["region", "start_date"]),
            models.Index(fields=["lead_office", "start_date"]),
            models.Index(fields=["kind", "start_date"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:activity_detail", args=[self.pk])

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class ActivityTransition(ScopedModel):
    """One status change of an activity: who, when, from what, to what, and why."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.activity}: {self.from_status} → {self.to_status}"

    def get_absolute_url(self) -> str:
        return self.activity.get_absolute_url()


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    MERGED = "merged", _("Merged into another request")


class AssistanceRequest(ScopedModel):
    """A member administration's request for a catalogue service, triaged by its ROCB or the Secretariat."""

    member = models.ForeignKey(
        "network.Member",
        on_delete=models.PROTECT,
        related_name="assistance_requests",
        verbose_name=_("member administration"),
    )
    region = models.ForeignKey(
        "network.Region",
        on_delete=models.PROTECT,
        related_name="assistance_requests",
        verbose_name=_("region"),
    )
    requested_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="assistance_requests",
        verbose_name=_("requested by"),
    )
    service = models.ForeignKey(
        ServiceItem, on_delete=models.PROTECT, related_name="requests", verbose_name=_("service")
    )
    topics = models.ManyToManyField(
        "topics.Topic", blank=True, related_name="assistance_requests", verbose_name=_("topics")
    )
    need_statement = models.TextField(_("need statement"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.MEDIUM)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.SUBMITTED,
        db_index=True,
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_requests",
        verbose_name=_("merged into"),
    )
    activity = models.OneToOneField(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
        verbose_name=_("activity"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assistance request")
        verbose_name_plural = _("assistance requests")
        # The list is newest first: the Secretariat's whole list, an ROCB's region, a focal point's
        # administration.
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["created_at"], name="request_newest"),
            models.Index(fields=["region", "created_at"], name="request_region_newest"),
            models.Index(fields=["member", "created_at"], name="request_member_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.service}"

    def get_absolute_url(self) -> str:
        return reverse("activities:request_detail", args=[self.pk])


class RequestEvent(ScopedModel):
    """One step in a request's history, shown to the requester."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=RequestStatus.choices)
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request}: {self.status}"

    def get_absolute_url(self) -> str:
        return self.request.get_absolute_url()


class NominationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Nomination(ScopedModel):
    """A member administration's nomination of a person to an activity, decided by the organisers."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("activity")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="nominations", verbose_name=_("person")
    )
    member = models.ForeignKey(
        "network.Member",
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("nominating administration"),
    )
    nominated_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=NominationStatus.choices, default=NominationStatus.PENDING
    )
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["activity", "person__last_name"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="one_nomination_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.activity}"

    def get_absolute_url(self) -> str:
        return self.activity.get_absolute_url()


class ParticipationRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    TRAINER = "trainer", _("Trainer")
    EXPERT = "expert", _("Expert")
    OBSERVER = "observer", _("Observer")


class Attendance(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ATTENDED = "attended", _("Attended")
    PARTIAL = "partial", _("Attended in part")
    ABSENT = "absent", _("Absent")


class Participation(ScopedModel):
    """A person taking part in an activity. Gender and administration are kept as they were then,
    for sex-disaggregated reporting."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="participations", verbose_name=_("activity")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="participations", verbose_name=_("person")
    )
    member = models.ForeignKey(
        "network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("member administration"),
    )
    role = models.CharField(
        _("role"), max_length=12, choices=ParticipationRole.choices, default=ParticipationRole.PARTICIPANT
    )
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, default=Gender.UNDISCLOSED)
    attendance = models.CharField(
        _("attendance"), max_length=12, choices=Attendance.choices, default=Attendance.REGISTERED
    )

    class Meta:
        ordering = ["activity", "person__last_name", "person__first_name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="one_participation_per_person")
        ]
        indexes = [models.Index(fields=["member", "gender"]), models.Index(fields=["gender"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.activity}"

    def get_absolute_url(self) -> str:
        return self.activity.get_absolute_url()


def newest_activity_first(participations: models.QuerySet) -> models.QuerySet:
    """Participations of the newest activities first, each activity's in the order they were added.

    The activity's key is named on the activity's table, not as the participation's `activity_id`
    (which Django would write), so that both databases read the first page in order from the
    activity index (start date, id) and each activity's participations, instead of sorting every
    participation the user may see (400,000 for the Secretariat at scale)."""
    activity_key = RawSQL(f'"{Activity._meta.db_table}"."id"', ())
    return participations.order_by("-activity__start_date", activity_key.asc(), "pk")


class ImportBatch(ScopedModel):
    """An uploaded CSV/XLSX file, parsed and checked, waiting for the user to confirm it."""

    class Kind(models.TextChoices):
        ACTIVITIES = "activities", _("Activities")
        NOMINATIONS = "nominations", _("Nominations and participants")
        EXPERTS = "experts", _("Expert roster")
        COMPLETIONS = "completions", _("E-learning completions")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("activities:import_preview", args=[self.pk])
