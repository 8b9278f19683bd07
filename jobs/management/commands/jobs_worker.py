from django.core.management.base import BaseCommand

from jobs import queues


class Command(BaseCommand):
    help = "Run background jobs (ingestion, reports) from the configured queue until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="stop when no job is waiting")

    def handle(self, *args, burst, **options):
        self.stdout.write(f"jobs worker: {queues.backend().__class__.__name__}", ending="\n")
        queues.backend().work(burst=burst)
