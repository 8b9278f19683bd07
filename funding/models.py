"""Donors, their funding agreements, and the dated exchange rates used to add amounts up."""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import ScopedModel
from funding.currencies import currency_choices

BASE_CURRENCY = "EUR"
currency_code = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code, e.g. EUR."))


def money_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=14, decimal_places=2, validators=[MinValueValidator(0)], **kwargs
    )


def currency_field(verbose_name, **kwargs):
    """An ISO 4217 code, chosen from the shipped list (forms, serializers and full_clean() agree)."""
    return models.CharField(
        verbose_name, max_length=3, choices=currency_choices, validators=[currency_code], **kwargs
    )


class DonorKind(models.TextChoices):
    MEMBER = "member", _("WCO member administration")
    GOVERNMENT = "government", _("Government development agency")
    MULTILATERAL = "multilateral", _("Multilateral organisation")
    PRIVATE = "private", _("Private sector or foundation")


class Donor(ScopedModel):
    """An organisation that funds capacity building (e.g. a development agency)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DonorKind.choices)
    member = models.ForeignKey(
        "network.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="donors",
        verbose_name=_("member administration"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funding:donor_detail", args=[self.pk])


class FundingAgreement(ScopedModel):
    """A donor's commitment of money, in its own currency, to a programme or to activities."""

    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("donor")
    )
    programme = models.ForeignKey(
        "activities.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("programme"),
    )
    title = models.CharField(_("title"), max_length=250)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    currency = currency_field(_("currency"))
    amount_committed = money_field(_("amount committed"))
    amount_disbursed = money_field(_("amount disbursed"), default=0)
    signed_on = models.DateField(_("signed on"))

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("funding agreement")
        verbose_name_plural = _("funding agreements")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.donor.get_absolute_url()


class ExchangeRate(ScopedModel):
    """What one unit of a currency was worth in euros from a date on; the Secretariat keeps it."""

    currency = currency_field(_("currency"))
    valid_from = models.DateField(_("valid from"))
    eur_per_unit = models.DecimalField(
        _("euros per unit"), max_digits=16, decimal_places=8, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["currency", "-valid_from"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [models.UniqueConstraint(fields=["currency", "valid_from"], name="one_rate_per_day")]

    def __str__(self) -> str:
        return f"{self.currency} {self.valid_from}: {self.eur_per_unit} EUR"

    def get_absolute_url(self) -> str:
        return reverse("funding:rate_list")
