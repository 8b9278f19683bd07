"""Meetings on other apps' pages: on the home page of an ROCB officer or an RTC coordinator, the open
actions their office owns (overdue first); on an activity's page, the decisions that asked for it."""

from __future__ import annotations

from django import template
from django.db.models import F
from django.utils import timezone

from accounts.roles import Role
from meetings.models import OPEN_ACTIONS, ActionItem

register = template.Library()

PANEL_SIZE = 5


def has_office_scope(user) -> bool:
    """An RTC coordinator with their centre, or an ROCB officer with their region: whose office
    owns actions (`meetings.policies.owned`)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.RTC_COORDINATOR:
        return bool(user.office_id)
    return user.role == Role.ROCB_OFFICER and bool(user.region_id)


def _mark_overdue(actions) -> list[ActionItem]:
    today = timezone.localdate()
    for action in actions:
        action.is_overdue = bool(action.status in OPEN_ACTIONS and action.due_on and action.due_on < today)
    return actions


@register.inclusion_tag("meetings/_our_actions_panel.html")
def our_actions_panel(user):
    """Two queries: the first few open actions (overdue first, then by due date, undated last) and
    how many there are."""
    from meetings.services import our_actions

    if not has_office_scope(user):
        return {"shown": False}
    actions = (
        our_actions(user)
        .prefetch_related(None)
        .select_related("meeting")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    first = _mark_overdue(list(actions[:PANEL_SIZE]))
    total = len(first) if len(first) < PANEL_SIZE else actions.order_by().count()
    return {"shown": True, "actions": first, "total": total, "more": total > len(first)}


@register.inclusion_tag("meetings/_asked_by.html")
def asked_by_panel(activity, user):
    """One query: the action items this activity carries out, that the user may see, with their
    decision and meeting."""
    actions = list(
        ActionItem.objects.restrict(user)
        .filter(activity=activity)
        .select_related("meeting", "decision__meeting")
        .order_by("meeting__starts_on", "pk")
    )
    return {"activity": activity, "actions": actions}
