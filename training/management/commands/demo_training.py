import time

from django.core.management.base import BaseCommand, CommandError

from training.demo import SEED, demo_training_create


class Command(BaseCommand):
    help = (
        "Build the demo training products of every RTC with their modules, competencies and sessions, "
        "recognised programmes and e-learning completions (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=SEED)

    def handle(self, *args, seed, **options):
        started = time.perf_counter()
        try:
            counts = demo_training_create(seed=seed, progress=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        summary = ", ".join(f"{value} {name}" for name, value in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Demo training ready: {summary} ({time.perf_counter() - started:.0f} s).")
        )
