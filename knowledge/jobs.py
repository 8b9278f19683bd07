"""The ingestion job: files uploaded through the pages or the API, or read by import_documents."""

from pathlib import Path

from django.core.files.storage import default_storage

from accounts.models import User
from jobs.registry import job_handler
from knowledge.ingestion import Incoming, ingest

INGEST = "knowledge.ingest"


@job_handler(INGEST)
def run_ingestion(job, progress) -> None:
    """payload: {"items": [{"name", "storage_name" | "path", "metadata", "source_key"}]}."""
    items = job.payload.get("items", [])
    progress.set_total(len(items))
    user = User.objects.filter(pk=job.created_by_id).first()
    incomings = []
    for item in items:
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
    ingest(incomings, user=user, progress=progress)


def _read(item: dict) -> bytes:
    if item.get("storage_name"):
        with default_storage.open(item["storage_name"], "rb") as stored:
            return stored.read()
    return Path(item["path"]).read_bytes()
