from django.core.management.base import BaseCommand, CommandError

from network.reference import SHIPPED_REFERENCE_DIR, ReferenceDataError, reference_load


class Command(BaseCommand):
    help = "Load regions, members, offices and committees from a reference-data folder (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            default=str(SHIPPED_REFERENCE_DIR),
            help="folder with regions.csv, members.csv, rtcs.csv (default: the copy shipped with cbhub)",
        )

    def handle(self, *args, directory, **options):
        try:
            report = reference_load(directory=directory)
        except ReferenceDataError as error:
            raise CommandError(f"Nothing loaded. {error}") from None
        self.stdout.write(report.summary())
        self.stdout.write(
            self.style.SUCCESS(f"Reference data loaded from {directory}: {report.changed} changes.")
        )
