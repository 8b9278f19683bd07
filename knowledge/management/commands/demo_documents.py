from django.core.management.base import BaseCommand

from knowledge.demo import demo_documents_create


class Command(BaseCommand):
    help = "Add demo documents to the knowledge base (through the real ingestion pipeline)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=60)

    def handle(self, *args, count, **options):
        stored = demo_documents_create(count)
        self.stdout.write(self.style.SUCCESS(f"Demo documents ready: {stored}."))
