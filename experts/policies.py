"""Who sees and changes experts' data.

Profiles are personal data. Experts see and edit their own; the home administration's focal point
sees and confirms its experts; ROCB officers curate their region's experts and, when staffing, see
the accredited experts of every pool (the staffing fields only: `may_see_private` keeps another
region's contact details, CV and comments from them); the Secretariat sees everything; donors,
researchers and the public see nothing personal. Deployments are seen by their organisers, the
expert, and the focal points of the expert's and of the beneficiary administration.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.roles import Role
from core.permissions import ALL, ANY_ROLE, Policy, grants_filter, register_policy
from experts.models import (
    Accreditation,
    AccreditationStatus,
    AccreditationStep,
    ConflictDeclaration,
    Deployment,
    DeploymentEvent,
    Evaluation,
    ExpertLanguage,
    ExpertProfile,
    Pool,
    ShortlistPick,
    Slot,
    Unavailability,
)

OWN_EXPERT = "person__user"


def accredited_or_in_region(user) -> Q:
    """An ROCB officer's experts: their region's, and anyone accredited in a pool (for staffing)."""
    accredited = Accreditation.objects.filter(profile=OuterRef("pk"), status=AccreditationStatus.ACCREDITED)
    return Q(region=user.region_id) | Q(Exists(accredited))


PROFILE_VIEW = {
    Role.ROCB_OFFICER: accredited_or_in_region,
    Role.FOCAL_POINT: "home_member",
    Role.EXPERT: OWN_EXPERT,
}
# Private fields and private rows (conflicts, unavailability, CVs): no staffing-wide reach.
PROFILE_PRIVATE = {Role.ROCB_OFFICER: "region", Role.FOCAL_POINT: "home_member", Role.EXPERT: OWN_EXPERT}
PROFILE_CURATORS = {Role.ROCB_OFFICER: "region", Role.FOCAL_POINT: "home_member", Role.EXPERT: OWN_EXPERT}
# Profiles are created by curators (one at a time or by importing a roster), never by the expert.
PROFILE_CREATORS = {Role.ROCB_OFFICER: "region", Role.FOCAL_POINT: "home_member"}


def through(grants: dict, prefix: str = "profile__", model=ExpertProfile) -> dict:
    """The same grants, reached from a row that points at `model` through `prefix`."""

    def rerooted(grant):
        if callable(grant):
            return lambda user: Q(**{f"{prefix}in": model.objects.filter(grant(user)).values("pk")})
        return f"{prefix}{grant}"

    return {role: rerooted(grant) for role, grant in grants.items()}


def may_see_private(user, profile: ExpertProfile) -> bool:
    """Whether the user may see the profile's contact details, CV, conflicts and comments."""
    condition = grants_filter(user, PROFILE_PRIVATE)
    if condition is None:
        return False
    return not condition or ExpertProfile.objects.filter(condition, pk=profile.pk).exists()


def private_profiles(user) -> Q | None:
    """The profiles whose private fields the user may see, as a filter (None: none)."""
    return grants_filter(user, PROFILE_PRIVATE)


ORGANISERS = {Role.ROCB_OFFICER: "activity__region", Role.RTC_COORDINATOR: "activity__lead_office"}
DEPLOYMENT_ORGANISERS = {
    Role.ROCB_OFFICER: "slot__activity__region",
    Role.RTC_COORDINATOR: "slot__activity__lead_office",
}


def deployment_focal_points(user) -> Q:
    """The focal points of the expert's administration (release) and of the beneficiary (rating)."""
    receiving = Deployment.objects.filter(
        Q(slot__activity__host_member=user.member_id) | Q(slot__activity__beneficiary_members=user.member_id)
    )
    return Q(profile__home_member=user.member_id) | Q(pk__in=receiving.values("pk"))


DEPLOYMENT_VIEW = {
    **DEPLOYMENT_ORGANISERS,
    Role.FOCAL_POINT: deployment_focal_points,
    Role.EXPERT: "profile__person__user",
}
DEPLOYMENT_ACTORS = DEPLOYMENT_VIEW  # each move's actor is checked by experts.services


def register() -> None:
    register_policy(
        Pool,
        Policy(
            public=Q(),
            add={Role.ROCB_OFFICER: "region"},
            change={Role.ROCB_OFFICER: "region"},
        ),
    )
    register_policy(
        ExpertProfile,
        Policy(view=PROFILE_VIEW, add=PROFILE_CREATORS, change=PROFILE_CURATORS),
    )
    register_policy(
        ExpertLanguage,
        Policy(
            view=through(PROFILE_VIEW),
            add=through(PROFILE_CURATORS),
            change=through(PROFILE_CURATORS),
            delete=through(PROFILE_CURATORS),
        ),
    )
    for model in (ConflictDeclaration, Unavailability):
        register_policy(
            model,
            Policy(
                view=through(PROFILE_PRIVATE),
                add=through(PROFILE_CURATORS),
                change=through(PROFILE_CURATORS),
                delete=through(PROFILE_CURATORS),
            ),
        )
    register_policy(
        Accreditation,
        Policy(
            view=through(PROFILE_VIEW),
            add={Role.ROCB_OFFICER: "profile__region", Role.FOCAL_POINT: "profile__home_member"},
            change={Role.ROCB_OFFICER: "profile__region"},
        ),
    )
    register_policy(AccreditationStep, Policy(view=through(PROFILE_VIEW, prefix="accreditation__profile__")))
    register_policy(
        Slot,
        Policy(view={ANY_ROLE: ALL}, add=ORGANISERS, change=ORGANISERS, delete=ORGANISERS),
    )
    register_policy(
        Deployment,
        Policy(view=DEPLOYMENT_VIEW, add=DEPLOYMENT_ORGANISERS, change=DEPLOYMENT_ACTORS),
    )
    register_policy(DeploymentEvent, Policy(view=through(DEPLOYMENT_VIEW, "deployment__", Deployment)))
    register_policy(
        Evaluation,
        Policy(
            view={
                **{role: f"deployment__{grant}" for role, grant in DEPLOYMENT_ORGANISERS.items()},
                Role.EXPERT: "deployment__profile__person__user",
                Role.FOCAL_POINT: lambda user: (
                    Q(deployment__profile__home_member=user.member_id) | Q(evaluator=user.pk)
                ),
            },
            add={
                **{role: f"deployment__{grant}" for role, grant in DEPLOYMENT_ORGANISERS.items()},
                # The beneficiary administration rates the expert it received.
                Role.FOCAL_POINT: "deployment__slot__activity__host_member",
            },
            change={Role.EXPERT: "deployment__profile__person__user"},  # to record a disagreement
        ),
    )
    register_policy(
        ShortlistPick,
        Policy(
            view={role: f"slot__{grant}" for role, grant in ORGANISERS.items()},
            add={role: f"slot__{grant}" for role, grant in ORGANISERS.items()},
        ),
    )
