"""Backup and restore of a whole installation: the database and the uploaded (media) files, in one
zip archive that does not depend on the database engine, so a backup taken on SQLite restores into
PostgreSQL and back.

The archive holds:
- `data/NNNN-<app>.<model>-PPPP.json`: every row of every model, in Django's JSON serialization with
  primary keys kept (so every reference stays valid), in pages of PAGE rows;
- `media/<name>`: every file of the default storage;
- `manifest.json`: the format, when and from which engine, the migrations applied, the rows per
  model, and the SHA-256 and size of every data and media file.

`backup_create` reads the database in one snapshot (a read-only transaction), so a backup of a
running installation is consistent. `backup_restore` checks the whole archive (checksums, format,
migrations) before it changes anything, refuses a non-empty installation unless `force`, then
replaces the database's rows in one transaction and writes the media files.

Sessions are not backed up (a restore signs everybody out). Content types and permissions are
restored as they were in the archive, replacing those `migrate` created.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch

FORMAT = "cbhub-backup"
VERSION = 1
PAGE = 2000
MANIFEST = "manifest.json"
# Rows that are not worth restoring: sessions (a restore signs everybody out).
EXCLUDED = {"sessions.session"}
# Rows `migrate` creates in every installation (content types, permissions, and the service catalogue
# its data migrations seed); they do not make an installation "not empty", and a restore replaces
# them with the archive's. A test checks that a freshly migrated database has no other rows.
# The question bank only ever holds the codes of stored questionnaires, so it is derived too.
AUTOMATIC = {
    "contenttypes.contenttype",
    "auth.permission",
    "activities.serviceitem",
    "surveys.bankquestion",
    "meetings.decisionstate",  # the decisions' default workflow (meetings.workflow)
}
# Tables where `migrate` seeds some rows (the shipped questionnaire templates) beside users' own:
# only the others count.
SEEDED_ROWS = {
    "surveys.questionnaire": {"is_template": True},
    "surveys.questionnaireversion": {"questionnaire__is_template": True},
}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why. Nothing was changed."""


class MediaRestoreError(BackupError):
    """The database was restored, but a media file could not be written."""


@dataclass
class Summary:
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    file_bytes: int = 0

    def describe(self) -> str:
        return (
            f"{sum(self.rows.values())} rows of {len(self.rows)} models, "
            f"{self.files} media files ({self.file_bytes} bytes)"
        )


def backed_up_models() -> list:
    """Every concrete model with a table of its own, in a stable order (app registry order)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in EXCLUDED
    ]


def _check_migrated(models: list) -> None:
    existing = set(connection.introspection.table_names())
    missing = [table for table in _tables(models) if table not in existing]
    if missing:
        raise BackupError(
            f"The database is not migrated (no table {', '.join(missing[:5])}): run `manage.py migrate`."
        )


def _tables(models: list) -> list[str]:
    """The models' tables and their automatic many-to-many tables."""
    tables = []
    for model in models:
        tables.append(model._meta.db_table)
        for many in model._meta.local_many_to_many:
            if many.remote_field.through._meta.auto_created:
                tables.append(many.remote_field.through._meta.db_table)
    return tables


def _applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


class ExactEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class _HashingWriter:
    """A text stream that writes UTF-8 into a binary one and keeps its SHA-256 and size."""

    def __init__(self, raw):
        self.raw, self.digest, self.size = raw, hashlib.sha256(), 0

    def write(self, text: str) -> int:
        data = text.encode()
        self.digest.update(data)
        self.size += len(data)
        self.raw.write(data)
        return len(text)

    def flush(self) -> None:
        pass


@contextmanager
def _snapshot():
    """Run the reads in one consistent, read-only view of the database."""
    if connection.in_atomic_block:  # already in a transaction (a test, a caller's atomic block)
        yield
        return
    if connection.vendor == "sqlite":
        # A deferred transaction: a read snapshot that does not take the write lock (WAL lets the
        # app and the worker go on writing meanwhile), unlike the IMMEDIATE ones of atomic().
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                cursor.execute("ROLLBACK")
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _media_names(directory: str = "") -> list[str]:
    try:
        folders, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return []
    names = [f"{directory}/{name}" if directory else name for name in files]
    for folder in folders:
        names += _media_names(f"{directory}/{folder}" if directory else folder)
    return sorted(names)


def _copy(source, target, digest) -> int:
    size = 0
    while block := source.read(1 << 20):
        digest.update(block)
        target.write(block)
        size += len(block)
    return size


def backup_create(*, path: Path, overwrite: bool = False) -> Summary:
    """Write the archive to `path` (through a temporary file, so a failed backup leaves nothing)."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise BackupError(f"{path} already exists.")
    summary, data_entries, media_entries = Summary(), [], []
    partial = path.with_name(path.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            with _snapshot():
                _check_migrated(backed_up_models())
                applied = _applied_migrations()
                for number, model in enumerate(backed_up_models()):
                    label = model._meta.label_lower
                    # Many-to-many links in one query per page and field, not one per row.
                    links = [
                        Prefetch(many.name, queryset=many.related_model._base_manager.only("pk"))
                        for many in model._meta.local_many_to_many
                        if many.remote_field.through._meta.auto_created
                    ]
                    queryset = model._base_manager.order_by("pk").prefetch_related(*links)
                    count = queryset.count()
                    summary.rows[label] = count
                    for page, start in enumerate(range(0, count, PAGE)):
                        name = f"data/{number:04d}-{label}-{page:04d}.json"
                        with archive.open(name, "w", force_zip64=True) as raw:
                            writer = _HashingWriter(raw)
                            rows = queryset[start : start + PAGE]
                            serializers.serialize("json", rows, stream=writer, cls=ExactEncoder)
                        data_entries.append(
                            {"name": name, "model": label, "sha256": writer.digest.hexdigest()}
                        )
            for name in _media_names():
                digest = hashlib.sha256()
                with default_storage.open(name, "rb") as source:
                    with archive.open(f"media/{name}", "w", force_zip64=True) as target:
                        size = _copy(source, target, digest)
                media_entries.append({"name": name, "sha256": digest.hexdigest(), "size": size})
                summary.files += 1
                summary.file_bytes += size
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
                "database_vendor": connection.vendor,
                "migrations": applied,
                "rows": summary.rows,
                "data": data_entries,
                "media": media_entries,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return summary


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError("This is not a cbhub backup (no manifest).") from None
    except ValueError:
        raise BackupError("The backup's manifest is damaged.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This is not a cbhub backup.")
    if manifest.get("version") != VERSION:
        raise BackupError(f"Backup format version {manifest.get('version')} is not supported.")
    try:
        for entry in manifest["data"]:
            assert isinstance(entry["name"], str) and isinstance(entry["model"], str) and entry["sha256"]
        for entry in manifest["media"]:
            assert isinstance(entry["name"], str) and entry["sha256"] and isinstance(entry["size"], int)
        assert all(isinstance(count, int) for count in manifest["rows"].values())
        assert all(len(migration) == 2 for migration in manifest["migrations"])
    except (AssertionError, KeyError, TypeError, AttributeError):
        raise BackupError("The backup's manifest is damaged.") from None
    return manifest


def _verify(archive: zipfile.ZipFile, manifest: dict) -> None:
    """Every listed entry is present and has its checksum, and media names stay inside the storage."""
    present = set(archive.namelist())
    entries = [(entry["name"], entry["sha256"]) for entry in manifest["data"]]
    for entry in manifest["media"]:
        name = entry["name"]
        if name.startswith("/") or "\\" in name or ".." in Path(name).parts:
            raise BackupError(f"The backup holds a media file outside the media folder: {name}")
        entries.append((f"media/{name}", entry["sha256"]))
    for name, expected in entries:
        if name not in present:
            raise BackupError(f"The backup is incomplete: {name} is missing.")
        digest = hashlib.sha256()
        with archive.open(name) as stream:
            while block := stream.read(1 << 20):
                digest.update(block)
        if digest.hexdigest() != expected:
            raise BackupError(f"The backup is damaged: {name} does not match its checksum.")


def installation_rows() -> dict[str, int]:
    """Rows per model that a restore would replace (automatic rows left out)."""
    return {
        model._meta.label_lower: model._base_manager.exclude(
            **SEEDED_ROWS.get(model._meta.label_lower, {})
        ).count()
        if model._meta.label_lower in SEEDED_ROWS
        else model._base_manager.count()
        for model in backed_up_models()
        if model._meta.label_lower not in AUTOMATIC
    }


def _flush(models: list) -> None:
    """Delete every row of these models' tables (the caller holds the transaction)."""
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred checks pending in this transaction: run them now.
        connection.check_constraints()
    statements = connection.ops.sql_flush(
        no_style(), _tables(models), reset_sequences=True, allow_cascade=True
    )
    connection.ops.execute_sql_flush(statements)


def backup_restore(*, path: Path, force: bool = False) -> Summary:
    """Read the archive at `path` into this installation; see the module's docstring."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise BackupError(f"{path} is not a zip archive.") from None
    with archive:
        manifest = _read_manifest(archive)
        _verify(archive, manifest)
        models = backed_up_models()
        _check_migrated(models)
        known = {model._meta.label_lower for model in models}
        unknown = sorted({entry["model"] for entry in manifest["data"]} - known)
        if unknown:
            raise BackupError(
                f"The backup holds models this installation does not have: {', '.join(unknown)}."
            )
        missing = sorted(set(map(tuple, manifest["migrations"])) - set(map(tuple, _applied_migrations())))
        extra = sorted(set(map(tuple, _applied_migrations())) - set(map(tuple, manifest["migrations"])))
        if missing or extra:
            raise BackupError(
                "The backup was taken at another schema version. Restore it with the cbhub version that "
                "made it, then upgrade. "
                + (f"Not applied here: {', '.join('.'.join(m) for m in missing[:5])}. " if missing else "")
                + (f"Not in the backup: {', '.join('.'.join(m) for m in extra[:5])}." if extra else "")
            )
        if not force:
            filled = {label: count for label, count in installation_rows().items() if count}
            if filled:
                listed = ", ".join(f"{label} ({count})" for label, count in sorted(filled.items())[:8])
                raise BackupError(
                    f"This installation is not empty: {listed}. Restore into a migrated, empty "
                    "database, or use --force to replace everything in it."
                )
            existing = _media_names()
            if existing:
                raise BackupError(
                    f"The media folder is not empty ({len(existing)} files). Restore into an empty one, "
                    "or use --force to replace the files the backup holds."
                )
        summary = Summary(rows=dict(manifest["rows"]))
        with tempfile.TemporaryDirectory(prefix="cbhub-restore-") as folder:
            fixtures = []
            for entry in manifest["data"]:
                target = Path(folder) / Path(entry["name"]).name
                with archive.open(entry["name"]) as source, target.open("wb") as stream:
                    shutil.copyfileobj(source, stream)
                fixtures.append(str(target))
            try:
                with transaction.atomic():
                    _restore_rows(models, fixtures, manifest)
            except (DeserializationError, DatabaseError) as error:
                raise BackupError(f"The backup's rows could not be loaded: {error}") from None
        ContentType.objects.clear_cache()
        for entry in manifest["media"]:
            name = entry["name"]
            try:
                if default_storage.exists(name):
                    default_storage.delete(name)
                with archive.open(f"media/{name}") as source:
                    saved = default_storage.save(name, File(source, name=name))
            except OSError as error:
                raise MediaRestoreError(
                    f"The database was restored, but the media file {name} could not be written: {error}"
                ) from None
            if saved != name:
                raise MediaRestoreError(f"The database was restored, but {name} was stored as {saved}.")
            summary.files += 1
            summary.file_bytes += entry["size"]
    # Search indexes reload by themselves: the restored index generation differs from what any
    # running process loaded.
    return summary


def _insert(model, objects: list) -> None:
    """Insert rows as they are (raw: no auto_now, no signals), in batches the database accepts."""
    fields = model._meta.local_concrete_fields
    if objects and objects[0].pk is None:  # many-to-many links: the database numbers them
        fields = [field for field in fields if not field.primary_key]
    size = max(1, connection.ops.bulk_batch_size(fields, objects) or len(objects))
    for start in range(0, len(objects), size):
        model._base_manager._insert(objects[start : start + size], fields=fields, raw=True)


def _load(fixture: str) -> None:
    """One page of rows, and their automatic many-to-many links, in a few INSERTs."""
    rows, links = {}, {}
    with open(fixture, encoding="utf-8") as stream:
        for deserialized in serializers.deserialize("json", stream):
            instance = deserialized.object
            rows.setdefault(type(instance), []).append(instance)
            for name, targets in (deserialized.m2m_data or {}).items():
                many = instance._meta.get_field(name)
                through = many.remote_field.through
                if not through._meta.auto_created:
                    continue  # explicit through models have pages of their own
                source = through._meta.get_field(many.m2m_field_name()).attname
                target = through._meta.get_field(many.m2m_reverse_field_name()).attname
                links.setdefault(through, []).extend(
                    through(**{source: instance.pk, target: pk}) for pk in targets
                )
    for model, objects in [*rows.items(), *links.items()]:
        _insert(model, objects)


def _restore_rows(models: list, fixtures: list[str], manifest: dict) -> None:
    """Replace every row (the caller holds the transaction)."""
    _flush(models)
    for fixture in fixtures:
        _load(fixture)
    restored = {model._meta.label_lower: model._base_manager.count() for model in models}
    expected = {label: manifest["rows"].get(label, 0) for label in restored}
    if restored != expected:
        wrong = [label for label in restored if restored[label] != expected[label]]
        raise BackupError(f"The restored rows do not match the backup's counts: {', '.join(wrong)}.")
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
