import time

from django.core.management.base import BaseCommand

from experts.demo import DEFAULT_EXPERTS, SCALE_EXPERTS, demo_experts_create


class Command(BaseCommand):
    help = (
        "Build the demo expert roster (pools, experts, accreditations, deployments) on the demo activities."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", action="store_true", help="5,000 experts instead of 400")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale, seed, **options):
        started = time.perf_counter()
        counts = demo_experts_create(
            SCALE_EXPERTS if scale else DEFAULT_EXPERTS, seed=seed, progress=self.stdout.write
        )
        summary = ", ".join(f"{value} {name}" for name, value in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Demo experts ready: {summary} ({time.perf_counter() - started:.0f} s).")
        )
