from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one archive of the database (every row, engine-independent JSON) and the media files, "
        "with checksums. Safe on a running installation: the database is read in one snapshot."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the zip file to write, e.g. cbhub-2026-01-31.zip")
        parser.add_argument("--force", action="store_true", help="overwrite an existing archive")

    def handle(self, *args, archive, force, **options):
        try:
            summary = backup_create(path=archive, overwrite=force)
        except (BackupError, OSError) as error:
            raise CommandError(f"No backup written. {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {archive}: {summary.describe()}."))
