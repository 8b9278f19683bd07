"""Evaluations of a programme and their management responses, followed to completion.

A mid-term or final evaluation names its evaluators (people of the registry, experts among them),
its terms of reference and findings, and its recommendations. The management answers each
recommendation (accepted, partly accepted or rejected — a rejection says why) and commits to
follow-up actions with owner offices and due dates; each action moves open → in progress → done,
or is dropped with a reason.

Who writes: the programme's lead office (`results.policies`) and the Secretariat. An owner office
may also move the status of an action it owns (an RTC coordinator for their centre, an ROCB officer
for the ROCB of their region), as a meeting's action owners do (`meetings.policies.owned`). The
results policy grants owners nothing, so that rule lives here (`owned`, `may_progress`), and the
owner's own list (`our_follow_up`) reads the actions it owns without the policy's view grant.

Every write is keyword-only, atomic and `full_clean()`ed.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from core.permissions import NOTHING, Action, allowed_as_edited, can, require, require_related_visible
from results.models import (
    Evaluation,
    EvaluationKind,
    FollowUpAction,
    FollowUpStatus,
    Recommendation,
    Response,
)

TEXT_LIMIT = 20000
OPEN_STATUSES = (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)
FIRST_DATE, LAST_DATE = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


def _text(value, field: str, *, required: bool = False, message: str = "") -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: message or _("This field is required.")})
    if len(text) > TEXT_LIMIT:
        raise ValidationError({field: _("Keep this under %(limit)d characters.") % {"limit": TEXT_LIMIT}})
    if "\x00" in text:
        raise ValidationError({field: _("The text holds a character that cannot be stored.")})
    return text


def _editor(user, instance, message: str) -> None:
    """Adding asks the policy about the row in memory; changing asks about the stored row."""
    if instance.pk is None:
        if not allowed_as_edited(user, Action.ADD, instance):
            raise PermissionDenied(message)
    else:
        require(user, Action.CHANGE, instance)


def may_edit(user, programme) -> bool:
    """Whether the user writes the programme's evaluations (its lead office, the Secretariat)."""
    return allowed_as_edited(user, Action.ADD, Evaluation(programme=programme))


# --- evaluations -----------------------------------------------------------------------------------


@transaction.atomic
def evaluation_save(
    *, user, programme, data: dict[str, Any], evaluation: Evaluation | None = None
) -> Evaluation:
    """A mid-term or final evaluation of the programme: kind, evaluators (people the user may see),
    terms of reference, findings and the date it was completed."""
    if evaluation is not None and evaluation.programme_id != programme.pk:
        raise ValidationError(_("This evaluation belongs to another programme."))
    evaluation = evaluation or Evaluation(programme=programme)
    _editor(user, evaluation, _("The programme's lead office records its evaluations."))
    if "kind" in data:
        if data["kind"] not in EvaluationKind.values:
            raise ValidationError({"kind": _("Choose a mid-term or a final evaluation.")})
        evaluation.kind = data["kind"]
    for key in ("terms_of_reference", "findings"):
        if key in data:
            setattr(evaluation, key, _text(data[key], key))
    if "completed_on" in data:
        evaluation.completed_on = data["completed_on"] or None
    completed = evaluation.completed_on
    if completed is not None:
        if not isinstance(completed, datetime.date):
            raise ValidationError({"completed_on": _("Enter a valid date.")})
        if completed < FIRST_DATE:
            raise ValidationError({"completed_on": _("Enter a date from the year 2000 onwards.")})
        if completed > timezone.localdate():
            raise ValidationError({"completed_on": _("An evaluation is completed on a day that has come.")})
        if programme.start_date and completed < programme.start_date:
            raise ValidationError(
                {"completed_on": _("An evaluation is completed after the programme has started.")}
            )
    evaluators = data.get("evaluators")
    if evaluators is not None:
        require_related_visible(user, Evaluation, {"evaluators": list(evaluators)}, instance=evaluation)
    _saved(evaluation)
    if evaluators is not None:
        evaluation.evaluators.set(list(evaluators))
    return evaluation


@transaction.atomic
def recommendation_save(
    *, user, evaluation: Evaluation, data: dict[str, Any], recommendation: Recommendation | None = None
) -> Recommendation:
    """A recommendation of the evaluation (numbered by its position)."""
    if recommendation is not None and recommendation.evaluation_id != evaluation.pk:
        raise ValidationError(_("This recommendation belongs to another evaluation."))
    if recommendation is None:
        last = evaluation.recommendations.order_by("-position").values_list("position", flat=True).first()
        recommendation = Recommendation(evaluation=evaluation, position=(last or 0) + 1)
    _editor(user, recommendation, _("The programme's lead office records its evaluations."))
    if "text" in data or recommendation.pk is None:
        recommendation.text = _text(
            data.get("text"), "text", required=True, message=_("Write the recommendation.")
        )
    if data.get("position") is not None:
        recommendation.position = data["position"]
    return _saved(recommendation)


@transaction.atomic
def response_record(*, user, recommendation: Recommendation, response: str, text: str = "") -> Recommendation:
    """The management response: accepted, partly accepted or rejected (with the reason)."""
    require(user, Action.CHANGE, recommendation)
    if response not in Response.values:
        raise ValidationError({"response": _("Choose accepted, partly accepted or rejected.")})
    text = _text(text, "response_text")
    if response == Response.REJECTED:
        if not text:
            raise ValidationError({"response_text": _("Say why the recommendation is rejected.")})
        if recommendation.actions.filter(status__in=OPEN_STATUSES).exists():
            raise ValidationError(
                {
                    "response": _(
                        "This recommendation has open follow-up actions: complete or drop them "
                        "before rejecting it."
                    )
                }
            )
    recommendation.response, recommendation.response_text = response, text
    return _saved(recommendation)


# --- follow-up actions -----------------------------------------------------------------------------


def _check_due(due_on) -> None:
    if due_on is None:
        raise ValidationError({"due_on": _("Give the date the action is due.")})
    if not isinstance(due_on, datetime.date) or not FIRST_DATE <= due_on <= LAST_DATE:
        raise ValidationError(
            {"due_on": _("A due date is from %(first)d to %(last)d.") % {"first": 2000, "last": 2100}}
        )


@transaction.atomic
def follow_up_add(*, user, recommendation: Recommendation, what: str, owners, due_on) -> FollowUpAction:
    """An action the management response commits to, with its owner offices and due date. A
    rejected recommendation takes none; one without a response yet neither."""
    action = FollowUpAction(recommendation=recommendation)
    _editor(user, action, _("The programme's lead office follows up its evaluations."))
    if recommendation.response == Response.REJECTED:
        raise ValidationError(_("A rejected recommendation has no follow-up actions."))
    if not recommendation.response:
        raise ValidationError(_("Record the management response before its actions."))
    action.what = _text(what, "what", required=True, message=_("Say what must be done."))
    owners = list(owners or [])
    if not owners:
        raise ValidationError({"owners": _("Name at least one office that owns the action.")})
    require_related_visible(user, FollowUpAction, {"owners": owners})
    _check_due(due_on)
    action.due_on = due_on
    _saved(action)
    action.owners.set(owners)
    return action


def owned(user) -> Q:
    """Over FollowUpAction: the actions the user's office owns (as `meetings.policies.owned`)."""
    if not (user.is_authenticated and user.is_active):
        return NOTHING
    if user.role == Role.RTC_COORDINATOR and user.office_id:
        return Q(owners=user.office_id)
    if user.role == Role.ROCB_OFFICER and user.region_id:
        return Q(owners__kind="rocb", owners__region=user.region_id)
    return NOTHING


def owns(user, action: FollowUpAction) -> bool:
    return FollowUpAction.objects.filter(owned(user), pk=action.pk).exists()


def may_progress(user, action: FollowUpAction) -> bool:
    """The lead office (and the Secretariat) moves every action; an owner office its own."""
    return can(user, Action.CHANGE, action) or owns(user, action)


def reachable_actions(user):
    """The actions the user may open: those the policy shows, and those their office owns."""
    visible = FollowUpAction.objects.restrict(user).values("pk")
    return FollowUpAction.objects.filter(
        Q(pk__in=visible) | Q(pk__in=FollowUpAction.objects.filter(owned(user)).values("pk"))
    )


@transaction.atomic
def follow_up_progress(*, user, action: FollowUpAction, status: str, reason: str = "") -> FollowUpAction:
    """Move an action's status; dropping it says why."""
    if not may_progress(user, action):
        raise PermissionDenied(_("The lead office and the action's owner offices update its status."))
    if status not in FollowUpStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    reason = _text(reason, "reason")
    if status == FollowUpStatus.DROPPED and not reason:
        raise ValidationError({"reason": _("Say why the action is dropped.")})
    action.status = status
    action.reason = reason if status == FollowUpStatus.DROPPED else ""
    return _saved(action)


# --- selectors -------------------------------------------------------------------------------------


def is_overdue(action: FollowUpAction, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(action.status in OPEN_STATUSES and action.due_on and action.due_on < today)


def overdue_first(actions) -> list[FollowUpAction]:
    """Overdue first, then by due date (none last); each row gets `overdue`."""
    today = timezone.localdate()
    rows = list(actions)
    for row in rows:
        row.overdue = is_overdue(row, today)
    rows.sort(key=lambda row: (not row.overdue, row.due_on is None, row.due_on or today, row.pk))
    return rows


def our_follow_up(user, programme=None, limit: int = 200) -> list[FollowUpAction]:
    """The open follow-up actions the user's office owns, overdue first."""
    actions = FollowUpAction.objects.filter(
        pk__in=FollowUpAction.objects.filter(owned(user), status__in=OPEN_STATUSES).values("pk")
    )
    if programme is not None:
        actions = actions.filter(recommendation__evaluation__programme=programme)
    actions = actions.select_related("recommendation__evaluation__programme").order_by("due_on", "pk")
    return overdue_first(actions[:limit])


def programme_panel(user, programme) -> dict[str, Any]:
    """What the programme results page shows of its evaluations: those the user may see, whether
    they may add one, and their office's open actions on this programme."""
    evaluations = list(
        Evaluation.objects.restrict(user).filter(programme=programme).order_by("completed_on", "pk")
    )
    counts = dict.fromkeys([evaluation.pk for evaluation in evaluations], 0)
    for action in FollowUpAction.objects.filter(
        recommendation__evaluation__in=counts, status__in=OPEN_STATUSES
    ).values_list("recommendation__evaluation", flat=True):
        counts[action] += 1
    for evaluation in evaluations:
        evaluation.open_actions = counts[evaluation.pk]
    return {
        "evaluations": evaluations,
        "may_add_evaluation": may_edit(user, programme),
        "our_follow_up": our_follow_up(user, programme) if user.is_authenticated else [],
    }


def evaluators_shown(user, evaluation: Evaluation) -> tuple[list, int]:
    """The evaluators the user may see (people, or experts of the roster: each with its expert
    profile when the user may see it), and how many others there are."""
    from experts.models import ExpertProfile
    from people.models import Person

    everyone = list(evaluation.evaluators.order_by("last_name", "first_name", "pk"))
    ids = [person.pk for person in everyone]
    people = set(Person.objects.restrict(user).filter(pk__in=ids).values_list("pk", flat=True))
    profiles = {
        profile.person_id: profile for profile in ExpertProfile.objects.restrict(user).filter(person__in=ids)
    }
    shown = []
    for person in everyone:
        if person.pk in people or person.pk in profiles:
            person.visible = person.pk in people
            person.profile = profiles.get(person.pk)
            shown.append(person)
    return shown, len(everyone) - len(shown)
