"""Who sees and changes training products, their sessions, the recognition of programmes and
e-learning completions.

- An RTC coordinator writes their centre's products, modules and sessions; an ROCB officer sees every
  product of the region's offices and endorses or returns them (`services.product_move` checks who
  may make which move); the public sees offered products and their announced sessions.
- A focal point requests a session for their administration and sees its requests and its people's
  completions; completions are never public.
- A recognition application is the applicant's (and, for an RTC, its coordinators'); reviewers see
  only the applications they were assigned; the public sees recognised programmes.
- Competency frameworks are public reference data kept by the Secretariat.
"""

from django.db.models import Q

from accounts.roles import Role
from activities.models import PUBLIC_STATUSES
from core.permissions import ALL, NOTHING, Policy, UserPath, register_policy
from training.models import (
    RECOGNISED_STATUSES,
    Competency,
    CompetencyArea,
    CompetencyFramework,
    Completion,
    CoverageScore,
    Institution,
    LearningPlatform,
    Module,
    Product,
    ProductMove,
    ProductStatus,
    ProductVersion,
    ProgrammeCourse,
    RecognitionApplication,
    RecognitionReviewer,
    Session,
    SessionRequest,
    XapiStatement,
)


def _product_grants(prefix: str) -> dict:
    """The offices that own a product (RTC) or supervise it (its region's ROCB)."""
    path = f"{prefix}owner_office" if prefix else "owner_office"
    return {Role.ROCB_OFFICER: f"{path}__region", Role.RTC_COORDINATOR: path}


def _of_product(prefix: str, public: bool = True) -> Policy:
    grants = _product_grants(prefix)
    offered = Q(**{f"{prefix}status__in": [ProductStatus.OFFERED, ProductStatus.RETIRED]})
    return Policy(public=offered if public else None, view=grants, add=grants, change=grants, delete=grants)


def _application_grants(prefix: str, reviewers: bool = True) -> dict:
    """The applicant (and an RTC's coordinators, for their centre's institution); with `reviewers`,
    also the people assigned to review it. Reviewers read an application, never change it."""

    def applicant(user) -> Q:
        mine = Q(**{f"{prefix}applicant": user.pk})
        if not reviewers:
            return mine
        # A subquery, not a join: a join would list an application once per reviewer.
        reviewing = RecognitionReviewer.objects.filter(person__user=user.pk).values("application")
        return mine | Q(**{f"{prefix}pk__in": reviewing})

    def rtc(user) -> Q:
        centre = Q(**{f"{prefix}institution__office": user.office_id}) if user.office_id else NOTHING
        return applicant(user) | centre

    grants = {role: applicant for role in (Role.RESEARCHER, Role.EXPERT, Role.FOCAL_POINT, Role.ROCB_OFFICER)}
    grants[Role.RTC_COORDINATOR] = rtc
    return grants


def _reviewer_self(prefix: str):
    def grant(user) -> Q:
        return Q(**{f"{prefix}person__user": user.pk})

    return grant


def _completion_view() -> dict:
    return {
        Role.ROCB_OFFICER: "member__region",
        Role.FOCAL_POINT: "member",
        Role.RTC_COORDINATOR: "product__owner_office",
        Role.EXPERT: lambda user: Q(person__user=user.pk),
        Role.RESEARCHER: lambda user: Q(person__user=user.pk),
    }


def register() -> None:
    for model in (CompetencyFramework, CompetencyArea, Competency):
        register_policy(model, Policy(public=Q()))

    register_policy(Product, _of_product(""))
    register_policy(Module, _of_product("product__"))
    # Versions and moves are the record: nobody rewrites them (the services create them).
    versions = _of_product("product__")
    register_policy(ProductVersion, Policy(public=versions.public, view=versions.view))
    register_policy(ProductMove, Policy(view=_of_product("product__", public=False).view))
    session_grants = _product_grants("product__")
    register_policy(
        Session,
        Policy(
            public=Q(
                activity__status__in=PUBLIC_STATUSES,
                product__status__in=[ProductStatus.OFFERED, ProductStatus.RETIRED],
            ),
            view=session_grants,
            add=session_grants,
            change=session_grants,
            delete=session_grants,
        ),
    )
    register_policy(
        SessionRequest,
        Policy(
            view={
                Role.ROCB_OFFICER: "request__region",
                Role.FOCAL_POINT: "request__member",
                Role.RTC_COORDINATOR: "product__owner_office",
            },
            add={Role.FOCAL_POINT: "request__member"},
        ),
    )

    register_policy(
        Institution,
        Policy(
            public=Q(),
            add={
                Role.RTC_COORDINATOR: "office",
                Role.FOCAL_POINT: "country",
                Role.ROCB_OFFICER: "country__region",
                Role.RESEARCHER: ALL,
                Role.EXPERT: ALL,
            },
        ),
    )
    register_policy(
        RecognitionApplication,
        Policy(
            public=Q(status__in=RECOGNISED_STATUSES),
            view=_application_grants(""),
            add={role: UserPath("applicant", "pk") for role in _application_grants("")},
            change=_application_grants("", reviewers=False),
        ),
    )
    register_policy(
        ProgrammeCourse,
        Policy(
            public=Q(application__status__in=RECOGNISED_STATUSES),
            view=_application_grants("application__"),
            add=_application_grants("application__", reviewers=False),
            change=_application_grants("application__", reviewers=False),
            delete=_application_grants("application__", reviewers=False),
        ),
    )
    # Reviewers and their scores are the Secretariat's and the reviewer's own: an applicant never
    # learns who scored what.
    reviewer_self = {role: _reviewer_self("") for role in Role if role != Role.SECRETARIAT}
    register_policy(RecognitionReviewer, Policy(view=reviewer_self, change=reviewer_self))
    score_self = {role: _reviewer_self("reviewer__") for role in Role if role != Role.SECRETARIAT}
    register_policy(
        CoverageScore, Policy(view=score_self, add=score_self, change=score_self, delete=score_self)
    )

    register_policy(
        LearningPlatform, Policy(view={Role.RTC_COORDINATOR: "office", Role.ROCB_OFFICER: "office__region"})
    )
    register_policy(XapiStatement, Policy(view={Role.RTC_COORDINATOR: "platform__office"}))
    centre = {Role.RTC_COORDINATOR: "product__owner_office"}
    register_policy(Completion, Policy(view=_completion_view(), add=centre, change=centre))
