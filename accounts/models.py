"""cbhub users: a Django user with one role and the part of the network that role is scoped to."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.permissions import RestrictedQuerySet


class ScopedUserManager(UserManager.from_queryset(RestrictedQuerySet)):
    """Django's user manager, with `restrict()` like every other cbhub model."""


class User(AbstractUser):
    """A person who signs in. `region` is kept for every scoped role so region-wide reads are one join."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.RESEARCHER)
    region = models.ForeignKey(
        "network.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("region"),
    )
    office = models.ForeignKey(
        "network.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("office"),
    )
    member = models.ForeignKey(
        "network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("member administration"),
    )

    donor = models.ForeignKey(
        "funding.Donor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("donor"),
    )

    objects = ScopedUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["role", "region"])]

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.pk])

    @property
    def acting_as(self) -> str:
        """Who acted, as pages outside the user directory show it: the office or the role and its
        scope, never the account name (history and timelines are read by the public)."""
        if self.office_id:
            return str(self.office)
        if self.role == Role.SECRETARIAT or self.is_superuser:
            return str(_("WCO Secretariat"))
        scope = self.scope
        label = self.get_role_display()
        return f"{label}, {scope}" if scope else str(label)

    @property
    def scope(self):
        """What this user's role is scoped to, for display."""
        return {
            Role.ROCB_OFFICER: self.region,
            Role.RTC_COORDINATOR: self.office,
            Role.FOCAL_POINT: self.member,
            Role.DONOR: self.donor,
        }.get(self.role)
