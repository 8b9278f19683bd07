"""Who sees and changes meetings and their outcomes.

- The public sees the meetings, their agendas, the adopted decisions marked public, and approved
  minutes.
- Organisers edit meetings and outcomes: the Secretariat (every meeting; it is not listed, it may do
  everything), and an ROCB officer for the regional coordination meetings of their region.
- Participants (the offices, administrations and people invited, and the seats of the meeting's
  committee) see the whole meeting: draft decisions, draft and circulated minutes, the actions, and
  propose amendments to circulated minutes. A knowledge-base document whose visibility is "the
  participants of the meetings it is tabled at" is seen by the participants of the meetings whose
  agenda tables it.
- An owner office updates its own actions: an RTC coordinator those their centre owns, an ROCB
  officer those the ROCB of their region owns.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from accounts.roles import Role
from core.memo import in_request, remembered
from core.permissions import ANY_ROLE, Policy, register_policy
from meetings.models import (
    ActionItem,
    AgendaItem,
    Amendment,
    Decision,
    DecisionState,
    Invitation,
    Meeting,
    Minutes,
    MinutesStatus,
    ProgressUpdate,
)

NOTHING = Q(pk__in=[])
ORGANISER = {Role.ROCB_OFFICER: "region"}  # a regional coordination meeting of their region


def participating(user):
    """The meetings `user` takes part in: invited (their office, administration or person), seated on
    the meeting's committee, or an office of the region of a regional meeting. Within a page's
    request the ids are read once (every meeting row's filter asks), elsewhere it is a subquery."""
    if in_request():
        return remembered(("meetings.participating", user.pk), lambda: list(_participating(user)))
    return _participating(user)


def _participating(user):
    invited = Q(person__user=user.pk)
    seated = NOTHING  # a committee seat is held by an administration or an office (or a name)
    if user.office_id:
        invited |= Q(office=user.office_id)
        seated |= Q(committee__memberships__office=user.office_id)
    if getattr(user, "member_id", None):
        invited |= Q(member=user.member_id)
        seated |= Q(committee__memberships__member=user.member_id)
    meetings = Meeting.objects.filter(Q(pk__in=Invitation.objects.filter(invited).values("meeting")) | seated)
    if user.role in (Role.ROCB_OFFICER, Role.RTC_COORDINATOR) and user.region_id:
        meetings = meetings | Meeting.objects.filter(region=user.region_id)
    return meetings.values_list("pk", flat=True)


def _through(prefix: str, condition):
    def grant(user):
        return Q(**{f"{prefix}__in": condition(user)})

    return grant


def owned(user):
    """The actions the user's office owns."""
    if user.role == Role.RTC_COORDINATOR and user.office_id:
        return Q(owners=user.office_id)
    if user.role == Role.ROCB_OFFICER and user.region_id:
        return Q(owners__kind="rocb", owners__region=user.region_id)
    return NOTHING


def _owned_actions(user):
    return ActionItem.objects.filter(owned(user)).values("pk")


def _participant_or_owner(user):
    return Q(meeting__in=participating(user)) | Q(pk__in=_owned_actions(user))


def documents_tabled_to_them(user) -> Q:
    """Over knowledge.Document: tabled at an agenda item of a meeting the user takes part in (which
    includes an ROCB officer's and RTC coordinator's regional meetings, so the organisers too)."""
    tabled = AgendaItem.documents.through.objects.filter(
        document=OuterRef("pk"), agendaitem__meeting__in=participating(user)
    )
    return Q(Exists(tabled))


def register() -> None:
    from knowledge.models import Visibility
    from knowledge.policies import register_audience

    register_audience(Visibility.PARTICIPANTS, documents_tabled_to_them)
    register_policy(DecisionState, Policy(public=Q()))
    register_policy(Meeting, Policy(public=Q(), add=ORGANISER, change=ORGANISER, delete=ORGANISER))
    meeting_organiser = {Role.ROCB_OFFICER: "meeting__region"}
    participants = {ANY_ROLE: _through("meeting", participating)}
    register_policy(
        Invitation,
        Policy(
            view={**meeting_organiser, **participants},
            add=meeting_organiser,
            change=meeting_organiser,
            delete=meeting_organiser,
        ),
    )
    register_policy(
        AgendaItem,
        Policy(public=Q(), add=meeting_organiser, change=meeting_organiser, delete=meeting_organiser),
    )
    register_policy(
        Decision,
        Policy(
            public=Q(state__numbers=True, is_public=True),
            # An owner office also sees the decision that asks it to act.
            view={
                **meeting_organiser,
                ANY_ROLE: lambda user: (
                    Q(meeting__in=participating(user)) | Q(actions__in=_owned_actions(user))
                ),
            },
            add=meeting_organiser,
            change=meeting_organiser,
        ),
    )
    register_policy(
        Minutes,
        Policy(
            public=Q(status=MinutesStatus.APPROVED),
            view={**meeting_organiser, **participants},
            add=meeting_organiser,
            change=meeting_organiser,
        ),
    )
    register_policy(
        Amendment,
        Policy(
            view={
                Role.ROCB_OFFICER: "minutes__meeting__region",
                ANY_ROLE: _through("minutes__meeting", participating),
            },
            add={
                ANY_ROLE: _through("minutes__meeting", participating),
                Role.ROCB_OFFICER: "minutes__meeting__region",
            },
            change={Role.ROCB_OFFICER: "minutes__meeting__region"},
        ),
    )
    register_policy(
        ActionItem,
        Policy(
            view={
                Role.ROCB_OFFICER: lambda user: (
                    Q(meeting__region=user.region_id) | _participant_or_owner(user)
                    if user.region_id
                    else _participant_or_owner(user)
                ),
                ANY_ROLE: _participant_or_owner,
            },
            add=meeting_organiser,
            change={
                Role.ROCB_OFFICER: lambda user: (
                    (Q(meeting__region=user.region_id) if user.region_id else NOTHING) | owned(user)
                ),
                ANY_ROLE: owned,
            },
        ),
    )
    register_policy(
        ProgressUpdate,
        Policy(
            view={
                Role.ROCB_OFFICER: lambda user: (
                    Q(action__meeting__region=user.region_id)
                    | Q(action__in=_owned_actions(user))
                    | Q(action__meeting__in=participating(user))
                    if user.region_id
                    else Q(action__in=_owned_actions(user)) | Q(action__meeting__in=participating(user))
                ),
                ANY_ROLE: lambda user: (
                    Q(action__in=_owned_actions(user)) | Q(action__meeting__in=participating(user))
                ),
            },
            add={
                Role.ROCB_OFFICER: lambda user: (
                    (Q(action__meeting__region=user.region_id) if user.region_id else NOTHING)
                    | Q(action__in=_owned_actions(user))
                ),
                ANY_ROLE: lambda user: Q(action__in=_owned_actions(user)),
            },
        ),
    )
