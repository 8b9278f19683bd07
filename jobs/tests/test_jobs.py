"""Jobs: persisted rows, run by a worker from the database queue or from Redis (RQ); a job whose
worker died is taken up again; a failing handler fails its job, not the worker."""

import datetime

import pytest
from django.utils import timezone

from jobs import queues
from jobs.models import Job, JobStatus
from jobs.registry import job_handler
from jobs.services import job_enqueue, job_run, jobs_requeue_stale

pytestmark = pytest.mark.django_db


@job_handler("test.count")
def count_items(job, progress):
    progress.set_total(len(job.payload["items"]))
    for item in job.payload["items"]:
        progress.item(str(item), "failed" if item == "bad" else "created")


@job_handler("test.crash")
def crash(job, progress):
    raise RuntimeError("handler bug")


def test_database_queue_runs_queued_jobs(user_named, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind="test.count", payload={"items": [1, 2, 3]}, user=user_named("rocb.ap"))
    assert job.status == JobStatus.QUEUED
    queues.DatabaseQueue().work(burst=True)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == (JobStatus.SUCCEEDED, 3, 3, 100)


def test_redis_queue_carries_the_job_to_an_rq_worker(
    settings, user_named, django_capture_on_commit_callbacks
):
    settings.JOBS_BACKEND = "redis"
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    backend = queues.backend()
    backend.queue.empty()
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind="test.count", payload={"items": ["a", "bad"]}, user=user_named("rocb.ap"))
    assert backend.queue.count == 1
    backend.work(burst=True)
    job.refresh_from_db()
    assert job.status == JobStatus.PARTIAL  # one item failed, the other went on
    assert [outcome["status"] for outcome in job.outcomes] == ["created", "failed"]
    assert backend.queue.count == 0


def test_a_job_left_running_by_a_dead_worker_is_taken_up_again():
    job = Job.objects.create(
        kind="test.count",
        payload={"items": [1]},
        status=JobStatus.RUNNING,
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    assert jobs_requeue_stale() == 1
    queues.DatabaseQueue().work(burst=True)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 1


def test_a_running_job_with_a_fresh_heartbeat_is_left_alone():
    Job.objects.create(
        kind="test.count", payload={"items": [1]}, status=JobStatus.RUNNING, heartbeat_at=timezone.now()
    )
    assert jobs_requeue_stale() == 0


def test_a_crashing_handler_fails_its_job_and_the_worker_goes_on():
    crashing = Job.objects.create(kind="test.crash", payload={})
    fine = Job.objects.create(kind="test.count", payload={"items": [1]})
    queues.DatabaseQueue().work(burst=True)
    crashing.refresh_from_db()
    fine.refresh_from_db()
    assert crashing.status == JobStatus.FAILED and "handler bug" in crashing.message
    assert fine.status == JobStatus.SUCCEEDED


def test_a_job_is_claimed_once():
    job = Job.objects.create(kind="test.count", payload={"items": [1]})
    assert job_run(job.pk) is not None
    assert job_run(job.pk) is None  # already taken
