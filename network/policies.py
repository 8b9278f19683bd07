"""Who may do what in the registry. Its facts are public; curators are the Secretariat (implicit)
and the ROCB officers of the record's region."""

from django.db.models import Q

from accounts.roles import Role
from core.permissions import Policy, register_policy
from network.models import Committee, CommitteeMembership, Member, Office, OfficeLocation, Region, Source

EVERYTHING = Q()


def curated_by_region_rocb(region_path: str, *, may_delete: bool = False) -> Policy:
    """Public to read; the ROCB officers of the region reached by `region_path` add and change."""
    grant = {Role.ROCB_OFFICER: region_path}
    return Policy(public=EVERYTHING, add=grant, change=grant, delete=grant if may_delete else {})


def register() -> None:
    register_policy(Region, Policy(public=EVERYTHING, change={Role.ROCB_OFFICER: "pk"}))
    register_policy(Member, curated_by_region_rocb("region"))
    register_policy(Office, curated_by_region_rocb("region"))
    register_policy(OfficeLocation, curated_by_region_rocb("office__region", may_delete=True))
    # Committees are global bodies: only the Secretariat curates them.
    register_policy(Committee, Policy(public=EVERYTHING))
    register_policy(CommitteeMembership, Policy(public=EVERYTHING))
    register_policy(Source, Policy(public=EVERYTHING))
