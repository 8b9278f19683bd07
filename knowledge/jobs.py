"""The ingestion job: files uploaded through the pages or the API, or read by import_documents."""

import posixpath
from pathlib import Path

from django.core.files.storage import default_storage

from accounts.models import User
from jobs.registry import job_handler
from knowledge.ingestion import Incoming, ingest

INGEST = "knowledge.ingest"


@job_handler(INGEST)
def run_ingestion(job, progress) -> None:
    """payload: {"items": [{"name", "storage_name" | "path", "metadata", "source_key"}]}; an item with
    "refused" (a reason) was refused at upload and never stored."""
    items = job.payload.get("items", [])
    progress.set_total(len(items))
    user = User.objects.filter(pk=job.created_by_id).first()
    incomings = []
    for item in items:
        if item.get("refused"):
            progress.item(item.get("name", "?"), "failed", item["refused"])
            continue
        try:
            content = _read(item)
        except OSError as error:
            progress.item(
                item.get("name", "?"), "failed", f"The file could not be read ({error.strerror or error})."
            )
            continue
        incomings.append(
            Incoming(
                name=item["name"],
                content=content,
                metadata=item.get("metadata", {}),
                source_key=item.get("source_key", ""),
            )
        )
    try:
        ingest(incomings, user=user, progress=progress)
    finally:
        # The uploaded copies are only the job's input: a stored document keeps its own copy of the
        # file, and a refused one must not stay on disk. (A worker killed before this line leaves
        # them for the queued-again job to read.)
        discard_uploads(items)


def discard_uploads(items: list[dict]) -> None:
    for item in items:
        name = item.get("storage_name")
        if name:
            try:
                default_storage.delete(name)
                folder = posixpath.dirname(name)
                if folder.startswith("uploads/") and not any(default_storage.listdir(folder)):
                    default_storage.delete(folder)
            except (OSError, NotImplementedError):  # a storage without folders keeps the empty prefix
                pass


def _read(item: dict) -> bytes:
    if item.get("storage_name"):
        with default_storage.open(item["storage_name"], "rb") as stored:
            return stored.read()
    return Path(item["path"]).read_bytes()
