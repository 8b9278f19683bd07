"""Periodic jobs: a kind registered with an interval is enqueued by the workers' maintenance pass
whenever its last run is older than the interval (expiry notices, reminders). The Job rows are the
schedule's memory, so a restart neither skips nor repeats a run; two workers may both enqueue in
the same second, so periodic handlers are idempotent (they record what they sent)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

_periodic: dict[str, datetime.timedelta] = {}


def register_periodic(kind: str, every: datetime.timedelta) -> None:
    _periodic[kind] = every


def jobs_enqueue_due(now: datetime.datetime | None = None) -> list:
    """Enqueue each periodic kind whose last job was created more than its interval ago."""
    from django.conf import settings

    from jobs.models import Job
    from jobs.services import job_enqueue

    if not getattr(settings, "JOBS_PERIODIC", True):
        return []
    now = now or timezone.now()
    enqueued = []
    for kind, every in _periodic.items():
        runs = Job.objects.filter(kind=kind).order_by("-created_at")
        last = runs.values_list("created_at", flat=True).first()
        if last is None or last <= now - every:
            with transaction.atomic():
                enqueued.append(job_enqueue(kind=kind, payload={"periodic": True}))
    return enqueued
