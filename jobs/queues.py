"""Where queued job ids wait for a worker: the database itself (embedded default, no server) or a
Redis queue through RQ (production: several workers, JOBS_BACKEND=redis with REDIS_URL)."""

from __future__ import annotations

import datetime
import logging
import time

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

log = logging.getLogger(__name__)
QUEUE_NAME = "cbhub-jobs"
# Shown on the job's page while its id could not reach Redis; stored untranslated, shown translated.
UNQUEUED = gettext_noop(
    "The job queue (Redis) is unreachable: this job is saved and will start when the queue is back."
)


class DatabaseQueue:
    """The job rows are the queue: workers poll for queued rows and claim them atomically."""

    def push(self, job_id: int) -> None:
        """Nothing to do: the row is already queued."""

    def work(self, *, burst: bool = False, poll_seconds: float = 1.0) -> None:
        from jobs.models import Job, JobStatus
        from jobs.schedule import jobs_enqueue_due
        from jobs.services import job_run, jobs_requeue_stale

        while True:
            jobs_requeue_stale()
            jobs_enqueue_due()
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
    """RQ carries job ids; the worker is an RQ SimpleWorker running inside Django.

    Redis only carries ids, so losing it loses nothing: a job whose id could not be pushed stays a
    queued row (its message says so), and the worker hands such rows to Redis again once it is back
    (on start, then every SWEEP_SECONDS). While Redis is unreachable the worker runs the queued rows
    itself, as the database queue does."""

    SWEEP_SECONDS = 60
    GRACE = datetime.timedelta(seconds=30)  # a row younger than this may still be on its way to Redis

    def __init__(self, url: str):
        from redis import Redis
        from rq import Queue

        # Short timeouts: a request that enqueues a job must not hang on an unreachable Redis.
        self.connection = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
        self.queue = Queue(QUEUE_NAME, connection=self.connection)

    @staticmethod
    def rq_id(job_id: int) -> str:
        return f"cbhub-job-{job_id}"

    def push(self, job_id: int) -> bool:
        """Hand the id to Redis; if it is unreachable, the row stays queued and says so."""
        from redis.exceptions import RedisError

        from jobs.models import Job

        try:
            self.queue.enqueue(
                "jobs.services.job_run", job_id, job_id=self.rq_id(job_id), job_timeout=6 * 3600, result_ttl=0
            )
        except RedisError as error:
            log.warning("job %s stays queued in the database: Redis is unreachable (%s)", job_id, error)
            Job.objects.filter(pk=job_id, message="").update(message=UNQUEUED)
            return False
        Job.objects.filter(pk=job_id, message=UNQUEUED).update(message="")
        return True

    def sweep(self) -> int:
        """Hand Redis the queued rows it does not hold (pushed while it was away, or flushed)."""
        from rq.registry import StartedJobRegistry

        from jobs.models import Job, JobStatus
        from jobs.schedule import jobs_enqueue_due
        from jobs.services import jobs_requeue_stale

        jobs_requeue_stale()
        jobs_enqueue_due()
        held = set(self.queue.get_job_ids()) | set(StartedJobRegistry(queue=self.queue).get_job_ids())
        cutoff = timezone.now() - self.GRACE
        orphans = [
            job_id
            for job_id in Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=cutoff).values_list(
                "pk", flat=True
            )
            if self.rq_id(job_id) not in held
        ]
        return sum(self.push(job_id) for job_id in orphans)

    def reachable(self) -> bool:
        from redis.exceptions import RedisError

        try:
            return bool(self.connection.ping())
        except RedisError:
            return False

    def work(self, *, burst: bool = False, poll_seconds: float = 1.0) -> None:
        from rq import SimpleWorker

        from jobs.models import Job, JobStatus
        from jobs.services import jobs_requeue_stale

        queue = self

        class Worker(SimpleWorker):
            def run_maintenance_tasks(self):
                super().run_maintenance_tasks()
                queue.sweep()

        while not self.reachable():
            log.warning("Redis is unreachable: running queued jobs from the database until it is back")
            DatabaseQueue().work(burst=True)
            if burst:
                return
            time.sleep(max(poll_seconds, 5))
        jobs_requeue_stale()
        # Rows queued while Redis was away (or flushed) are handed to the queue again.
        for job_id in Job.objects.filter(status=JobStatus.QUEUED).values_list("pk", flat=True):
            self.push(job_id)
        worker = Worker(
            [self.queue],
            connection=self.connection,
            maintenance_interval=self.SWEEP_SECONDS,
            worker_ttl=self.SWEEP_SECONDS + 15,  # blocks at most SWEEP_SECONDS waiting for a job
        )
        worker.work(burst=burst, with_scheduler=False)


def backend():
    if settings.JOBS_BACKEND == "redis":
        return RedisQueue(settings.REDIS_URL or "redis://127.0.0.1:6379/0")
    return DatabaseQueue()
