import time

from django.core.management.base import BaseCommand

from activities.demo import DEFAULT, SCALE, demo_data_create


class Command(BaseCommand):
    help = "Build demo activities, people, donors and funding on top of the reference data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            action="store_true",
            help="the 10-year WCO-wide volume: 20,000 activities and 400,000 participations",
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale, seed, **options):
        started = time.perf_counter()
        counts = demo_data_create(SCALE if scale else DEFAULT, seed=seed, progress=self.stdout.write)
        summary = ", ".join(f"{value} {name}" for name, value in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {summary} ({time.perf_counter() - started:.0f} s).")
        )
