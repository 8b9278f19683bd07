"""The registry of the WCO capacity-building network: regions, offices, members and committees.

Its facts are public. Each record keeps the sources and the confidence it was loaded with, so
curators can see which rows still need checking, and every change is kept in its history.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import localised
from core.models import ScopedModel, SourcedModel

# Years the registry can hold; explicit so the API schema is the same on every database.
YEAR_RANGE = [MinValueValidator(1850), MaxValueValidator(2200)]


class Region(SourcedModel):
    """A WCO region (e.g. Asia/Pacific), served by one ROCB and its RTCs."""

    code = models.CharField(_("code"), max_length=8, unique=True, help_text=_("WCO code, e.g. A/P."))
    slug = models.SlugField(_("slug"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    official_long_name = models.CharField(_("official long name"), max_length=250, blank=True)
    member_count_sourced = models.TextField(_("member count (as sourced)"), blank=True)
    recent_vice_chairs = models.TextField(_("recent vice-chairs (as sourced)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        return localised(self.name, self.name_fr)

    def get_absolute_url(self) -> str:
        return reverse("network:region_detail", args=[self.pk])


class Member(SourcedModel):
    """A WCO member customs administration (and the EU, which has a status akin to membership)."""

    iso_alpha2 = models.CharField(_("ISO alpha-2"), max_length=2, unique=True)
    iso_alpha3 = models.CharField(_("ISO alpha-3"), max_length=3, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    capital = models.CharField(_("capital"), max_length=120, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="members", verbose_name=_("region")
    )
    joined_on = models.DateField(_("date joined"), null=True, blank=True)
    joined_year = models.PositiveSmallIntegerField(
        _("year joined"),
        null=True,
        blank=True,
        validators=YEAR_RANGE,
        help_text=_("Kept when only the year is known."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("member administration")
        verbose_name_plural = _("member administrations")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        return localised(self.name, self.name_fr)

    def get_absolute_url(self) -> str:
        return reverse("network:member_detail", args=[self.pk])

    @property
    def joined_display(self):
        return self.joined_on or self.joined_year


class OfficeKind(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    ROCB = "rocb", _("Regional Office for Capacity Building")
    RTC = "rtc", _("Regional Training Centre")


class CoordinatePrecision(models.TextChoices):
    CITY = "city", _("City")
    COUNTRY = "country", _("Capital (city not known)")


class Office(SourcedModel):
    """An office that delivers capacity building: the Secretariat, an ROCB or an RTC."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=OfficeKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=160)
    name_fr = models.CharField(
        _("name (French)"), max_length=160, blank=True, help_text=_("e.g. BRRC Asie/Pacifique, CRF Japon.")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name=_("region"),
    )
    host_member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_offices",
        verbose_name=_("host administration"),
    )
    institution = models.CharField(_("institution"), max_length=250, blank=True)
    city = models.CharField(_("city"), max_length=250, blank=True)
    country = models.CharField(_("country"), max_length=120, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    coordinate_precision = models.CharField(
        _("coordinate precision"), max_length=10, choices=CoordinatePrecision.choices, blank=True
    )
    year_established = models.PositiveSmallIntegerField(
        _("year established"), null=True, blank=True, validators=YEAR_RANGE
    )
    established_detail = models.TextField(_("establishment"), blank=True)
    location_history = models.TextField(_("location history (as sourced)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        indexes = [models.Index(fields=["region", "kind"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language: "ROCB Asia/Pacific", or "BRRC Asie/Pacifique" in French."""
        return localised(self.name, self.name_fr)

    def get_absolute_url(self) -> str:
        return reverse("network:office_detail", args=[self.pk])


class OfficeLocation(SourcedModel):
    """Where an office was, and when: ROCBs and RTCs have moved city over the years."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="locations", verbose_name=_("office")
    )
    city = models.CharField(_("city"), max_length=250)
    country = models.CharField(_("country"), max_length=120, blank=True)
    since = models.CharField(_("since"), max_length=40, blank=True, help_text=_("A year or a date."))
    until = models.CharField(_("until"), max_length=40, blank=True, help_text=_("Empty while current."))
    is_current = models.BooleanField(_("current"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["office", "-is_current", "since"]
        verbose_name = _("office location")
        verbose_name_plural = _("office locations")
        constraints = [
            models.UniqueConstraint(fields=["office", "city"], name="unique_office_city"),
        ]

    def __str__(self) -> str:
        return f"{self.office}: {self.city}"

    def get_absolute_url(self) -> str:
        return self.office.get_absolute_url()


class CommitteeRelation(models.TextChoices):
    ADVISES = "advises", _("Advises the capacity-building directorate")
    COLLABORATES = "collaborates", _("Collaborates with the directorate")


class Committee(SourcedModel):
    """A committee, working group or co-ordination meeting of the WCO."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=20, blank=True)
    relation = models.CharField(_("relation"), max_length=14, choices=CommitteeRelation.choices)
    is_virtual = models.BooleanField(_("virtual working group"), default=False)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["relation", "name"]
        verbose_name = _("committee or working group")
        verbose_name_plural = _("committees and working groups")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:committee_detail", args=[self.pk])


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    SECRETARY = "secretary", _("Secretary")


class CommitteeMembership(ScopedModel):
    """One seat on a committee: held by a member administration, an office or a named person."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("committee")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="committee_seats",
        verbose_name=_("member administration"),
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="committee_seats",
        verbose_name=_("office"),
    )
    person_name = models.CharField(_("person"), max_length=160, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=MembershipRole.choices, default="member")
    since_year = models.PositiveSmallIntegerField(_("since"), null=True, blank=True, validators=YEAR_RANGE)
    until_year = models.PositiveSmallIntegerField(_("until"), null=True, blank=True, validators=YEAR_RANGE)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["committee", "role", "pk"]
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_has_exactly_one_holder",
                condition=(
                    Q(member__isnull=False, office__isnull=True, person_name="")
                    | Q(member__isnull=True, office__isnull=False, person_name="")
                    | (Q(member__isnull=True, office__isnull=True) & ~Q(person_name=""))
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} ({self.get_role_display()})"

    @property
    def holder(self):
        return self.member or self.office or self.person_name

    def get_absolute_url(self) -> str:
        return self.committee.get_absolute_url()


class Source(ScopedModel):
    """A public source that reference rows cite by key (from SOURCES.md)."""

    key = models.CharField(_("key"), max_length=60, unique=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    section = models.CharField(_("section"), max_length=120, blank=True)
    description = models.TextField(_("what was taken"), blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.key
