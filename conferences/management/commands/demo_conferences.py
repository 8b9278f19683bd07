import time

from django.core.management.base import BaseCommand, CommandError

from conferences.demo import PUBLISH_EDITIONS, SEED, demo_conferences_create


class Command(BaseCommand):
    help = (
        "Build the demo conferences: decided calls and about 200 papers for the PICARD editions of "
        "2006-2022, the next edition's open call under review, and a regional call in draft."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=SEED)
        parser.add_argument(
            "--publish-editions",
            type=int,
            default=PUBLISH_EDITIONS,
            help="the accepted papers of this many latest editions enter the knowledge base (0: none)",
        )

    def handle(self, *args, seed, publish_editions, **options):
        started = time.perf_counter()
        try:
            counts = demo_conferences_create(
                seed=seed, publish_editions=publish_editions, progress=self.stdout.write
            )
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        summary = ", ".join(f"{value} {name}" for name, value in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Demo conferences ready: {summary} ({time.perf_counter() - started:.0f} s).")
        )
