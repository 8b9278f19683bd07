"""Who sees and changes questionnaires, waves and answers.

Questionnaires and the question bank are working material every signed-in user may read; offices
keep their own copies, the Secretariat the shipped templates. Waves are run by the activity's
organisers (the region's ROCB officers, the lead RTC's coordinator) or, for a yearly needs survey,
by the region's ROCB. Answers are personal data:
- organisers see the answers to their own activities' questionnaires;
- focal points see their own administration's answers (named ones only: an anonymous wave's rows
  are only ever seen as aggregates);
- respondents with an account see their own;
- the Secretariat sees everything;
- donors see only anonymous aggregates of the activities they fund (`aggregate_responses`).
Respondents answer through their personal link (surveys.services.invitation_by_token), not a role.
"""

from django.db.models import Q

from accounts.roles import Role
from core.permissions import ALL, ANY_ROLE, Policy, UserPath, grants_filter, register_policy
from surveys.models import (
    ActivityNeed,
    Answer,
    BankQuestion,
    Invitation,
    Need,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Wave,
)

QUESTIONNAIRE_OWNERS = {Role.ROCB_OFFICER: "owner_office__region", Role.RTC_COORDINATOR: "owner_office"}
WAVE_ORGANISERS = {Role.ROCB_OFFICER: "region", Role.RTC_COORDINATOR: "activity__lead_office"}


def rerooted(grants: dict, prefix: str) -> dict:
    """The same grants, reached from a row that points at the granted model through `prefix`."""
    result = {}
    for role, grant in grants.items():
        if isinstance(grant, UserPath):
            result[role] = UserPath(prefix + grant.path, grant.user_path)
        elif callable(grant):
            raise TypeError("callable grants cannot be rerooted by a prefix")
        else:
            result[role] = grant if grant == ALL else prefix + grant
    return result


def focal_point_waves(user) -> Q:
    """A focal point's waves: those of activities for their administration, and their region's surveys."""
    from activities.models import Activity
    from network.models import Member

    member = user.member_id
    theirs = Activity.objects.filter(Q(host_member=member) | Q(beneficiary_members=member))
    region = Member.objects.filter(pk=member).values("region")
    # Subqueries, not joins: a join through the beneficiaries would repeat a wave once per match.
    return Q(activity__in=theirs.values("pk")) | Q(activity__isnull=True, region__in=region)


WAVE_VIEW = {
    **WAVE_ORGANISERS,
    Role.FOCAL_POINT: focal_point_waves,
    Role.DONOR: "activity__funding_agreement__donor",
}


def _waves_where(**condition):
    """Responses of the waves matching `condition`, as a subquery on the response's own column: an
    OR of such conditions (the organiser's waves, or the user's own answers) can then use each
    column's index instead of scanning every response through the joins."""
    return Q(wave__in=Wave.objects.filter(**condition).values("pk"))


def own_responses(user) -> Q:
    from people.models import Person

    return Q(person__in=Person.objects.filter(user=user.pk).values("pk"))


RESPONSE_VIEW = {
    # An anonymous wave's rows are read by no one but the Secretariat: organisers count them.
    Role.ROCB_OFFICER: lambda user: _waves_where(region=user.region_id, anonymous=False),
    Role.RTC_COORDINATOR: lambda user: _waves_where(activity__lead_office=user.office_id, anonymous=False),
    Role.FOCAL_POINT: lambda user: Q(member=user.member_id) & _waves_where(anonymous=False),
    ANY_ROLE: own_responses,
}
# Aggregates (results pages, charts, the activity's evaluation summary): the rows above, and for a
# donor the anonymous waves of the activities it funds, shown only in cells of 5 or more.
AGGREGATE_VIEW = {
    **RESPONSE_VIEW,
    Role.ROCB_OFFICER: lambda user: _waves_where(region=user.region_id),
    Role.RTC_COORDINATOR: lambda user: _waves_where(activity__lead_office=user.office_id),
    Role.FOCAL_POINT: "member",
    Role.DONOR: lambda user: Q(wave__anonymous=True, wave__activity__funding_agreement__donor=user.donor_id),
}
NEEDS_VIEW = {
    Role.ROCB_OFFICER: "region",
    Role.RTC_COORDINATOR: UserPath("region", "office__region"),
    Role.FOCAL_POINT: "member",
}


def aggregate_responses(user) -> Q | None:
    """The responses whose answers the user may see counted (None: none at all)."""
    return grants_filter(user, AGGREGATE_VIEW)


def register() -> None:
    register_policy(
        Questionnaire,
        Policy(
            view={ANY_ROLE: ALL},
            add=QUESTIONNAIRE_OWNERS,
            change=QUESTIONNAIRE_OWNERS,
            delete=QUESTIONNAIRE_OWNERS,
        ),
    )
    register_policy(QuestionnaireVersion, Policy(view={ANY_ROLE: ALL}))
    register_policy(BankQuestion, Policy(view={ANY_ROLE: ALL}))
    register_policy(
        Wave,
        Policy(view=WAVE_VIEW, add=WAVE_ORGANISERS, change=WAVE_ORGANISERS, delete=WAVE_ORGANISERS),
    )
    register_policy(
        Invitation,
        Policy(
            view={**rerooted(WAVE_ORGANISERS, "wave__"), Role.FOCAL_POINT: "member"},
            change=rerooted(WAVE_ORGANISERS, "wave__"),
        ),
    )
    register_policy(Response, Policy(view=RESPONSE_VIEW))
    register_policy(
        Answer,
        Policy(
            view={
                **rerooted(WAVE_ORGANISERS, "response__wave__"),
                Role.FOCAL_POINT: lambda user: Q(
                    response__member=user.member_id, response__wave__anonymous=False
                ),
                ANY_ROLE: lambda user: Q(response__person__user=user.pk),
            }
        ),
    )
    register_policy(Need, Policy(view=NEEDS_VIEW))
    register_policy(
        ActivityNeed,
        Policy(view={ANY_ROLE: ALL}, add={Role.ROCB_OFFICER: "region"}, delete={Role.ROCB_OFFICER: "region"}),
    )
