"""Where queued job ids wait for a worker: the database itself (embedded default, no server) or a
Redis queue through RQ (production: several workers, JOBS_BACKEND=redis with REDIS_URL)."""

from __future__ import annotations

import time

from django.conf import settings

QUEUE_NAME = "cbhub-jobs"


class DatabaseQueue:
    """The job rows are the queue: workers poll for queued rows and claim them atomically."""

    def push(self, job_id: int) -> None:
        """Nothing to do: the row is already queued."""

    def work(self, *, burst: bool = False, poll_seconds: float = 1.0) -> None:
        from jobs.models import Job, JobStatus
        from jobs.services import job_run, jobs_requeue_stale

        while True:
            jobs_requeue_stale()
            pending = list(
                Job.objects.filter(status=JobStatus.QUEUED)
                .order_by("created_at")
                .values_list("pk", flat=True)[:20]
            )
            for job_id in pending:
                job_run(job_id)
            if burst and not pending:
                return
            if not pending:
                time.sleep(poll_seconds)


class RedisQueue:
    """RQ carries job ids; the worker is an RQ SimpleWorker running inside Django."""

    def __init__(self, url: str):
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(url)
        self.queue = Queue(QUEUE_NAME, connection=self.connection)

    def push(self, job_id: int) -> None:
        self.queue.enqueue("jobs.services.job_run", job_id, job_timeout=6 * 3600, result_ttl=0)

    def work(self, *, burst: bool = False, poll_seconds: float = 1.0) -> None:
        from rq import SimpleWorker

        from jobs.models import Job, JobStatus
        from jobs.services import jobs_requeue_stale

        jobs_requeue_stale()
        # Rows queued while Redis was away (or flushed) are handed to the queue again.
        for job_id in Job.objects.filter(status=JobStatus.QUEUED).values_list("pk", flat=True):
            self.push(job_id)
        SimpleWorker([self.queue], connection=self.connection).work(burst=burst, with_scheduler=False)


def backend():
    if settings.JOBS_BACKEND == "redis":
        return RedisQueue(settings.REDIS_URL or "redis://127.0.0.1:6379/0")
    return DatabaseQueue()
