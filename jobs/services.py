"""Creating and running jobs. `job_enqueue` persists the row and hands its id to the queue once the
transaction commits; `job_run` claims a queued job, calls its handler and records the outcome.

Handlers receive a `Progress` and report each item (a file, a row) as they go; a failing item is
recorded and the job goes on. A job whose worker died (no heartbeat for JOBS_STALE_SECONDS) is queued again
by `jobs_requeue_stale`, so jobs survive a restart of the app or the worker; handlers are
idempotent (ingestion skips content it already has).
"""

from __future__ import annotations

import datetime
import logging
import traceback

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jobs import queues
from jobs.models import Job, JobStatus
from jobs.registry import handler_for

log = logging.getLogger(__name__)


def job_enqueue(*, kind: str, payload: dict, user=None, total: int = 0) -> Job:
    job = Job.objects.create(kind=kind, payload=payload, created_by=user, total=total)
    transaction.on_commit(lambda: queues.backend().push(job.pk))
    return job


class Progress:
    """What a handler tells the job as it works; saved every few items and at the end.

    On a later attempt (the worker died) the handler reports every item again; an item an earlier
    attempt finished keeps that attempt's outcome (say "created", not "already there")."""

    def __init__(self, job: Job, earlier: list | None = None):
        self.job = job
        self.earlier: dict[str, list[dict]] = {}
        for outcome in earlier or []:
            if outcome.get("name") and outcome.get("status") != "failed":
                self.earlier.setdefault(outcome["name"], []).append(outcome)

    def set_total(self, total: int) -> None:
        self.job.total = total
        self._save()

    def item(self, name: str, status: str, reason: str = "", **extra) -> None:
        outcome = {"name": name, "status": status, "reason": reason, **extra}
        if self.earlier.get(name):
            outcome = self.earlier[name].pop(0)
        self.job.outcomes = [*self.job.outcomes, outcome]
        self.job.done += 1
        self._save()

    def note(self, message: str) -> None:
        self.job.message = message
        self._save()

    def _save(self) -> None:
        self.job.beat()
        self.job.save(update_fields=["total", "done", "outcomes", "message", "heartbeat_at", "updated_at"])


def _claim(job_id: int) -> Job | None:
    """Mark a queued job running, unless another worker got it first."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, updated_at=now
    )
    return Job.objects.get(pk=job_id) if claimed else None


def job_run(job_id: int) -> Job | None:
    job = _claim(job_id)
    if job is None:
        return None
    earlier = job.outcomes if job.attempts else []
    job.attempts += 1
    job.done, job.outcomes = 0, []  # the handler reports every item again
    job.save(update_fields=["attempts", "done", "outcomes"])
    try:
        handler_for(job.kind)(job, Progress(job, earlier))
    except Exception as error:  # a handler bug must fail the job, not the worker
        log.exception("job %s failed", job.pk)
        job.status, job.message = JobStatus.FAILED, f"{type(error).__name__}: {error}"
        job.outcomes = [
            *job.outcomes,
            {"name": "", "status": "failed", "reason": traceback.format_exc(limit=3)},
        ]
    else:
        failed = any(outcome["status"] == "failed" for outcome in job.outcomes)
        job.status = JobStatus.PARTIAL if failed else JobStatus.SUCCEEDED
    job.finished_at = timezone.now()
    job.save()
    return job


def jobs_requeue_stale() -> int:
    """Queue again the jobs a dead worker left running; returns how many."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.JOBS_STALE_SECONDS)
    stale = list(
        Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff).values_list("pk", flat=True)
    )
    Job.objects.filter(pk__in=stale).update(status=JobStatus.QUEUED)
    for job_id in stale:
        queues.backend().push(job_id)
    return len(stale)
