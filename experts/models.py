"""Expert pools: profiles on the shared person identity, pools and accreditation per pool (each move
recorded with its evidence), declared unavailability and conflicts, expert slots on activities,
deployments with their lifecycle, evaluations with a recommendation on future use, and the picks
curators make from shortlists (so the shortlist's acceptance rate can be measured).

The rules (who may move what, what evidence a move needs) live in `experts.services`; matching and
the year's plan in `experts.matching` on the shared `core.assignment` engine.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from activities.models import LANGUAGES
from core.i18n import localised
from core.models import ScopedModel


class PoolKind(models.TextChoices):
    DIAGNOSTIC = "diagnostic", _("Diagnostic facilitators")
    ADVISOR = "advisor", _("Development advisors")
    TRAINER = "trainer", _("Trainers")


class Pool(ScopedModel):
    """A pool of accredited experts: global (the Secretariat's) or regional (an ROCB's own)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    name_fr = models.CharField(_("name (French)"), max_length=160, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=PoolKind.choices)
    specialty = models.ForeignKey(
        "topics.Topic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expert_pools",
        verbose_name=_("specialty"),
    )
    region = models.ForeignKey(
        "network.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expert_pools",
        verbose_name=_("region"),
        help_text=_("Empty for a global pool."),
    )
    description = models.TextField(_("description"), blank=True)
    accreditation_years = models.PositiveSmallIntegerField(_("accreditation valid for (years)"), default=3)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("expert pool")
        verbose_name_plural = _("expert pools")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localised(self.name, self.name_fr)

    def get_absolute_url(self) -> str:
        return reverse("experts:pool_detail", args=[self.pk])


class ExpertProfile(ScopedModel):
    """An expert: a person with a home administration, languages, expertise, experience and a CV.
    The CV's text is embedded for matching and shown only to those who may see private fields."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="expert_profile", verbose_name=_("person")
    )
    home_member = models.ForeignKey(
        "network.Member",
        on_delete=models.PROTECT,
        related_name="experts",
        verbose_name=_("home administration"),
    )
    region = models.ForeignKey(
        "network.Region",
        on_delete=models.PROTECT,
        related_name="experts",
        verbose_name=_("region"),
        editable=False,
    )
    current_post = models.CharField(_("current post"), max_length=200, blank=True)
    topics = models.ManyToManyField(
        "topics.Topic", blank=True, related_name="experts", verbose_name=_("expertise (topics)")
    )
    expertise = models.TextField(_("expertise in their words"), blank=True)
    instruments = models.TextField(
        _("WCO instruments and tools"), blank=True, help_text=_("For example: RKC, SAFE, TRS, PCA.")
    )
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    cv = models.FileField(_("CV"), upload_to="experts/cv/", blank=True)
    cv_text = models.TextField(_("CV text"), blank=True, editable=False)
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed by the administration"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    max_deployments_per_year = models.PositiveSmallIntegerField(
        _("deployments per year at most"), null=True, blank=True, help_text=_("Empty: the network's default.")
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "embedding", "cv_text"])

    class Meta:
        ordering = ["person__last_name", "person__first_name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        indexes = [models.Index(fields=["region", "home_member"])]

    def __str__(self) -> str:
        return str(self.person)

    def get_absolute_url(self) -> str:
        return reverse("experts:expert_detail", args=[self.pk])


class LanguageLevel(models.TextChoices):
    WORKING = "working", _("Working")
    FLUENT = "fluent", _("Fluent")
    NATIVE = "native", _("Native")


class ExpertLanguage(ScopedModel):
    """A language an expert works in, with a level."""

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    level = models.CharField(_("level"), max_length=8, choices=LanguageLevel.choices)

    class Meta:
        ordering = ["profile", "language"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [models.UniqueConstraint(fields=["profile", "language"], name="one_level_per_language")]

    def __str__(self) -> str:
        return f"{self.get_language_display()} ({self.get_level_display()})"


class AccreditationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    PRESCREENED = "prescreened", _("Pre-screened")
    TRAINED = "trained", _("Trained")
    SUPERVISED = "supervised", _("Supervised mission done")
    ACCREDITED = "accredited", _("Accredited")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Accreditation(ScopedModel):
    """An expert's standing in one pool, moved only by `experts.services.accreditation_*` with the
    evidence each move needs (the workshop attendance, the supervised mission and its evaluation)."""

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="accreditations")
    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="accreditations")
    status = models.CharField(
        _("status"), max_length=12, choices=AccreditationStatus.choices, default=AccreditationStatus.NOMINATED
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("nominated by")
    )
    workshop_participation = models.ForeignKey(
        "activities.Participation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accreditation workshop attended"),
    )
    supervised_deployment = models.ForeignKey(
        "experts.Deployment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supervised mission"),
    )
    accredited_on = models.DateField(_("accredited on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    expiry_notice_sent_on = models.DateField(null=True, blank=True, editable=False)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["pool", "profile"]
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        constraints = [models.UniqueConstraint(fields=["profile", "pool"], name="one_accreditation_per_pool")]
        indexes = [models.Index(fields=["pool", "status", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.profile} — {self.pool}: {self.get_status_display()}"


class AccreditationStep(ScopedModel):
    """One move of an accreditation: who, when, from what, to what, on which evidence."""

    accreditation = models.ForeignKey(Accreditation, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(max_length=12, choices=AccreditationStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=AccreditationStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("accreditation step")
        verbose_name_plural = _("accreditation steps")

    def __str__(self) -> str:
        return f"{self.accreditation_id}: {self.from_status} → {self.to_status}"


class Unavailability(ScopedModel):
    """A period in which an expert cannot be deployed, declared by them or their administration."""

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="unavailable_periods")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["profile", "start_date"]
        verbose_name = _("unavailable period")
        verbose_name_plural = _("unavailable periods")
        indexes = [models.Index(fields=["profile", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.profile}: {self.start_date} – {self.end_date}"


class ConflictDeclaration(ScopedModel):
    """An administration an expert must not be sent to (family, former employer, a dispute…)."""

    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(
        "network.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("administration")
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["profile", "member"]
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        constraints = [models.UniqueConstraint(fields=["profile", "member"], name="one_conflict_per_member")]

    def __str__(self) -> str:
        return f"{self.profile} ↔ {self.member}"


class SlotRole(models.TextChoices):
    LEAD = "lead", _("Lead facilitator")
    CO_FACILITATOR = "co_facilitator", _("Co-facilitator")
    ADVISOR = "advisor", _("Advisor")
    TRAINER = "trainer", _("Trainer")
    TRAINEE = "trainee", _("Observer in training")


class Slot(ScopedModel):
    """A place for one expert on an activity (a mission or a workshop)."""

    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.CASCADE,
        related_name="expert_slots",
        verbose_name=_("activity"),
    )
    role = models.CharField(_("role"), max_length=16, choices=SlotRole.choices)
    pool = models.ForeignKey(
        Pool,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="slots",
        verbose_name=_("pool"),
        help_text=_("The pool the expert must be accredited in (empty: any pool)."),
    )
    language = models.CharField(_("working language"), max_length=2, choices=LANGUAGES, blank=True)
    terms_of_reference = models.TextField(_("terms of reference"), blank=True)

    class Meta:
        ordering = ["activity", "pk"]
        verbose_name = _("expert slot")
        verbose_name_plural = _("expert slots")

    def __str__(self) -> str:
        return f"{self.activity} — {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return reverse("experts:slot_detail", args=[self.pk])


class DeploymentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    INVITED = "invited", _("Invited")
    DECLINED = "declined", _("Declined by the expert")
    ACCEPTED = "accepted", _("Accepted by the expert")
    RELEASED = "released", _("Released by the administration")
    REFUSED = "refused", _("Release refused")
    CONFIRMED = "confirmed", _("Confirmed")
    DELIVERED = "delivered", _("Delivered")
    EVALUATED = "evaluated", _("Evaluated")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_DEPLOYMENT = [
    DeploymentStatus.PROPOSED,
    DeploymentStatus.INVITED,
    DeploymentStatus.ACCEPTED,
    DeploymentStatus.RELEASED,
    DeploymentStatus.CONFIRMED,
    DeploymentStatus.DELIVERED,
    DeploymentStatus.EVALUATED,
]


class Deployment(ScopedModel):
    """An expert in a slot, moved by `experts.services.deployment_*` from proposed to evaluated."""

    slot = models.ForeignKey(
        Slot, on_delete=models.CASCADE, related_name="deployments", verbose_name=_("slot")
    )
    profile = models.ForeignKey(
        ExpertProfile, on_delete=models.PROTECT, related_name="deployments", verbose_name=_("expert")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DeploymentStatus.choices, default=DeploymentStatus.PROPOSED
    )
    # Copied from the activity so availability and yearly workload are one indexed query.
    start_date = models.DateField(_("start date"), null=True, blank=True, editable=False)
    end_date = models.DateField(_("end date"), null=True, blank=True, editable=False)
    override_reason = models.TextField(
        _("reason for overriding a soft rule"), blank=True, help_text=_("Recorded when a curator overrides.")
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        indexes = [
            models.Index(fields=["profile", "status", "start_date"]),
            models.Index(fields=["slot", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.profile} — {self.slot}"

    def get_absolute_url(self) -> str:
        return reverse("experts:deployment_detail", args=[self.pk])


class DeploymentEvent(ScopedModel):
    """One move of a deployment, with who made it and what they said."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=DeploymentStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("deployment step")
        verbose_name_plural = _("deployment steps")

    def __str__(self) -> str:
        return f"{self.deployment_id}: {self.status}"


class EvaluatorKind(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    BENEFICIARY = "beneficiary", _("Beneficiary administration")
    SUPERVISOR = "supervisor", _("Supervisor (accreditation)")


class Recommendation(models.TextChoices):
    SAME = "same", _("Same tasks")
    MORE_COMPLEX = "more_complex", _("More complex tasks")
    LESS_DEMANDING = "less_demanding", _("Less demanding tasks")
    OTHER_AREA = "other_area", _("Another area")
    NOT_AGAIN = "not_again", _("Not to be deployed again")


RATING_CRITERIA = ("technical", "communication", "preparation", "fit")
RATING_CHOICES = [(score, str(score)) for score in range(1, 6)]


class Evaluation(ScopedModel):
    """A rating of an expert after a deployment, on set criteria (1–5), with a recommendation on
    future use; the expert may record that they disagree."""

    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField(_("evaluator"), max_length=12, choices=EvaluatorKind.choices)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    technical = models.PositiveSmallIntegerField(_("technical knowledge"), choices=RATING_CHOICES)
    communication = models.PositiveSmallIntegerField(_("communication"), choices=RATING_CHOICES)
    preparation = models.PositiveSmallIntegerField(_("preparation"), choices=RATING_CHOICES)
    fit = models.PositiveSmallIntegerField(_("fit with the administration"), choices=RATING_CHOICES)
    comments = models.TextField(_("comments"), blank=True)
    recommendation = models.CharField(_("future use"), max_length=16, choices=Recommendation.choices)
    expert_disagrees = models.BooleanField(_("the expert disagrees"), default=False)
    expert_comment = models.TextField(_("the expert's comment"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [models.UniqueConstraint(fields=["deployment", "kind"], name="one_evaluation_per_kind")]

    def __str__(self) -> str:
        return f"{self.deployment} — {self.get_kind_display()}"

    @property
    def average(self) -> float:
        return sum(getattr(self, name) for name in RATING_CRITERIA) / len(RATING_CRITERIA)


class ShortlistPick(ScopedModel):
    """What a curator picked from a slot's shortlist, and at which rank (for the acceptance rate)."""

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="picks")
    profile = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Empty: not on the shortlist.")
    )
    shortlist_size = models.PositiveSmallIntegerField(default=0)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("shortlist pick")
        verbose_name_plural = _("shortlist picks")

    def __str__(self) -> str:
        return f"{self.slot_id}: {self.profile_id} at {self.rank}"


class RosterGeneration(models.Model):
    """A stamp renewed whenever anything matching reads changes (profiles, languages, accreditations,
    deployments, evaluations, availability, conflicts, activities), so every process knows when to
    reload its in-memory roster (experts.snapshot), as knowledge.IndexGeneration does for vectors."""

    generation = models.BigIntegerField(default=0)

    objects = models.Manager()

    class Meta:
        verbose_name = _("roster generation")

    def __str__(self) -> str:
        return str(self.generation)
