import time

from django.core.management.base import BaseCommand

from surveys.demo import demo_surveys_create


class Command(BaseCommand):
    help = "Answer the demo activities' questionnaires: needs, tests, reaction, follow-up, yearly needs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", action="store_true", help="add about 50,000 needs responses over ten years"
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale, seed, **options):
        started = time.perf_counter()
        counts = demo_surveys_create(scale=scale, seed=seed, progress=self.stdout.write)
        summary = ", ".join(f"{value} {name}" for name, value in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Demo answers ready: {summary} ({time.perf_counter() - started:.0f} s).")
        )
