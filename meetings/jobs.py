"""Reminders of actions due soon and overdue, once a day (a persisted Job like every long task)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from jobs.registry import job_handler
from jobs.schedule import register_periodic

DAILY = "meetings.daily"


@job_handler(DAILY)
def run_daily(job, progress) -> None:
    from meetings.services import send_action_reminders

    sent = send_action_reminders()
    progress.set_total(1)
    progress.item(_("Action reminders"), "created", _("%(count)d actions reminded") % {"count": sent})


def register() -> None:
    register_periodic(DAILY, datetime.timedelta(days=1))
