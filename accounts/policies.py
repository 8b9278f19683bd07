"""Who may see and change user accounts: everyone themselves; ROCB officers their region's users,
RTC coordinators their centre's, focal points their administration's."""

from django.db.models import Q

from accounts.models import User
from accounts.roles import Role
from core.permissions import ANY_ROLE, Policy, register_policy


def themselves(user) -> Q:
    return Q(pk=user.pk)


def register() -> None:
    register_policy(
        User,
        Policy(
            view={
                ANY_ROLE: themselves,
                Role.ROCB_OFFICER: "region",
                Role.RTC_COORDINATOR: "office",
                Role.FOCAL_POINT: "member",
            },
            change={ANY_ROLE: themselves},
        ),
    )
