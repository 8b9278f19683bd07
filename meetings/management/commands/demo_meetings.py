import time

from django.core.management.base import BaseCommand, CommandError

from meetings.demo import SEED, demo_meetings_create


class Command(BaseCommand):
    help = (
        "Build the demo meetings: eight years of the Meetings of Heads of the RTCs of the six regions "
        "and of the Capacity Building Committee's sessions, with their decisions, actions and minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=SEED)

    def handle(self, *args, seed, **options):
        started = time.perf_counter()
        try:
            counts = demo_meetings_create(seed=seed, progress=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        summary = ", ".join(f"{value} {name}" for name, value in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Demo meetings ready: {summary} ({time.perf_counter() - started:.0f} s).")
        )
