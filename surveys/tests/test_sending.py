"""Links really sent: through a real SMTP server on loopback (aiosmtpd), in the recipient's
language, with reminders on their days and a follow-up that opens by itself."""

import datetime
import email
import re

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from jobs.models import JobStatus
from jobs.services import job_run
from surveys import jobs, services
from surveys.models import Invitation, Stage, Wave
from surveys.tests.factories import attach, workshop

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    import socket

    with socket.socket() as probe:  # a free loopback port for the server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.SITE_URL = "https://cbhub.example.org"
    yield inbox
    controller.stop()


def body(message) -> str:
    return message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")


def test_sending_a_wave_emails_each_participant_a_working_link(smtp, user_named, client):
    activity = workshop(participants=3)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION)
    job = services.wave_send(user=user_named("rocb.ap"), wave=wave)
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result["sent"] == 3
    assert sorted(to for tos, _m in smtp.messages for to in tos) == sorted(
        activity.participations.values_list("person__email", flat=True)
    )
    text = body(smtp.messages[0][1])
    link = re.search(r"https://cbhub\.example\.org(/surveys/r/\w+/)", text).group(1)
    page = client.get(link)
    assert page.status_code == 200 and b"survey-form" in page.content
    wave.refresh_from_db()
    assert wave.sent_at is not None
    assert Invitation.objects.filter(wave=wave, sent_at__isnull=False).count() == 3


def test_the_email_is_in_the_invitations_language(smtp, user_named):
    activity = workshop(participants=1)
    activity.languages = "fr,en"
    activity.save(update_fields=["languages"])
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION)
    jobs.send_wave(wave, _Progress())
    subject = str(email.header.make_header(email.header.decode_header(smtp.messages[0][1]["Subject"])))
    assert subject.startswith("Questionnaire :") or subject.startswith("Questionnaire\u00a0:")
    assert "Merci" in body(smtp.messages[0][1])


class _Progress:
    def __init__(self):
        self.items = []

    def set_total(self, total):
        self.total = total

    def item(self, name, status, reason=""):
        self.items.append((name, status, reason))


def test_reminders_go_on_their_days_to_those_who_have_not_answered(smtp, user_named):
    activity = workshop(participants=2)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION, reminder_days="3,7")
    jobs.send_wave(wave, _Progress())
    answered = wave.invitations.first()
    answered.completed_at = timezone.now()
    answered.save()
    smtp.messages.clear()
    sent_on = timezone.localdate(Wave.objects.get(pk=wave.pk).sent_at)
    assert jobs.daily_pass(_Progress(), on=sent_on + datetime.timedelta(days=2)) == {
        "opened": 0,
        "reminded": 0,
    }
    assert jobs.daily_pass(_Progress(), on=sent_on + datetime.timedelta(days=3))["reminded"] == 1
    assert jobs.daily_pass(_Progress(), on=sent_on + datetime.timedelta(days=4))["reminded"] == 0
    assert jobs.daily_pass(_Progress(), on=sent_on + datetime.timedelta(days=8))["reminded"] == 1
    assert len(smtp.messages) == 2
    assert all("Reminder" in message["Subject"] for _tos, message in smtp.messages)


def test_a_follow_up_goes_out_by_itself_when_it_opens(smtp, user_named):
    activity = workshop(participants=2)
    wave = attach(
        user_named("rocb.ap"),
        activity,
        "follow_up",
        Stage.FOLLOW_UP,
        months_after=3,
        opens_on=None,
        closes_on=None,
    )
    assert jobs.daily_pass(_Progress(), on=wave.opens_on - datetime.timedelta(days=1))["opened"] == 0
    assert not smtp.messages
    assert jobs.daily_pass(_Progress(), on=wave.opens_on)["opened"] == 1
    assert len(smtp.messages) == 2
    assert jobs.daily_pass(_Progress(), on=wave.opens_on)["opened"] == 0  # once


def test_a_mail_server_that_refuses_is_an_items_failure_not_the_jobs(settings, user_named):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 1, False
    activity = workshop(participants=1)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION)
    progress = _Progress()
    assert jobs.send_wave(wave, progress) == 0
    assert progress.items[0][1] == "failed"
    assert Invitation.objects.get(wave=wave).sent_at is None  # sent again next time
