"""What programmes are meant to change, and whether they do: the strategic objectives, each
programme's results framework (goal → outcomes → outputs), indicators with baselines, yearly targets
and actuals, progress reports with their risk log.

An indicator is recorded by hand (an `Actual` per year, with its evidence) or computed from cbhub's
own rows by a named measure (`results.measures`): computed values are never stored, so they follow
the data and are never typed twice."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import ScopedModel


class StrategicObjective(ScopedModel):
    """An objective of the capacity-building strategy its governing bodies approved: a small
    taxonomy that programmes and activities serve."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=250)
    title_fr = models.CharField(_("title (French)"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    programmes = models.ManyToManyField(
        "activities.Programme", blank=True, related_name="strategic_objectives", verbose_name=_("programmes")
    )
    activities = models.ManyToManyField(
        "activities.Activity", blank=True, related_name="strategic_objectives", verbose_name=_("activities")
    )

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("strategic objective")
        verbose_name_plural = _("strategic objectives")

    def __str__(self) -> str:
        from core.i18n import localised

        return localised(self.title_en, self.title_fr)

    def get_absolute_url(self) -> str:
        return reverse("results:objective_detail", args=[self.code])


class Level(models.TextChoices):
    GOAL = "goal", _("Goal")
    OUTCOME = "outcome", _("Outcome")
    OUTPUT = "output", _("Output")


# The level a result's parent has: outcomes serve the goal, outputs an outcome.
PARENT_LEVEL = {Level.OUTCOME: Level.GOAL, Level.OUTPUT: Level.OUTCOME}


class Result(ScopedModel):
    """A goal, outcome or output of a programme's results framework (its logframe)."""

    programme = models.ForeignKey(
        "activities.Programme", on_delete=models.CASCADE, related_name="results", verbose_name=_("programme")
    )
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("serves"),
    )
    code = models.CharField(_("code"), max_length=20, blank=True, help_text=_("For example 1.2"))
    statement_en = models.TextField(_("statement (English)"))
    statement_fr = models.TextField(_("statement (French)"), blank=True)
    assumptions = models.TextField(_("assumptions"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Published results are public.")
    )

    class Meta:
        ordering = ["programme", "position", "pk"]
        indexes = [models.Index(fields=["programme", "level"], name="result_programme_level")]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        from core.i18n import localised

        text = localised(self.statement_en, self.statement_fr)
        return f"{self.code} {text}".strip()[:200]

    def get_absolute_url(self) -> str:
        return reverse("results:programme_results", args=[self.programme_id]) + f"#result-{self.pk}"


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Disaggregation(models.TextChoices):
    NONE = "", _("None")
    GENDER = "gender", _("Gender")
    MEMBER = "member", _("Administration")
    REGION = "region", _("Region")


class Indicator(ScopedModel):
    """How a result is measured: by hand each year, or by a named measure over the programme's
    activities (`measure`, with its kind, topic or gender). A baseline, yearly targets, and the
    rules that mark a year on track, at risk or off track."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    title_en = models.CharField(_("indicator (English)"), max_length=300)
    title_fr = models.CharField(_("indicator (French)"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("For example: people, %"))
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER
    )
    disaggregation = models.CharField(
        _("disaggregated by"), max_length=8, choices=Disaggregation.choices, blank=True
    )
    measure = models.CharField(
        _("computed from"),
        max_length=40,
        blank=True,
        help_text=_("Leave empty to record the values by hand each year."),
    )
    measure_kind = models.CharField(_("kind of activity"), max_length=40, blank=True)
    measure_topic = models.ForeignKey(
        "topics.Topic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic"),
    )
    measure_gender = models.CharField(_("gender"), max_length=12, blank=True)
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    # A year is on track from this share of its target, at risk from the next, off track below.
    on_track_from = models.DecimalField(
        _("on track from (share of target)"), max_digits=4, decimal_places=2, default=Decimal("0.90")
    )
    at_risk_from = models.DecimalField(
        _("at risk from (share of target)"), max_digits=4, decimal_places=2, default=Decimal("0.60")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["result", "position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        from core.i18n import localised

        return localised(self.title_en, self.title_fr)

    def get_absolute_url(self) -> str:
        return reverse("results:indicator_detail", args=[self.pk])


class Target(ScopedModel):
    """What an indicator should reach in a year of the programme."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_year")]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"

    def get_absolute_url(self) -> str:
        return self.indicator.get_absolute_url()


class Actual(ScopedModel):
    """The value of an indicator recorded by hand for a year, with its evidence."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("actual"), max_digits=14, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    evidence_document = models.ForeignKey(
        "knowledge.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence (document)"),
    )
    evidence_activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence (activity)"),
    )
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="one_actual_per_year")]
        verbose_name = _("actual")
        verbose_name_plural = _("actuals")

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"

    def get_absolute_url(self) -> str:
        return self.indicator.get_absolute_url()


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")


class ProgressReport(ScopedModel):
    """A programme's yearly (or quarterly) progress report: a narrative, the indicator table as it
    stood when submitted, the risk log, and budget against spending. Drafted by the lead office,
    approved by the region's ROCB or the Secretariat, then read by the donors that fund it."""

    programme = models.ForeignKey(
        "activities.Programme",
        on_delete=models.CASCADE,
        related_name="progress_reports",
        verbose_name=_("programme"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    snapshot = models.JSONField(_("indicator table"), default=dict, blank=True)
    comments = models.TextField(_("comments of the approver"), blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    docx = models.FileField(_("Word document"), upload_to="progress/%Y/", blank=True)
    pdf = models.FileField(_("PDF"), upload_to="progress/%Y/", blank=True)

    class Meta:
        ordering = ["programme", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year", "quarter"], name="one_report_per_period"),
            models.UniqueConstraint(
                fields=["programme", "year"],
                condition=models.Q(quarter__isnull=True),
                name="one_yearly_report",
            ),
        ]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        period = f"{self.year} Q{self.quarter}" if self.quarter else str(self.year)
        return str(
            _("Progress report %(period)s of %(programme)s") % {"period": period, "programme": self.programme}
        )

    def get_absolute_url(self) -> str:
        return reverse("results:report_detail", args=[self.pk])


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Risk(ScopedModel):
    """An entry of a programme's risk log: likelihood and impact from 1 to 5, mitigation, owner."""

    programme = models.ForeignKey(
        "activities.Programme", on_delete=models.CASCADE, related_name="risks", verbose_name=_("programme")
    )
    description = models.TextField(_("risk"))
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1–5)"), default=3)
    impact = models.PositiveSmallIntegerField(_("impact (1–5)"), default=3)
    mitigation = models.TextField(_("mitigation"), blank=True)
    owner = models.ForeignKey(
        "network.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(_("status"), max_length=6, choices=RiskStatus.choices, default=RiskStatus.OPEN)

    class Meta:
        ordering = ["programme", "-likelihood", "-impact", "pk"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")

    def __str__(self) -> str:
        return self.description[:120]

    def get_absolute_url(self) -> str:
        return reverse("results:programme_results", args=[self.programme_id]) + f"#risk-{self.pk}"

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class EvaluationKind(models.TextChoices):
    MID_TERM = "mid_term", _("Mid-term evaluation")
    FINAL = "final", _("Final evaluation")


class Evaluation(ScopedModel):
    """A mid-term or final evaluation of a programme: its evaluators (people of the registry, such as
    accredited experts), terms of reference, findings and recommendations."""

    programme = models.ForeignKey(
        "activities.Programme",
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("programme"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvaluationKind.choices)
    evaluators = models.ManyToManyField(
        "people.Person", blank=True, related_name="+", verbose_name=_("evaluators")
    )
    terms_of_reference = models.TextField(_("terms of reference"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["programme", "completed_on", "pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.programme}"

    def get_absolute_url(self) -> str:
        return reverse("results:evaluation_detail", args=[self.pk])


class Response(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")


class Recommendation(ScopedModel):
    """A recommendation of an evaluation and the management's response to it: accepted, partly or
    rejected, with the reason, and the actions that follow it up."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(_("recommendation"))
    response = models.CharField(_("management response"), max_length=8, choices=Response.choices, blank=True)
    response_text = models.TextField(_("response"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["evaluation", "position", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return self.text[:120]

    def get_absolute_url(self) -> str:
        return self.evaluation.get_absolute_url() + f"#recommendation-{self.pk}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class FollowUpAction(ScopedModel):
    """An action a management response commits to: what, the owner offices, a due date and a status
    followed to completion."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="actions")
    what = models.TextField(_("what must be done"))
    owners = models.ManyToManyField(
        "network.Office", blank=True, related_name="+", verbose_name=_("owner offices")
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    reason = models.TextField(_("reason (when dropped)"), blank=True)

    class Meta:
        ordering = ["recommendation", "due_on", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self) -> str:
        return self.what[:120]

    def get_absolute_url(self) -> str:
        return self.recommendation.get_absolute_url()
