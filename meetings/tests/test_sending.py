"""Action reminders really sent, through a real SMTP server on loopback (aiosmtpd): to the users of
the owner office of an action due within 14 days and of an overdue one, and not again within a week."""

import datetime

import pytest
from django.utils import timezone

from meetings import services
from meetings.tests.test_services import action, heads_meeting
from surveys.tests.test_sending import body, smtp  # noqa: F401 (a real SMTP server on loopback)

pytestmark = pytest.mark.django_db


def test_owners_are_reminded_of_actions_due_soon_and_overdue_once_a_week(smtp, user_named):  # noqa: F811
    today = timezone.localdate()
    secretariat = user_named("secretariat")
    meeting = heads_meeting(user_named("rocb.ap"), starts=today - datetime.timedelta(days=200), number=17)
    soon = action(secretariat, meeting, "rtc-japan", due_on=today + datetime.timedelta(days=10), what="Soon")
    overdue = action(secretariat, meeting, "rocb-ap", due_on=today - datetime.timedelta(days=3), what="Late")
    action(secretariat, meeting, "rtc-japan", due_on=today + datetime.timedelta(days=30), what="Later")
    finished = action(
        secretariat, meeting, "rtc-japan", due_on=today - datetime.timedelta(days=9), what="Done"
    )
    services.action_progress(user=secretariat, action=finished, text="Delivered.", status="done")
    assert smtp.messages == []  # adding the actions told no one: the test's writes are not committed

    assert services.send_action_reminders(today) == 2
    sent = {tuple(recipients): message for recipients, message in smtp.messages}
    assert set(sent) == {("rtc.japan@example.org",), ("rocb.ap@example.org",)}
    due_soon, late = sent[("rtc.japan@example.org",)], sent[("rocb.ap@example.org",)]
    assert due_soon["Subject"].startswith("Action due on") and "Soon" in due_soon["Subject"]
    assert late["Subject"].startswith("Overdue action") and "Late" in late["Subject"]
    assert f"https://cbhub.example.org/meetings/actions/{soon.pk}/" in body(due_soon)
    assert f"https://cbhub.example.org/meetings/actions/{overdue.pk}/" in body(late)
    soon.refresh_from_db()
    assert soon.reminded_on == today

    assert services.send_action_reminders(today) == 0
    assert services.send_action_reminders(today + datetime.timedelta(days=6)) == 0  # not within the week
    assert len(smtp.messages) == 2
    assert services.send_action_reminders(today + datetime.timedelta(days=7)) == 2  # a week later: again
    assert len(smtp.messages) == 4
