"""The RTCs' training products and what surrounds them: the products (courses an office offers again
and again) with their curriculum, versions and sessions; the competency frameworks they map to (the
WCO Professional Standards, loaded with the reference data); the recognition of university
programmes against those standards; and e-learning completions, imported or received as xAPI
statements.

A product's session is an activity: `Session` links an activity to the product and to the version it
taught, so the activities app knows nothing of products."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import localised
from core.models import ScopedModel

# ---------------------------------------------------------------------------------------------------
# Competency frameworks


class CompetencyLevel(models.TextChoices):
    OPERATIONAL = "operational", _("Operational")
    STRATEGIC = "strategic", _("Strategic")


class CompetencyFramework(ScopedModel):
    """A framework of competencies curricula are designed against: the WCO Professional Standards,
    or a member administration's own."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    member = models.ForeignKey(
        "network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="competency_frameworks",
        verbose_name=_("member administration"),
        help_text=_("Empty for a framework of the WCO."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")

    def __str__(self) -> str:
        return localised(self.name, self.name_fr)

    def get_absolute_url(self) -> str:
        return reverse("training:framework_detail", args=[self.pk])


class CompetencyArea(ScopedModel):
    """An area of a framework at one level (operational or strategic), e.g. "Revenue collection"."""

    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.CASCADE, related_name="areas", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=20)
    level = models.CharField(_("level"), max_length=12, choices=CompetencyLevel.choices)
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["framework", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="competency_area_code")]
        verbose_name = _("competency area")
        verbose_name_plural = _("competency areas")

    def __str__(self) -> str:
        return f"{self.code} {localised(self.name, self.name_fr)}"


class Competency(ScopedModel):
    """A competency of an area, with its code ("OP.2.3") and the source it was taken from. A retired
    competency stays for the mappings made while it was current, and takes no new ones."""

    area = models.ForeignKey(
        CompetencyArea, on_delete=models.CASCADE, related_name="competencies", verbose_name=_("area")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    name_fr = models.CharField(_("name (French)"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    is_retired = models.BooleanField(_("retired"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["area__framework", "area__position", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="competency_code")]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self) -> str:
        return f"{self.code} {localised(self.name, self.name_fr)}"


# ---------------------------------------------------------------------------------------------------
# Training products


class ProductKind(models.TextChoices):
    MANAGEMENT = "management", _("Management")
    BUSINESS_SKILLS = "business_skills", _("Business skills")
    ENFORCEMENT = "enforcement", _("Enforcement and compliance")
    TECHNICAL = "technical", _("Technical (classification, valuation, origin, ...)")
    TRAIN_THE_TRAINERS = "train_the_trainers", _("Train-the-trainers")
    ELEARNING = "elearning", _("E-learning module")


class ProductLevel(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed to the ROCB")
    ENDORSED = "endorsed", _("Endorsed")
    OFFERED = "offered", _("Offered")
    RETIRED = "retired", _("Retired")


# Products the public sees, and whose sessions may be planned.
PUBLIC_PRODUCT_STATUSES = [ProductStatus.OFFERED]
SCHEDULABLE_STATUSES = [ProductStatus.ENDORSED, ProductStatus.OFFERED]


class Product(ScopedModel):
    """A course an office offers again and again: most are an RTC's, some the Secretariat's or an
    ROCB's. The row holds the current text; each offered text is kept as a `ProductVersion`."""

    owner_office = models.ForeignKey(
        "network.Office", on_delete=models.PROTECT, related_name="training_products", verbose_name=_("centre")
    )
    title = models.CharField(_("title"), max_length=250)
    title_fr = models.CharField(_("title (French)"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProductKind.choices)
    level = models.CharField(_("level"), max_length=12, choices=ProductLevel.choices)
    audience = models.CharField(_("target audience"), max_length=300, blank=True)
    duration_hours = models.PositiveSmallIntegerField(_("duration (hours)"))
    delivery_modes = models.CharField(
        _("delivery modes"), max_length=40, help_text=_("in_person, virtual or hybrid, separated by commas.")
    )
    languages = models.CharField(
        _("languages"), max_length=40, help_text=_("ISO 639-1 codes separated by commas, e.g. en,fr.")
    )
    objectives = models.TextField(_("learning objectives"), blank=True)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    topics = models.ManyToManyField(
        "topics.Topic", blank=True, related_name="training_products", verbose_name=_("topics")
    )
    competencies = models.ManyToManyField(
        Competency, blank=True, related_name="products", verbose_name=_("competencies")
    )
    materials = models.ManyToManyField(
        "knowledge.Document", blank=True, related_name="training_products", verbose_name=_("materials")
    )
    assessment = models.ForeignKey(
        "surveys.Questionnaire",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_products",
        verbose_name=_("assessment"),
        help_text=_("A knowledge-test questionnaire."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("version"), default=0)
    # An ROCB's invitation to develop the product: who asked, and the needs behind it.
    invited_by = models.ForeignKey(
        "network.Office",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invited_products",
        verbose_name=_("invited by"),
    )
    invitation = models.TextField(_("the needs behind the invitation"), blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("training product")
        verbose_name_plural = _("training products")
        indexes = [
            models.Index(fields=["status", "title"], name="product_status_title"),
            models.Index(fields=["owner_office", "status"], name="product_office_status"),
        ]

    def __str__(self) -> str:
        return localised(self.title, self.title_fr)

    def get_absolute_url(self) -> str:
        return reverse("training:product_detail", args=[self.pk])

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def delivery_mode_list(self) -> list[str]:
        return [mode for mode in self.delivery_modes.split(",") if mode]

    @property
    def localised_description(self) -> str:
        return localised(self.description, self.description_fr)


class Module(ScopedModel):
    """A module of a product's curriculum, with its hours, objectives and competencies."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="modules", verbose_name=_("product")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=250)
    title_fr = models.CharField(_("title (French)"), max_length=250, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    objectives = models.TextField(_("objectives"), blank=True)
    competencies = models.ManyToManyField(
        Competency, blank=True, related_name="modules", verbose_name=_("competencies")
    )

    class Meta:
        ordering = ["product", "position", "pk"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return localised(self.title, self.title_fr)


class ProductVersion(ScopedModel):
    """The text of a product as it was offered: its fields, modules and competencies, frozen. A new
    one is made each time an offered product is edited; sessions keep the one they taught."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="versions", verbose_name=_("product")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("content"))

    class Meta:
        ordering = ["product", "-number"]
        constraints = [models.UniqueConstraint(fields=["product", "number"], name="product_version_number")]
        verbose_name = _("product version")
        verbose_name_plural = _("product versions")

    def __str__(self) -> str:
        return f"{self.product} v{self.number}"


class ProductMove(ScopedModel):
    """One move of a product's lifecycle, with who moved it and why (an ROCB's comments on return)."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="moves", verbose_name=_("product")
    )
    from_status = models.CharField(_("from"), max_length=10, choices=ProductStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=ProductStatus.choices)
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["product", "created_at", "pk"]
        verbose_name = _("product move")
        verbose_name_plural = _("product moves")

    def __str__(self) -> str:
        return f"{self.product}: {self.from_status} → {self.to_status}"


class Session(ScopedModel):
    """An activity that delivers a product, and the version it taught."""

    activity = models.OneToOneField(
        "activities.Activity",
        on_delete=models.CASCADE,
        related_name="training_session",
        verbose_name=_("activity"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("product")
    )
    version = models.ForeignKey(
        ProductVersion, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("version")
    )

    class Meta:
        ordering = ["product", "activity"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.product} — {self.activity}"


class SessionRequest(ScopedModel):
    """An assistance request that asks for a session of a product."""

    request = models.OneToOneField(
        "activities.AssistanceRequest",
        on_delete=models.CASCADE,
        related_name="training_request",
        verbose_name=_("request"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="session_requests", verbose_name=_("product")
    )
    for_region = models.BooleanField(_("for the whole region"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("session request")
        verbose_name_plural = _("session requests")

    def __str__(self) -> str:
        return f"{self.product} — {self.request}"


# ---------------------------------------------------------------------------------------------------
# Recognition of university programmes


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    ACADEMY = "academy", _("Customs academy")
    RTC = "rtc", _("Regional Training Centre")


class Institution(ScopedModel):
    """A university, academy or RTC that teaches customs programmes. Its applicants are users who
    apply for it; an RTC's coordinators act for their centre."""

    name = models.CharField(_("name"), max_length=250)
    kind = models.CharField(_("kind"), max_length=12, choices=InstitutionKind.choices)
    country = models.ForeignKey(
        "network.Member", on_delete=models.PROTECT, related_name="institutions", verbose_name=_("country")
    )
    office = models.OneToOneField(
        "network.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_institution",
        verbose_name=_("RTC"),
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.name


class RecognitionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RECOGNISED = "recognised", _("Recognised")
    CONDITIONAL = "conditional", _("Recognised with conditions")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")
    WITHDRAWN = "withdrawn", _("Withdrawn")


RECOGNISED_STATUSES = [RecognitionStatus.RECOGNISED, RecognitionStatus.CONDITIONAL]
DECIDED_STATUSES = [*RECOGNISED_STATUSES, RecognitionStatus.NOT_RECOGNISED]


class RecognitionApplication(ScopedModel):
    """An institution's application to have a programme recognised against a competency framework,
    reviewed by the Secretariat's reviewers and decided with reasons; a renewal is a new application
    that names the one it renews."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="applications", verbose_name=_("institution")
    )
    framework = models.ForeignKey(
        CompetencyFramework,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("framework"),
    )
    programme = models.CharField(_("programme"), max_length=250)
    curriculum = models.TextField(_("curriculum"))
    applicant = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="recognition_applications",
        verbose_name=_("applicant"),
    )
    documents = models.ManyToManyField(
        "knowledge.Document", blank=True, related_name="recognition_applications", verbose_name=_("documents")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RecognitionStatus.choices, default=RecognitionStatus.SUBMITTED
    )
    reasons = models.TextField(_("reasons"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    renews = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("renews"),
    )
    expiry_notice_sent_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recognition application")
        verbose_name_plural = _("recognition applications")
        indexes = [models.Index(fields=["status", "expires_on"], name="recognition_status_expiry")]

    def __str__(self) -> str:
        return f"{self.institution} — {self.programme}"

    def get_absolute_url(self) -> str:
        return reverse("training:application_detail", args=[self.pk])


class ProgrammeCourse(ScopedModel):
    """A course of the applying programme, with its hours and the competencies it claims to teach."""

    application = models.ForeignKey(
        RecognitionApplication,
        on_delete=models.CASCADE,
        related_name="courses",
        verbose_name=_("application"),
    )
    title = models.CharField(_("title"), max_length=250)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    competencies = models.ManyToManyField(
        Competency, blank=True, related_name="programme_courses", verbose_name=_("competencies")
    )

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("programme course")
        verbose_name_plural = _("programme courses")

    def __str__(self) -> str:
        return self.title


class RecognitionReviewer(ScopedModel):
    """A person the Secretariat assigned to review an application (a PICARD expert, say)."""

    application = models.ForeignKey(
        RecognitionApplication,
        on_delete=models.CASCADE,
        related_name="reviewers",
        verbose_name=_("application"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="recognition_reviews",
        verbose_name=_("reviewer"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    comments = models.TextField(_("comments"), blank=True)

    class Meta:
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "person"], name="recognition_reviewer_once")
        ]
        verbose_name = _("recognition reviewer")
        verbose_name_plural = _("recognition reviewers")

    def __str__(self) -> str:
        return f"{self.person} — {self.application}"


class CoverageScore(ScopedModel):
    """A reviewer's score of how well the programme covers one competency (0 none – 3 fully)."""

    reviewer = models.ForeignKey(
        RecognitionReviewer, on_delete=models.CASCADE, related_name="scores", verbose_name=_("reviewer")
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="coverage_scores", verbose_name=_("competency")
    )
    score = models.PositiveSmallIntegerField(_("score"), choices=[(0, "0"), (1, "1"), (2, "2"), (3, "3")])
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["reviewer", "competency"]
        constraints = [models.UniqueConstraint(fields=["reviewer", "competency"], name="coverage_score_once")]
        verbose_name = _("coverage score")
        verbose_name_plural = _("coverage scores")

    def __str__(self) -> str:
        return f"{self.competency}: {self.score}"


# ---------------------------------------------------------------------------------------------------
# E-learning


class LearningPlatform(ScopedModel):
    """An e-learning platform (the WCO's, or a national one) that sends completions: its xAPI token
    is shown once, and only its SHA-256 is stored."""

    name = models.CharField(_("name"), max_length=200)
    office = models.ForeignKey(
        "network.Office",
        on_delete=models.PROTECT,
        related_name="learning_platforms",
        verbose_name=_("office"),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("learning platform")
        verbose_name_plural = _("learning platforms")

    def __str__(self) -> str:
        return self.name


class CompletionStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    PASSED = "passed", _("Passed")


class CompletionSource(models.TextChoices):
    IMPORT = "import", _("LMS export")
    XAPI = "xapi", _("xAPI statement")


class Completion(ScopedModel):
    """A person's enrolment in, completion of or pass of an e-learning product, as an LMS reported
    it. The administration is the person's when it was recorded, so scopes hold after a move."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="completions", verbose_name=_("person")
    )
    member = models.ForeignKey(
        "network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="completions",
        verbose_name=_("member administration"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="completions", verbose_name=_("product")
    )
    status = models.CharField(_("status"), max_length=10, choices=CompletionStatus.choices)
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=CompletionSource.choices)
    platform = models.ForeignKey(
        LearningPlatform,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="completions",
        verbose_name=_("platform"),
    )

    class Meta:
        ordering = ["-completed_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "product", "status"], name="completion_once_per_status")
        ]
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        indexes = [
            models.Index(fields=["product", "completed_on"], name="completion_product_date"),
            models.Index(fields=["member", "completed_on"], name="completion_member_date"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.product} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("training:product_detail", args=[self.product_id])


class StatementOutcome(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    IGNORED = "ignored", _("Ignored (verb not counted)")
    REFUSED = "refused", _("Refused")


class XapiStatement(ScopedModel):
    """An xAPI statement as a platform sent it, kept whole; its id makes a second sending a no-op."""

    statement_id = models.UUIDField(_("statement id"), unique=True)
    platform = models.ForeignKey(
        LearningPlatform, on_delete=models.CASCADE, related_name="statements", verbose_name=_("platform")
    )
    body = models.JSONField(_("statement"))
    verb = models.CharField(_("verb"), max_length=300)
    outcome = models.CharField(_("outcome"), max_length=8, choices=StatementOutcome.choices)
    message = models.CharField(_("message"), max_length=300, blank=True)
    completion = models.ForeignKey(
        Completion, on_delete=models.SET_NULL, null=True, blank=True, related_name="statements"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")

    def __str__(self) -> str:
        return str(self.statement_id)
