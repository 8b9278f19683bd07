"""The roles a cbhub user can hold, and which part of the network each one is scoped to."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat officer")
    ROCB_OFFICER = "rocb_officer", _("ROCB officer")
    RTC_COORDINATOR = "rtc_coordinator", _("RTC coordinator")
    FOCAL_POINT = "focal_point", _("Member focal point")
    EXPERT = "expert", _("Expert")
    RESEARCHER = "researcher", _("Researcher")
    DONOR = "donor", _("Donor")


# The user field that holds each role's scope. A role absent here is scoped to the user itself.
SCOPE_FIELD = {
    Role.ROCB_OFFICER: "region",
    Role.RTC_COORDINATOR: "office",
    Role.FOCAL_POINT: "member",
    Role.DONOR: "donor",
}
