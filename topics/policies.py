from django.db.models import Q

from core.permissions import Policy, register_policy
from topics.models import Topic


def register() -> None:
    # The taxonomy is public; the Secretariat curates it.
    register_policy(Topic, Policy(public=Q()))
