"""Who may do what in the registry. Its facts are public; curators are the Secretariat (implicit)
and the ROCB officers of the record's region."""

from django.db.models import Q

from accounts.roles import Role
from core.permissions import Policy, register_policy
from network.models import Committee, CommitteeMembership, Member, Office, OfficeLocation, Region, Source

EVERYTHING = Q()


def register() -> None:
    register_policy(Region, Policy(public=EVERYTHING, change={Role.ROCB_OFFICER: "pk"}))
    register_policy(Member, Policy(
        public=EVERYTHING,
        add={Role.ROCB_OFFICER: "region"},
        change={Role.ROCB_OFFICER: "region"},
    ))
    register_policy(Office, Policy(
        public=EVERYTHING,
        add={Role.ROCB_OFFICER: "region"},
        change={Role.ROCB_OFFICER: "region"},
    ))
    register_policy(OfficeLocation, Policy(
        public=EVERYTHING,
        add={Role.ROCB_OFFICER: "office__region"},
        change={Role.ROCB_OFFICER: "office__region"},
        delete={Role.ROCB_OFFICER: "office__region"},
    ))
    # Committees are global bodies: only the Secretariat curates them.
    register_policy(Committee, Policy(public=EVERYTHING))
    register_policy(CommitteeMembership, Policy(public=EVERYTHING))
    register_policy(Source, Policy(public=EVERYTHING))
