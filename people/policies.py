"""People are personal data: each role sees those in its scope, never a public list."""

from django.db.models import Exists, OuterRef, Q

from accounts.roles import Role
from core.permissions import Policy, UserPath, register_policy
from people.models import Person


def in_their_centres_activities(user) -> Q:
    from activities.models import Participation

    taking_part = Participation.objects.filter(person=OuterRef("pk"), activity__lead_office=user.office_id)
    return Q(Exists(taking_part))


def register() -> None:
    scoped = {
        Role.ROCB_OFFICER: "member__region",
        Role.RTC_COORDINATOR: in_their_centres_activities,
        Role.FOCAL_POINT: "member",
        Role.EXPERT: "user",
    }
    register_policy(
        Person,
        Policy(
            view=scoped,
            add={
                Role.ROCB_OFFICER: "member__region",
                # An RTC trains officers of its whole region; its scope is an office, hence the path.
                Role.RTC_COORDINATOR: UserPath("member__region", "office__region"),
                Role.FOCAL_POINT: "member",
            },
            change={Role.ROCB_OFFICER: "member__region", Role.FOCAL_POINT: "member"},
        ),
    )
