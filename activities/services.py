"""The rules of activities: creation, the status lifecycle, request triage, nominations, attendance.

Every function checks the caller's permission, validates, and writes in one transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from activities.models import (
    Activity,
    ActivityTransition,
    AssistanceRequest,
    Attendance,
    Nomination,
    NominationStatus,
    Participation,
    RequestEvent,
    RequestStatus,
    Status,
)
from core.permissions import Action, allowed_as_edited, require, require_related_visible
from funding.services import require_currency

MANY_TO_MANY = ("topics", "organising_offices", "beneficiary_members")

# --- activities ----------------------------------------------------------------------------------


def _validate_activity(activity: Activity) -> None:
    errors = {}
    if activity.start_date and activity.end_date and activity.end_date < activity.start_date:
        errors["end_date"] = _("The end date is before the start date.")
    for amount, currency, label in (
        ("budget_amount", "budget_currency", _("budget")),
        ("actual_cost", "actual_currency", _("actual cost")),
    ):
        try:
            require_currency(getattr(activity, amount), getattr(activity, currency), label, currency)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def _apply(activity: Activity, data: dict[str, Any]) -> dict[str, Any]:
    many = {name: data.pop(name) for name in MANY_TO_MANY if name in data}
    for name, value in data.items():
        setattr(activity, name, value)
    if isinstance(activity.languages, list | tuple):
        activity.languages = ",".join(activity.languages)
    # The region scopes the activity: the lead office's, or for the Secretariat the host's.
    lead = activity.lead_office if activity.lead_office_id else None
    if lead is not None and lead.region_id:
        activity.region_id = lead.region_id
    elif activity.host_member_id:
        activity.region_id = activity.host_member.region_id
    return many


def _save(activity: Activity, many: dict[str, Any]) -> Activity:
    _validate_activity(activity)
    activity.full_clean()
    activity.save()
    for name, values in many.items():
        getattr(activity, name).set(values)
    return activity


@transaction.atomic
def activity_create(*, user, data: dict[str, Any]) -> Activity:
    require_related_visible(user, Activity, data)
    activity = Activity()
    many = _apply(activity, dict(data))
    require(user, Action.ADD, activity)
    return _save(activity, many)


@transaction.atomic
def activity_update(*, user, activity: Activity, data: dict[str, Any]) -> Activity:
    require(user, Action.CHANGE, activity)
    data = {
        name: value for name, value in data.items() if name != "status"
    }  # status moves by transition only
    require_related_visible(user, Activity, data, activity)
    many = _apply(activity, data)
    if not allowed_as_edited(user, Action.CHANGE, activity):
        raise PermissionDenied(_("This change would move the activity out of your scope."))
    return _save(activity, many)


# --- lifecycle -----------------------------------------------------------------------------------

FORWARD = {
    Status.PROPOSED: Status.APPROVED,
    Status.APPROVED: Status.FUNDED,
    Status.FUNDED: Status.SCHEDULED,
    Status.SCHEDULED: Status.DELIVERED,
    Status.DELIVERED: Status.EVALUATED,
    Status.EVALUATED: Status.CLOSED,
}
POSTPONABLE = {Status.PROPOSED, Status.APPROVED, Status.FUNDED, Status.SCHEDULED}
CANCELLABLE = POSTPONABLE | {Status.POSTPONED}


def allowed_transitions(activity: Activity) -> list[str]:
    """The statuses the activity may move to next, whether or not its data is complete yet."""
    targets = []
    if activity.status in FORWARD:
        targets.append(FORWARD[activity.status])
    if activity.status == Status.POSTPONED and activity.status_before_postponement:
        targets.append(activity.status_before_postponement)
    if activity.status in POSTPONABLE:
        targets.append(Status.POSTPONED)
    if activity.status in CANCELLABLE:
        targets.append(Status.CANCELLED)
    return targets


def _missing_for(activity: Activity, target: str) -> str:
    """Why the activity's data does not allow `target` yet ("" when it does)."""
    if target == Status.FUNDED and (activity.budget_amount is None or not activity.budget_currency):
        return _("Record the budget and its currency before marking the activity funded.")
    if target == Status.SCHEDULED:
        if not (activity.start_date and activity.end_date):
            return _("Set the start and end dates before scheduling the activity.")
        if activity.delivery_mode != "virtual" and not (activity.venue or activity.city):
            return _("Set the venue or city of an in-person activity before scheduling it.")
    if target == Status.DELIVERED and activity.start_date and activity.start_date > datetime.date.today():
        return _("An activity that has not started yet cannot be delivered.")
    return ""


@transaction.atomic
def activity_transition(*, user, activity: Activity, to_status: str, comment: str = "") -> Activity:
    """Move the activity to `to_status`, or refuse with a message that says why."""
    require(user, Action.CHANGE, activity)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    current = activity.get_status_display()
    if to_status not in Status.values:
        raise ValidationError(_("Unknown status %(status)s.") % {"status": to_status})
    target = Status(to_status).label
    if to_status not in allowed_transitions(activity):
        raise ValidationError(
            _("An activity that is %(current)s cannot become %(target)s.")
            % {"current": current, "target": target}
        )
    if to_status in (Status.POSTPONED, Status.CANCELLED) and not comment.strip():
        raise ValidationError(_("Give the reason for the activity becoming %(target)s.") % {"target": target})
    missing = _missing_for(activity, to_status)
    if missing:
        raise ValidationError(missing)
    previous = activity.status
    activity.status_before_postponement = previous if to_status == Status.POSTPONED else ""
    activity.status = to_status
    activity.save(update_fields=["status", "status_before_postponement", "updated_at"])
    ActivityTransition.objects.create(
        activity=activity, from_status=previous, to_status=to_status, user=user, comment=comment.strip()
    )
    return activity


# --- member assistance requests ------------------------------------------------------------------


def _record(request: AssistanceRequest, user, comment: str = "") -> None:
    RequestEvent.objects.create(request=request, status=request.status, user=user, comment=comment)


@transaction.atomic
def request_submit(
    *, user, member, service, need_statement: str, urgency: str = "medium", topics=()
) -> AssistanceRequest:
    require_related_visible(user, AssistanceRequest, {"member": member, "service": service, "topics": topics})
    request = AssistanceRequest(
        member=member,
        region_id=member.region_id,
        requested_by=user,
        service=service,
        need_statement=need_statement.strip(),
        urgency=urgency,
    )
    require(user, Action.ADD, request)
    request.full_clean()
    request.save()
    request.topics.set(topics)
    _record(request, user)
    return request


def _open_for_triage(user, request: AssistanceRequest) -> None:
    require(user, Action.CHANGE, request)
    if request.status != RequestStatus.SUBMITTED:
        raise ValidationError(
            _("This request was already %(status)s.") % {"status": request.get_status_display()}
        )


@transaction.atomic
def request_accept(*, user, request: AssistanceRequest, activity_data: dict[str, Any]) -> Activity:
    """Accept the request and turn it into an activity hosted by and for the requesting member."""
    _open_for_triage(user, request)
    data = {
        "title": f"{request.service} — {request.member}",
        "host_member": request.member,
        "beneficiary_members": [request.member],
        "topics": list(request.topics.all()),
        "objectives": request.need_statement,
        **activity_data,
    }
    activity = activity_create(user=user, data=data)
    request.status, request.activity = RequestStatus.ACCEPTED, activity
    request.save(update_fields=["status", "activity", "updated_at"])
    _record(request, user, _("Turned into the activity “%(title)s”.") % {"title": activity.title})
    return activity


@transaction.atomic
def request_decline(*, user, request: AssistanceRequest, reason: str) -> AssistanceRequest:
    _open_for_triage(user, request)
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the member why the request is declined.")})
    request.status, request.decision_reason = RequestStatus.DECLINED, reason.strip()
    request.save(update_fields=["status", "decision_reason", "updated_at"])
    _record(request, user, reason.strip())
    return request


@transaction.atomic
def request_merge(
    *, user, request: AssistanceRequest, into: AssistanceRequest, comment: str = ""
) -> AssistanceRequest:
    _open_for_triage(user, request)
    require(user, Action.CHANGE, into)
    if into.pk == request.pk or into.status in (RequestStatus.DECLINED, RequestStatus.MERGED):
        raise ValidationError({"into": _("Merge into another request that is still open or accepted.")})
    request.status, request.merged_into, request.decision_reason = RequestStatus.MERGED, into, comment.strip()
    request.save(update_fields=["status", "merged_into", "decision_reason", "updated_at"])
    _record(request, user, _("Merged into request #%(number)s.") % {"number": into.pk})
    return request


# --- nominations and participation ---------------------------------------------------------------

OPEN_FOR_PARTICIPANTS = {
    Status.PROPOSED,
    Status.APPROVED,
    Status.FUNDED,
    Status.SCHEDULED,
    Status.DELIVERED,
    Status.POSTPONED,
}


@transaction.atomic
def nomination_create(*, user, activity: Activity, person, member=None) -> Nomination:
    require_related_visible(user, Nomination, {"activity": activity, "person": person, "member": member})
    if activity.status not in OPEN_FOR_PARTICIPANTS:
        raise ValidationError(
            _("Nominations are closed for an activity that is %(status)s.")
            % {"status": activity.get_status_display()}
        )
    if Nomination.objects.filter(activity=activity, person=person).exists():
        raise ValidationError(_("%(person)s is already nominated to this activity.") % {"person": person})
    nomination = Nomination(
        activity=activity, person=person, member=member or person.member, nominated_by=user
    )
    if nomination.member_id is None:
        raise ValidationError(
            {"member": _("Say which administration nominates %(person)s.") % {"person": person}}
        )
    require(user, Action.ADD, nomination)
    nomination.full_clean()
    nomination.save()
    return nomination


@transaction.atomic
def nomination_submit(*, user, activity: Activity, member, **person_fields) -> Nomination:
    """A focal point nominates someone by name: find or create the person, then nominate them, in
    one transaction, so a refused nomination leaves no person created or changed."""
    from people.services import person_get_or_create

    person, _created = person_get_or_create(user=user, member=member, **person_fields)
    return nomination_create(user=user, activity=activity, person=person, member=member)


@transaction.atomic
def nomination_decide(*, user, nomination: Nomination, accept: bool, reason: str = "") -> Nomination:
    require(user, Action.CHANGE, nomination)
    if nomination.status != NominationStatus.PENDING:
        raise ValidationError(
            _("This nomination was already %(status)s.") % {"status": nomination.get_status_display()}
        )
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Tell the administration why the nomination is declined.")})
    nomination.status = NominationStatus.ACCEPTED if accept else NominationStatus.DECLINED
    nomination.decision_reason = reason.strip()
    nomination.save(update_fields=["status", "decision_reason", "updated_at"])
    if accept:
        participation_add(user=user, activity=nomination.activity, person=nomination.person)
    return nomination


@transaction.atomic
def participation_add(*, user, activity: Activity, person, role: str = "participant") -> Participation:
    if Participation.objects.filter(activity=activity, person=person).exists():
        raise ValidationError(_("%(person)s already takes part in this activity.") % {"person": person})
    participation = Participation(
        activity=activity, person=person, member=person.member, gender=person.gender, role=role
    )
    require(user, Action.ADD, participation)
    participation.full_clean()
    participation.save()
    return participation


@transaction.atomic
def participation_set_attendance(*, user, participation: Participation, attendance: str) -> Participation:
    require(user, Action.CHANGE, participation)
    if attendance not in Attendance.values:
        raise ValidationError({"attendance": _("Unknown attendance %(value)s.") % {"value": attendance}})
    if attendance != Attendance.REGISTERED and participation.activity.status not in (
        Status.SCHEDULED,
        Status.DELIVERED,
        Status.EVALUATED,
    ):
        raise ValidationError(_("Attendance is recorded once the activity is scheduled."))
    start = participation.activity.start_date
    if attendance != Attendance.REGISTERED and start is None:
        raise ValidationError(_("Give the activity its dates before recording attendance."))
    if attendance != Attendance.REGISTERED and start > timezone.localdate():
        raise ValidationError(
            _("The activity has not started: attendance can be recorded from %(date)s.")
            % {"date": date_format(start, "DATE_FORMAT")}
        )
    participation.attendance = attendance
    participation.save(update_fields=["attendance", "updated_at"])
    return participation
