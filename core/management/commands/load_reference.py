from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from conferences.reference import conferences_load
from network.reference import SHIPPED_REFERENCE_DIR, ReferenceDataError, reference_load
from results.reference import objectives_load
from topics.reference import topics_load
from training.reference import competencies_load


class Command(BaseCommand):
    help = "Load the network registry and the topic taxonomy from a reference-data folder (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            default=str(SHIPPED_REFERENCE_DIR),
            help=(
                "folder with regions.csv, members.csv, rtcs.csv, topics.md, picard_conferences.csv "
                "(default: the shipped copy)"
            ),
        )

    def handle(self, *args, directory, **options):
        try:
            with transaction.atomic():
                report = reference_load(directory=directory)
                topics_load(path=Path(directory) / "topics.md", report=report)
                conferences_load(directory=directory, report=report)
                objectives_load(report=report)
                competencies_load(report=report)
        except ReferenceDataError as error:
            raise CommandError(f"Nothing loaded. {error}") from None
        self.stdout.write(report.summary())
        self.stdout.write(
            self.style.SUCCESS(f"Reference data loaded from {directory}: {report.changed} changes.")
        )
