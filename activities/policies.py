"""Who may see and change activities, requests, nominations and participations.

Activities: announced ones (scheduled onwards) are public; every signed-in user sees all of them.
The Secretariat, the region's ROCB officers and the lead RTC's coordinator run them. Participant
lists are personal data: organisers see their activities', focal points their administration's,
experts their own, donors those of activities they fund.
"""

from django.db.models import Q

from accounts.roles import Role
from activities.models import (
    PUBLIC_STATUSES,
    Activity,
    ActivityTransition,
    AssistanceRequest,
    ImportBatch,
    Nomination,
    Participation,
    Programme,
    Project,
    RequestEvent,
    ServiceItem,
)
from core.permissions import ALL, ANY_ROLE, Policy, register_policy

ORGANISERS = {Role.ROCB_OFFICER: "region", Role.RTC_COORDINATOR: "lead_office"}
ACTIVITY_ORGANISERS = {Role.ROCB_OFFICER: "activity__region", Role.RTC_COORDINATOR: "activity__lead_office"}


def uploaded_by_themselves(user) -> Q:
    return Q(uploaded_by=user.pk)


def register() -> None:
    register_policy(ServiceItem, Policy(public=Q(is_active=True), view={ANY_ROLE: ALL}))
    register_policy(
        Programme,
        Policy(
            view={ANY_ROLE: ALL},
            add={Role.ROCB_OFFICER: "lead_office__region", Role.RTC_COORDINATOR: "lead_office"},
            change={Role.ROCB_OFFICER: "lead_office__region", Role.RTC_COORDINATOR: "lead_office"},
        ),
    )
    register_policy(
        Project,
        Policy(
            view={ANY_ROLE: ALL},
            add={Role.ROCB_OFFICER: "programme__lead_office__region"},
            change={Role.ROCB_OFFICER: "programme__lead_office__region"},
        ),
    )
    register_policy(
        Activity,
        Policy(
            public=Q(status__in=PUBLIC_STATUSES),
            view={ANY_ROLE: ALL},
            add=ORGANISERS,
            change=ORGANISERS,
            delete=ORGANISERS,
        ),
    )
    register_policy(
        ActivityTransition,
        Policy(
            public=Q(activity__status__in=PUBLIC_STATUSES),
            view={ANY_ROLE: ALL},
        ),
    )
    register_policy(
        AssistanceRequest,
        Policy(
            view={Role.ROCB_OFFICER: "region", Role.FOCAL_POINT: "member"},
            add={Role.ROCB_OFFICER: "region", Role.FOCAL_POINT: "member"},
            change={Role.ROCB_OFFICER: "region"},
        ),
    )
    register_policy(
        RequestEvent,
        Policy(
            view={Role.ROCB_OFFICER: "request__region", Role.FOCAL_POINT: "request__member"},
        ),
    )
    register_policy(
        Nomination,
        Policy(
            view={**ACTIVITY_ORGANISERS, Role.FOCAL_POINT: "member"},
            add={**ACTIVITY_ORGANISERS, Role.FOCAL_POINT: "member"},
            change=ACTIVITY_ORGANISERS,
        ),
    )
    register_policy(
        Participation,
        Policy(
            view={
                **ACTIVITY_ORGANISERS,
                Role.FOCAL_POINT: "member",
                Role.EXPERT: "person__user",
                Role.DONOR: "activity__funding_agreement__donor",
            },
            add=ACTIVITY_ORGANISERS,
            change=ACTIVITY_ORGANISERS,
        ),
    )
    register_policy(
        ImportBatch,
        Policy(view={ANY_ROLE: uploaded_by_themselves}, change={ANY_ROLE: uploaded_by_themselves}),
    )
