"""People are personal data: each role sees those in its scope, never a public list."""

from django.db.models import Q

from accounts.roles import Role
from core.permissions import Policy, UserPath, register_policy
from people.models import Person


def in_their_centres_activities(user) -> Q:
    from activities.models import Participation

    # A subquery computed once (the centre's participants), not an EXISTS per person: for that,
    # the planner probes each of the centre's activities for every one of 80,000 people.
    from training.models import Completion

    taking_part = Participation.objects.filter(activity__lead_office=user.office_id).values("person_id")
    # The centre's e-learners too: its LMS exports name them.
    learners = Completion.objects.filter(product__owner_office=user.office_id).values("person_id")
    return Q(pk__in=taking_part) | Q(pk__in=learners)


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
