from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, MediaRestoreError, backup_restore


class Command(BaseCommand):
    help = (
        "Read an archive written by `backup` into this installation: a migrated, empty database at the "
        "same schema version (run `migrate` first). A non-empty one is refused unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the zip file written by `manage.py backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace every row of a non-empty installation, and the media files the archive holds",
        )

    def handle(self, *args, archive, force, **options):
        try:
            summary = backup_restore(path=archive, force=force)
        except MediaRestoreError as error:
            raise CommandError(str(error)) from None
        except BackupError as error:
            raise CommandError(f"Nothing restored. {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Restored from {archive}: {summary.describe()}."))
