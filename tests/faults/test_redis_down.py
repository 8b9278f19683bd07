"""Redis down (JOBS_BACKEND=redis, REDIS_URL at a closed port): submitting a job still answers,
the job waits as a queued row that says why, the worker runs it from the database meanwhile, and
once Redis is back the row reaches it; the cache on Redis degrades to no cache."""

import io
import socket

import pytest
from django.core.files.storage import default_storage

from jobs import queues
from jobs.models import Job, JobStatus
from knowledge.models import Document
from tests.faults.conftest import need

pytestmark = pytest.mark.django_db
TEXT = (
    "Mission report: the customs laboratory of Kenya. The laboratory tests samples of imported goods "
    "and reports the tariff classification to the risk management unit."
)
REDIS = "redis://127.0.0.1:6379/15"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings, tmp_path):
    settings.JOBS_BACKEND = "redis"
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


def submit(client, django_capture_on_commit_callbacks, name="lab.txt"):
    handle = io.BytesIO(TEXT.encode())
    handle.name = name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/knowledge/upload/", {"files": [handle], "kind": "mission_report", "visibility": "network"}
        )
    return response


def test_submission_answers_and_the_job_waits_in_the_database(
    redis_down, client_for, django_capture_on_commit_callbacks
):
    client = client_for("focal.kenya")
    response = submit(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302  # not a 500
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED and job.message == queues.UNQUEUED
    stored = job.payload["items"][0]["storage_name"]
    assert default_storage.exists(stored)  # the file is kept for the job
    page = client.get(response["Location"])
    assert "The job queue (Redis) is unreachable" in page.content.decode()
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="fr")
    assert "La file des tâches (Redis) est injoignable" in page.content.decode()

    # The worker, finding Redis down, runs the queued rows from the database.
    queues.backend().work(burst=True)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.outcomes
    assert Document.objects.filter(title="lab").count() == 1


def test_a_job_submitted_while_redis_was_down_reaches_it_when_it_is_back(
    redis_down, client_for, django_capture_on_commit_callbacks
):
    probe = queues.RedisQueue(REDIS)
    need("Redis", probe.reachable())
    probe.queue.empty()
    client = client_for("focal.kenya")
    assert submit(client, django_capture_on_commit_callbacks).status_code == 302
    job = Job.objects.get()
    assert job.message == queues.UNQUEUED

    redis_down.REDIS_URL = REDIS  # Redis is back
    back = queues.backend()
    assert back.sweep() == 0  # too young: it may still be on its way
    Job.objects.filter(pk=job.pk).update(created_at=job.created_at - queues.RedisQueue.GRACE * 2)
    assert back.sweep() == 1 and back.queue.count == 1
    assert back.sweep() == 0  # already held by Redis: not pushed twice
    job.refresh_from_db()
    assert job.message == ""
    back.work(burst=True)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and Document.objects.count() == 1
    assert back.queue.count == 0


def test_pages_work_without_the_cache_while_redis_is_down(settings, client_for):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.DASHBOARD_CACHE_SECONDS = 300
    response = client_for("secretariat").get("/activities/dashboard/")
    assert response.status_code == 200
