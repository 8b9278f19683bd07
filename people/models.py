"""One identity per person across every activity, nomination and (later) expert pool."""

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import ScopedModel


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class Person(ScopedModel):
    """A customs officer, trainer or expert; duplicates are found by email or name plus administration."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    member = models.ForeignKey(
        "network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("member administration"),
    )
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, default=Gender.UNDISCLOSED)
    job_title = models.CharField(_("job title"), max_length=160, blank=True)
    user = models.OneToOneField(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    name_key = models.CharField(max_length=210, editable=False, db_index=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="unique_person_email"
            ),
        ]
        # Lists are in name order: the whole list, or one administration's.
        indexes = [
            models.Index(fields=["member", "name_key"]),
            models.Index(fields=["last_name", "first_name"], name="person_by_name"),
            models.Index(fields=["member", "last_name", "first_name"], name="person_member_by_name"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return reverse("people:person_detail", args=[self.pk])
