"""Backup and restore: `manage.py backup` writes one archive of the database and the media files;
`manage.py restore` reads it into an empty installation. The round trip runs on whichever database
the suite runs on (CI: SQLite and PostgreSQL) and must give back every row, exactly, and every file."""

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from activities.tests.factories import ActivityFactory, ParticipationFactory
from core.backup import AUTOMATIC, ExactEncoder, _flush, backed_up_models, installation_rows
from jobs.services import job_enqueue
from knowledge.ingestion import Incoming, ingest
from knowledge.lexical import _top_matches, query_terms
from knowledge.models import Document
from topics.models import Topic

pytestmark = pytest.mark.django_db


class Sink:
    def __init__(self):
        self.outcomes = []

    def item(self, name, status, reason="", **extra):
        self.outcomes.append((name, status, reason))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def installation(media, user_named):
    """The reference network and demo users (from conftest), plus documents with files, activities
    with participants and many-to-many links, history rows, a job."""
    officer = user_named("rocb.ap")
    sink = Sink()
    ingest(
        [
            Incoming(
                name=f"report-{number}.txt",
                content=f"Report {number} on post-clearance audit and risk management in customs.".encode(),
                metadata={"kind": "mission_report", "visibility": "region", "office": "rocb-ap"},
            )
            for number in range(3)
        ],
        user=officer,
        progress=sink,
    )
    assert [status for _, status, _ in sink.outcomes] == ["created"] * 3, sink.outcomes
    document = Document.objects.first()
    document.topics.set(Topic.objects.all()[:2])
    for participation in ParticipationFactory.create_batch(3):
        participation.activity.topics.set(Topic.objects.all()[:3])
    ActivityFactory(title="Atelier régional — gestion des risques ✓")
    job_enqueue(kind="knowledge.ingest", payload={"items": [], "note": "ünïcödé"}, user=officer)
    (media / "stray" / "deep").mkdir(parents=True)
    (media / "stray" / "deep" / "binary.bin").write_bytes(bytes(range(256)) * 10)


def table_counts() -> dict[str, int]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(tables):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    counts.pop("django_session", None)  # sessions are not backed up, by design
    return counts


def every_row() -> dict[str, list]:
    """Every backed-up row, as the serializer sees it (exact times, many-to-many links sorted)."""
    rows = {}
    for model in backed_up_models():
        dumped = json.loads(
            serializers.serialize("json", model._base_manager.order_by("pk"), cls=ExactEncoder)
        )
        for row in dumped:
            for name, value in row["fields"].items():
                if isinstance(value, list) and model._meta.get_field(name).many_to_many:
                    row["fields"][name] = sorted(value)
        rows[model._meta.label_lower] = dumped
    return rows


def media_checksums(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def empty_installation(media: Path) -> None:
    """What `migrate` on an empty database gives: only the automatic rows, no files."""
    _flush([model for model in backed_up_models() if model._meta.label_lower not in AUTOMATIC])
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    assert not any(installation_rows().values()) and not list(media.iterdir())


def run(command, *args) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_backup_then_restore_into_an_empty_installation_gives_back_every_row_and_file(
    installation, media, tmp_path
):
    counts, rows, files = table_counts(), every_row(), media_checksums(media)
    assert counts["knowledge_documentversion"] == 3 and counts["activities_activity_topics"] > 0
    assert len(files) == 4  # three uploaded documents and a stray file in a subfolder

    archive = tmp_path / "backup.zip"
    assert "media files" in run("backup", str(archive))
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
    assert manifest["database_vendor"] == connection.vendor
    assert {entry["name"]: entry["sha256"] for entry in manifest["media"]} == files

    empty_installation(media)
    assert table_counts() != counts
    assert "Restored" in run("restore", str(archive))

    assert table_counts() == counts
    assert media_checksums(media) == files
    restored = every_row()
    for label, before in rows.items():
        assert restored[label] == before, label
    # The restored installation works: ids go on after the restored ones, full text finds the text.
    new = ActivityFactory()
    assert new.pk > max(row["pk"] for row in rows["activities.activity"])
    found = {document_id for document_id, _ in _top_matches(query_terms("post-clearance audit"), 10)}
    assert found == {row["pk"] for row in rows["knowledge.document"]}


def test_restore_refuses_a_non_empty_installation_unless_forced(installation, media, tmp_path):
    archive = tmp_path / "backup.zip"
    run("backup", str(archive))
    counts, files = table_counts(), media_checksums(media)
    ActivityFactory(title="Added after the backup")
    with pytest.raises(CommandError, match="not empty"):
        run("restore", str(archive))
    assert table_counts()["activities_activity"] == counts["activities_activity"] + 1  # untouched

    run("restore", str(archive), "--force")
    assert table_counts() == counts
    assert media_checksums(media) == files


def test_a_damaged_or_foreign_archive_changes_nothing(installation, media, tmp_path):
    archive = tmp_path / "backup.zip"
    run("backup", str(archive))
    empty_installation(media)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("media/"):
                data = data[:-1] + b"!"
            target.writestr(item, data)
    with pytest.raises(CommandError, match="does not match its checksum"):
        run("restore", str(damaged))
    not_a_backup = tmp_path / "other.zip"
    with zipfile.ZipFile(not_a_backup, "w") as target:
        target.writestr("hello.txt", "hello")
    with pytest.raises(CommandError, match="not a cbhub backup"):
        run("restore", str(not_a_backup))
    (tmp_path / "text.zip").write_text("not a zip")
    with pytest.raises(CommandError, match="not a zip"):
        run("restore", str(tmp_path / "text.zip"))
    with pytest.raises(CommandError, match="does not exist"):
        run("restore", str(tmp_path / "missing.zip"))
    assert not any(installation_rows().values()) and not list(media.iterdir())


def test_an_archive_from_another_schema_version_is_refused(installation, media, tmp_path):
    archive = tmp_path / "backup.zip"
    run("backup", str(archive))
    edited = tmp_path / "edited.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(edited, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["migrations"].append(["activities", "9999_from_the_future"])
                data = json.dumps(manifest).encode()
            target.writestr(item, data)
    with pytest.raises(CommandError, match="another schema version"):
        run("restore", str(edited), "--force")


def test_backup_does_not_overwrite_an_archive(installation, tmp_path):
    archive = tmp_path / "backup.zip"
    archive.write_text("keep me")
    with pytest.raises(CommandError, match="already exists"):
        run("backup", str(archive))
    assert archive.read_text() == "keep me"
