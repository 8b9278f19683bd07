from django.db.models import Q

from core.permissions import ANY_ROLE, Policy, register_policy
from jobs.models import Job


def their_own(user) -> Q:
    return Q(created_by=user.pk)


def register() -> None:
    register_policy(Job, Policy(view={ANY_ROLE: their_own}))
