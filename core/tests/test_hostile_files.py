"""Every upload and import path against every hostile file (core/tests/hostile_files.py).

Each must be refused cleanly: a 4xx with a message, or a preview or job whose every outcome is an
error with a reason; nothing saved (no record, no document, no file left in storage); never a 500.
The bombs must be refused fast and within bounded memory. A new upload path joins PATHS.
"""

from __future__ import annotations

import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from activities.models import Activity, ImportBatch, Nomination, Participation
from activities.tests.factories import ActivityFactory
from core.tests.hostile_files import (
    ACTIVITY_TABLE,
    GOOD_TEXT,
    HOSTILE_FILES,
    NOMINATION_TABLE,
    ODD_NAMES,
    Hostile,
    csv_text,
)
from jobs.models import Job
from jobs.queues import DatabaseQueue
from knowledge.jobs import INGEST
from knowledge.models import Document, DocumentVersion, Visibility
from people.models import Person

pytestmark = pytest.mark.django_db

BOMB_SECONDS = 10
BOMB_PEAK_BYTES = 64 * 1024 * 1024


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


@dataclass
class Outcome:
    status: int
    reasons: list[str]  # why it was refused: form errors, preview errors or job outcomes
    accepted: bool  # a preview without errors, or a job that stored something


class UploadPath:
    id: str
    username: str
    table: tuple = NOMINATION_TABLE

    def setup(self, user) -> None:
        pass

    def counts(self) -> tuple:
        return (
            Document.objects.count(),
            DocumentVersion.objects.count(),
            Activity.objects.count(),
            Nomination.objects.count(),
            Participation.objects.count(),
            Person.objects.count(),
        )

    def send(self, client, user, upload) -> Outcome:
        raise NotImplementedError


def _form_errors(response) -> list[str]:
    """The messages of a refused form (they are rendered as role="alert")."""
    import re

    html = response.content.decode()
    return [
        text.strip() for text in re.findall(r'role="alert"[^>]*>(.*?)<', html, flags=re.S) if text.strip()
    ]


def _job_outcome(status: int) -> Outcome:
    DatabaseQueue().work(burst=True)
    job = Job.objects.filter(kind=INGEST).order_by("-pk").first()
    outcomes = job.outcomes
    refused = [outcome["reason"] for outcome in outcomes if outcome["status"] == "failed"]
    stored = [outcome for outcome in outcomes if outcome["status"] in ("created", "updated")]
    return Outcome(status, refused, bool(stored))


class ImportPath(UploadPath):
    url: str

    def send(self, client, user, upload) -> Outcome:
        response = client.post(self.url, {"file": upload, "kind": self.kind})
        if response.status_code != 302:
            return Outcome(response.status_code, _form_errors(response), False)
        batch = ImportBatch.objects.filter(uploaded_by=user).latest("pk")
        reasons = [error["reason"] for error in batch.errors]
        # Confirming a refused preview saves nothing either.
        client.post(response["Location"])
        return Outcome(response.status_code, reasons, not batch.errors)


class ActivitiesImport(ImportPath):
    id, username, table, kind, url = (
        "activities-import",
        "rocb.ap",
        ACTIVITY_TABLE,
        "activities",
        "/activities/import/",
    )


class NominationsImport(ImportPath):
    id, username, kind = "nominations-import", "rocb.ap", "nominations"

    def setup(self, user) -> None:
        self.url = f"/activities/{ActivityFactory().pk}/import/"


class KnowledgeUploadForm(UploadPath):
    id, username = "knowledge-upload-form", "focal.kenya"

    def send(self, client, user, upload) -> Outcome:
        response = client.post(
            "/knowledge/upload/", {"files": [upload], "kind": "good_practice", "visibility": "network"}
        )
        if response.status_code != 302:
            return Outcome(response.status_code, _form_errors(response), False)
        return _job_outcome(response.status_code)


class KnowledgeApiUpload(UploadPath):
    id, username = "knowledge-api-upload", "focal.kenya"

    def send(self, client, user, upload) -> Outcome:
        api = APIClient()
        api.force_authenticate(user)
        response = api.post(
            "/api/knowledge/documents/", {"file": upload, "kind": "other"}, format="multipart"
        )
        if response.status_code != 202:
            errors = (
                response.json()
                if response.headers.get("Content-Type", "").startswith("application/json")
                else {}
            )
            return Outcome(response.status_code, [str(value) for value in errors.values() if value], False)
        return _job_outcome(response.status_code)


class DocumentNewVersion(UploadPath):
    id, username = "document-new-version", "focal.kenya"

    def setup(self, user) -> None:
        self.document = Document.objects.create(
            title="KRA audit", text=GOOD_TEXT, visibility=Visibility.NETWORK, uploaded_by=user, status="ready"
        )

    def send(self, client, user, upload) -> Outcome:
        response = client.post(f"/knowledge/documents/{self.document.pk}/version/", {"file": upload})
        if response.status_code != 302:
            return Outcome(response.status_code, _form_errors(response), False)
        outcome = _job_outcome(response.status_code)
        self.document.refresh_from_db()
        assert self.document.text == GOOD_TEXT or outcome.accepted
        return outcome


class RosterImport(ImportPath):
    """The experts' roster import (same preview → confirm flow; the nomination table fits it)."""

    id, username, kind, url = "roster-import", "rocb.ap", "experts", "/experts/import/"

    def counts(self) -> tuple:
        from experts.models import ExpertProfile

        return (*super().counts(), ExpertProfile.objects.count())


class CompletionsImport(ImportPath):
    """An LMS export of e-learning completions (training.completions): the same preview → confirm."""

    id, username, kind, url = (
        "completions-import",
        "rtc.japan",
        "completions",
        "/training/completions/import/",
    )

    def counts(self) -> tuple:
        from training.models import Completion

        return (*super().counts(), Completion.objects.count())


class XLSFormImport(UploadPath):
    """A questionnaire designed in Excel (surveys.xlsform): nothing is saved unless pyxform and our
    checks accept the workbook."""

    id, username = "xlsform-import", "rocb.ap"

    def counts(self) -> tuple:
        from surveys.models import Questionnaire, QuestionnaireVersion

        return (*super().counts(), Questionnaire.objects.count(), QuestionnaireVersion.objects.count())

    def send(self, client, user, upload) -> Outcome:
        response = client.post(
            "/surveys/import/", {"file": upload, "code": "hostile-form", "purpose": "other"}
        )
        if response.status_code != 302:
            return Outcome(response.status_code, _form_errors(response), False)
        return Outcome(response.status_code, [], True)


PATHS = [
    ActivitiesImport,
    NominationsImport,
    RosterImport,
    CompletionsImport,
    KnowledgeUploadForm,
    KnowledgeApiUpload,
    DocumentNewVersion,
    XLSFormImport,
]


def send(path_class, hostile: Hostile, name: str | None = None, content: bytes | None = None):
    path = path_class()
    user = User.objects.get(username=path.username)
    path.setup(user)
    content = hostile.content(path.table) if content is None else content
    upload = SimpleUploadedFile(name or hostile.filename, content)
    client = Client()
    client.force_login(user)
    return path, user, client, upload


@pytest.mark.parametrize("path_class", PATHS, ids=[path.id for path in PATHS])
@pytest.mark.parametrize("hostile", HOSTILE_FILES, ids=[hostile.id for hostile in HOSTILE_FILES])
def test_every_upload_path_refuses_every_hostile_file(path_class, hostile):
    path, user, client, upload = send(path_class, hostile)
    if hostile.bomb:
        # Time the bomb, not the first request of the session: the path is exercised once before.
        path.send(client, user, SimpleUploadedFile(hostile.filename, b"not what the name says"))
    counts, files = path.counts(), stored_files()
    if hostile.bomb:
        tracemalloc.start()
    started = time.monotonic()
    try:
        outcome = path.send(client, user, upload)
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1] if hostile.bomb else 0
    finally:
        if hostile.bomb:
            tracemalloc.stop()
    assert outcome.status < 500
    assert not outcome.accepted, outcome
    assert outcome.reasons and all(reason.strip() for reason in outcome.reasons), outcome
    assert path.counts() == counts, "something was saved"
    assert stored_files() == files, "a file was left in storage"
    if hostile.bomb:
        assert elapsed < BOMB_SECONDS, f"took {elapsed:.1f} s"
        assert peak < BOMB_PEAK_BYTES, f"peak {peak / 1e6:.0f} MB"


@pytest.mark.parametrize("path_class", PATHS, ids=[path.id for path in PATHS])
@pytest.mark.parametrize("name", ODD_NAMES, ids=range(len(ODD_NAMES)))
def test_odd_and_overlong_names_never_break_an_upload(path_class, name):
    """Good content under a hostile name: stored under a safe name inside the media folder, or
    refused with a message."""
    importing = issubclass(path_class, ImportPath)
    table = ACTIVITY_TABLE if path_class is ActivitiesImport else NOMINATION_TABLE
    content = csv_text(table[0], [table[1]]) if importing else GOOD_TEXT.encode()
    if importing:
        name = name[: -len(".txt")] + ".csv"
    hostile = Hostile("odd-name", name, lambda table: content)
    path, user, client, upload = send(path_class, hostile)
    files = stored_files()
    outcome = path.send(client, user, upload)
    assert outcome.status < 500
    assert outcome.accepted or outcome.reasons
    new = stored_files() - files
    for stored in new:
        assert all(len(part.encode()) <= 255 for part in Path(stored).parts), stored
        assert ".." not in Path(stored).parts
        assert (
            (Path(settings.MEDIA_ROOT) / stored).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
        )
    for version in DocumentVersion.objects.all():
        assert "/" not in version.filename and "\x00" not in version.filename
        assert len(version.filename.encode()) <= 255
    # Only the stored version remains: the job's uploaded copy is gone.
    assert all(not stored.startswith("uploads/") for stored in new)


def test_the_hostile_set_covers_every_kind_the_issue_names():
    ids = {hostile.id for hostile in HOSTILE_FILES}
    for needed in (
        "xlsx-bomb-after-sheetdata",
        "docx-fake-sizes",
        "pdf-named-docx",
        "empty-pdf",
        "nan-cell-xlsx",
        "duplicated-heading-csv",
        "formula-cell",
        "oversized-txt",
    ):
        assert needed in ids
    assert any(len(name.encode()) > 255 for name in ODD_NAMES)
