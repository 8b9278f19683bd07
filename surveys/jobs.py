"""Questionnaire work done in the background: sending a wave's links, and the daily pass that opens
scheduled waves (a follow-up months after the workshop) and reminds those who have not answered."""

import datetime
import smtplib

from django.db import transaction
from django.utils import timezone

from jobs.registry import job_handler
from jobs.schedule import register_periodic
from surveys import services
from surveys.models import Wave

SEND_WAVE = "surveys.send_wave"
DAILY = "surveys.daily"


def send_wave(wave: Wave, progress) -> int:
    """Issue the links not issued yet and email every link not sent yet; each recipient is an item."""
    with transaction.atomic():
        services.wave_issue_invitations(wave)
    pending = list(wave.invitations.filter(sent_at__isnull=True).select_related("wave__questionnaire"))
    progress.set_total(len(pending))
    sent = 0
    for invitation in pending:
        try:
            services.invitation_send(invitation)
        except (smtplib.SMTPException, OSError) as error:
            progress.item(invitation.email, "failed", str(error)[:200])
            continue
        sent += 1
        progress.item(invitation.email, "created", invitation.name)
    if wave.sent_at is None:
        wave.sent_at = timezone.now()
        wave.save(update_fields=["sent_at", "updated_at"])
    return sent


@job_handler(SEND_WAVE)
def run_send_wave(job, progress) -> None:
    wave = Wave.objects.select_related("questionnaire", "activity", "region").get(pk=job.payload["wave"])
    sent = send_wave(wave, progress)
    job.result = {"sent": sent, "invitations": wave.invitations.count()}
    job.save(update_fields=["result", "updated_at"])


def daily_pass(progress, on: datetime.date | None = None) -> dict:
    on = on or timezone.localdate()
    opened = reminded = 0
    due = Wave.objects.filter(send_when_open=True, sent_at__isnull=True, opens_on__lte=on, closes_on__gte=on)
    for wave in due.select_related("questionnaire", "activity", "region"):
        send_wave(wave, progress)
        opened += 1
    running = Wave.objects.filter(sent_at__isnull=False, opens_on__lte=on, closes_on__gte=on)
    for wave in running.select_related("questionnaire", "activity", "region"):
        for invitation in services.invitations_due_reminder(wave, on):
            try:
                services.invitation_send(invitation, reminder=True)
            except (smtplib.SMTPException, OSError) as error:
                progress.item(invitation.email, "failed", str(error)[:200])
                continue
            reminded += 1
            progress.item(invitation.email, "updated", "reminder")
    return {"opened": opened, "reminded": reminded}


@job_handler(DAILY)
def run_daily(job, progress) -> None:
    job.result = daily_pass(progress)
    job.save(update_fields=["result", "updated_at"])


def register() -> None:
    register_periodic(DAILY, datetime.timedelta(days=1))
