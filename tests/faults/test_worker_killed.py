"""`kill -9` of the jobs worker in the middle of an ingestion: after a restart the job finishes,
and every document is there exactly once, with its file.

The worker and the submitter are separate processes on a file SQLite database (the embedded
default); the test watches the job's row and kills the worker once some documents are committed
and the rest are being worked on."""

import hashlib
import json
import signal
import sqlite3
import subprocess
import sys
import time

from tests.faults.conftest import ROOT, app_env, python

FILES = 80  # ingestion groups of 32, 32 and 16: the kill lands in the second
SUBMIT = """
import json
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from jobs.services import job_enqueue
from knowledge.jobs import INGEST

items = []
for number in range({files}):
    text = f"Mission report {{number}}. " + " ".join(
        f"The customs office {{number}} reviewed procedure {{step}} of the risk management plan."
        for step in range(12)
    )
    name = default_storage.save(f"incoming/report-{{number}}.txt", ContentFile(text.encode()))
    items.append({{"name": f"report-{{number}}.txt", "storage_name": name,
                   "metadata": {{"kind": "mission_report", "visibility": "network"}}}})
with transaction.atomic():
    job = job_enqueue(kind=INGEST, payload={{"items": items}}, total=len(items))
print(job.pk)
"""


def job_state(database, job_id):
    with sqlite3.connect(database, timeout=30) as db:
        return db.execute("SELECT status, done, total FROM jobs_job WHERE id = ?", [job_id]).fetchone()


def test_a_killed_worker_s_ingestion_finishes_after_a_restart_with_no_document_lost_or_doubled(
    sqlite_copy, tmp_path
):
    media = tmp_path / "media"
    env = app_env(f"sqlite:///{sqlite_copy}", media, JOBS_STALE_SECONDS="2")
    job_id = int(python(SUBMIT.format(files=FILES), env=env).strip().splitlines()[-1])

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "jobs_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        status, done, total = job_state(sqlite_copy, job_id)
        if done >= 32:
            break
        assert worker.poll() is None, worker.stderr.read().decode()
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    status, done_at_kill, total = job_state(sqlite_copy, job_id)
    assert status == "running" and 32 <= done_at_kill < FILES, (status, done_at_kill)

    time.sleep(3)  # the dead worker's heartbeat goes stale (JOBS_STALE_SECONDS=2)
    restarted = subprocess.run(
        [sys.executable, "manage.py", "jobs_worker", "--burst"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert restarted.returncode == 0, restarted.stderr

    report = json.loads(
        python(
            "import json, hashlib\n"
            "from jobs.models import Job\n"
            "from knowledge.models import Document, DocumentVersion\n"
            f"job = Job.objects.get(pk={job_id})\n"
            "versions = list(DocumentVersion.objects.select_related('document'))\n"
            "print(json.dumps({'status': job.status, 'done': job.done, 'total': job.total,\n"
            "  'attempts': job.attempts, 'outcomes': [o['status'] for o in job.outcomes],\n"
            "  'documents': Document.objects.count(),\n"
            "  'titles': sorted(Document.objects.values_list('title', flat=True)),\n"
            "  'versions': [(v.sha256, v.file.name) for v in versions]}))\n",
            env=env,
        )
    )
    assert report["status"] == "succeeded" and report["attempts"] == 2
    assert report["done"] == report["total"] == FILES
    assert report["outcomes"] == ["created"] * FILES  # the first attempt's documents keep their outcome
    assert report["documents"] == FILES  # none lost, none doubled
    assert report["titles"] == sorted(f"report-{number}" for number in range(FILES))
    assert len({sha for sha, _ in report["versions"]}) == len(report["versions"]) == FILES
    for sha, name in report["versions"]:
        assert hashlib.sha256((media / name).read_bytes()).hexdigest() == sha
