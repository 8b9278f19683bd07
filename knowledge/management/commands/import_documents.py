"""manage.py import_documents DIR: every supported file in DIR, with metadata from DIR/metadata.csv.

The sidecar has a `file` column (the path relative to DIR) and any of: title, kind, date, authors,
visibility, region (slug), office (code), member (ISO alpha-2), activity (id), topics (slugs separated
by ;), restricted_offices (codes separated by ;).
Files not listed in it are imported with defaults. The import is a job like an upload: it is
persisted, its progress is printed, and a second run skips what is already there.
"""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from jobs.services import job_run
from knowledge.extraction import EXTENSIONS
from knowledge.jobs import INGEST

SIDECAR = "metadata.csv"


class Command(BaseCommand):
    help = "Import documents from a folder (PDF, DOCX, HTML, Markdown, text) with a metadata.csv sidecar."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--user", default="", help="the importing user (default: none, a system import)")

    def handle(self, *args, directory, user, **options):
        root = Path(directory)
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder.")
        metadata = self.read_sidecar(root)
        files = sorted(
            path
            for path in root.rglob("*")
            if path.is_file() and path.suffix.lower().lstrip(".") in EXTENSIONS and path.name != SIDECAR
        )
        importer = User.objects.filter(username=user).first() if user else None
        if user and importer is None:
            raise CommandError(f"No user named {user}.")
        items = [
            {
                "name": path.name,
                "path": str(path.resolve()),
                "metadata": metadata.get(str(path.relative_to(root)), {}),
                "source_key": f"import:{path.relative_to(root)}",
            }
            for path in files
        ]
        from jobs.models import Job

        with transaction.atomic():
            job = Job.objects.create(
                kind=INGEST, payload={"items": items}, created_by=importer, total=len(items)
            )
        job = job_run(job.pk)
        for outcome in job.outcomes:
            self.stdout.write(f"{outcome['status']:>9}  {outcome['name']}  {outcome.get('reason', '')}")
        counts = {}
        for outcome in job.outcomes:
            counts[outcome["status"]] = counts.get(outcome["status"], 0) + 1
        self.stdout.write(self.style.SUCCESS(f"Job #{job.pk} {job.get_status_display()}: {counts}"))

    def read_sidecar(self, root: Path) -> dict[str, dict]:
        path = root / SIDECAR
        if not path.is_file():
            return {}
        try:
            rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
        except (UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"{SIDECAR} cannot be read: {error}") from None
        if rows and "file" not in rows[0]:
            raise CommandError(f"{SIDECAR} needs a 'file' column.")
        return {
            row["file"].strip(): {key: (value or "").strip() for key, value in row.items() if key != "file"}
            for row in rows
            if row.get("file")
        }
