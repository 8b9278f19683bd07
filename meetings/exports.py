"""Decisions and action items as CSV or XLSX, through core.exports (so no cell starts like a
formula). Views pass in a filtered queryset already restricted to what the user may view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from core.exports import EXPORTERS
from core.tables import Column


@dataclass(frozen=True)
class ComputedColumn(Column):
    """A column whose value is worked out from the row (`path` only names it)."""

    compute: Callable[[Any], Any] = str

    def value(self, obj) -> Any:
        value = self.compute(obj)
        return "" if value is None else value


def _body(meeting) -> str:
    """The committee that met, or the region of a regional coordination meeting."""
    return str(meeting.committee or meeting.region or "")


def _latest(action):
    updates = getattr(action, "recent_updates", None)
    if updates is None:
        updates = list(action.updates.order_by("-on", "-pk")[:1])
    return updates[0] if updates else None


DECISION_COLUMNS = [
    Column(_("Reference"), "reference"),
    Column(_("Meeting"), "meeting"),
    Column(_("Date"), "meeting.starts_on"),
    ComputedColumn(_("Committee or region"), "meeting", lambda decision: _body(decision.meeting)),
    Column(_("Kind"), "kind"),
    Column(_("State"), "state"),
    Column(_("Text (English)"), "text_en"),
    Column(_("Text (French)"), "text_fr"),
]

ACTION_COLUMNS = [
    Column(_("Meeting"), "meeting"),
    Column(_("Date"), "meeting.starts_on"),
    ComputedColumn(
        _("Decision"), "decision", lambda action: action.decision.reference if action.decision_id else ""
    ),
    Column(_("What must be done"), "what"),
    ComputedColumn(
        _("Owner offices"), "owners", lambda action: ", ".join(office.code for office in action.owners.all())
    ),
    Column(_("Due on"), "due_on"),
    Column(_("Status"), "status"),
    Column(_("Reason for dropping"), "reason"),
    ComputedColumn(_("Latest progress"), "updates", lambda action: getattr(_latest(action), "text", "")),
    ComputedColumn(_("Progress date"), "updates", lambda action: getattr(_latest(action), "on", "")),
]


def decisions_export(queryset, fmt: str):
    if fmt not in EXPORTERS:
        raise Http404
    decisions = queryset.select_related("meeting__committee", "meeting__region", "state")
    return EXPORTERS[fmt](decisions, DECISION_COLUMNS, "decisions")


def actions_export(queryset, fmt: str, user):
    """The latest progress of each action is read with the list, among the updates `user` may read."""
    from meetings.services import with_latest_update

    if fmt not in EXPORTERS:
        raise Http404
    actions = with_latest_update(queryset.select_related("meeting", "decision__meeting"), user)
    return EXPORTERS[fmt](actions, ACTION_COLUMNS, "actions")
