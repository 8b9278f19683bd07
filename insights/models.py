"""The annual report of an office: generated as a job from the year's figures, approved by the
office, then published to the knowledge base. Everything else insights shows is read from the other
apps and owns no row."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import ScopedModel


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved and published")


class AnnualReport(ScopedModel):
    """An office's report on a year: activities, administrations reached, participants, evaluation,
    experts deployed, needs answered, meetings and their actions, publications and research, and
    funding by donor, written as DOCX and PDF. Regenerating a draft replaces its files; an approved
    report is published to the knowledge base and no longer changes."""

    office = models.ForeignKey(
        "network.Office", on_delete=models.PROTECT, related_name="annual_reports", verbose_name=_("office")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    docx = models.FileField(_("Word document"), upload_to="reports/%Y/", blank=True)
    pdf = models.FileField(_("PDF"), upload_to="reports/%Y/", blank=True)
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    generated_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(
        "knowledge.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published as"),
    )

    class Meta:
        ordering = ["-year", "office__name"]
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="one_report_per_office_year")]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")

    def __str__(self) -> str:
        return str(_("Annual report %(year)d of %(office)s") % {"year": self.year, "office": self.office})

    def get_absolute_url(self) -> str:
        return reverse("insights:report_detail", args=[self.pk])
