"""Shared model pieces. core owns no tables of its own."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.permissions import RestrictedQuerySet


class Confidence(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium (inferred)")
    UNSOURCED = "unsourced", _("Unsourced")


class ScopedModel(models.Model):
    """Base for every cbhub model: timestamps and the restrictable default manager."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True


class SourcedModel(ScopedModel):
    """A record loaded from sourced reference data, keeping where each fact came from."""

    source_ids = models.CharField(
        _("sources"), max_length=1000, blank=True, help_text=_("Source keys, separated by semicolons.")
    )
    confidence = models.CharField(
        _("confidence"), max_length=12, choices=Confidence.choices, default=Confidence.UNSOURCED
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        abstract = True

    @property
    def source_keys(self) -> list[str]:
        return [key.strip() for key in self.source_ids.split(";") if key.strip()]
