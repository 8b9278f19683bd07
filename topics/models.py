"""The shared topic taxonomy that activities, documents, experts and research are tagged with."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.i18n import localised
from core.models import SourcedModel


class Topic(SourcedModel):
    """A topic of customs capacity building (e.g. post-clearance audit), in a two-level hierarchy."""

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("broader topic"),
    )
    label_en = models.CharField(_("label (English)"), max_length=160)
    label_fr = models.CharField(_("label (French)"), max_length=160, blank=True)
    description = models.TextField(_("description"), blank=True)
    term_attested = models.BooleanField(_("WCO term"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The label in the active language, falling back to English."""
        return localised(self.label_en, self.label_fr)

    def get_absolute_url(self) -> str:
        return reverse("topics:topic_detail", args=[self.pk])
