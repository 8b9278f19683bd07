"""Server time and query count of the key pages and API lists on the 10-year WCO-wide volume.

    python bench/pages.py                      # SQLite file bench/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cbhub_bench python bench/pages.py

The first run builds the data (manage.py demo_data --scale: 20,000 activities, 400,000
participations); later runs reuse it. Each URL is requested in-process through the whole Django
stack (middleware, permissions, templates) RUNS times after WARMUP requests; the figures are server
time, not network time. "first" is the first request with empty caches (dashboards keep their
figures for DASHBOARD_CACHE_SECONDS, as in production). Target: p95 <= 200 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Production settings, but static files served without a collectstatic manifest.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cbhub.settings_test")
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

RUNS, WARMUP = int(os.environ.get("RUNS", "20")), 2


def ensure_data() -> None:
    call_command("migrate", verbosity=0)
    from activities.models import Activity, Participation

    if Activity.objects.count() >= 20_000 and Participation.objects.count() >= 400_000:
        return
    print("Building the --scale data (once)...", flush=True)
    call_command("load_reference", verbosity=0)
    call_command("demo_users", verbosity=0)
    started = time.perf_counter()
    call_command("demo_data", scale=True, verbosity=0)
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


def pages() -> list[tuple[str, str, str]]:
    from activities.models import Activity

    activity = Activity.objects.filter(region__code="A/P").order_by("-participations__pk").first()
    busiest = Activity.objects.order_by("-start_date").first()
    month = busiest.start_date.strftime("%Y-%m")
    return [
        ("secretariat", "activity list", "/activities/"),
        (
            "secretariat",
            "activity list, filtered",
            "/activities/?region=ap&kind=regional_workshop&status=closed",
        ),
        ("rocb.ap", "activity list (ROCB)", "/activities/?year=2024"),
        ("secretariat", "activity detail", f"/activities/{activity.pk}/"),
        ("secretariat", "calendar month", f"/activities/calendar/?month={month}"),
        ("secretariat", "calendar list", f"/activities/calendar/?month={month}&view=list"),
        ("secretariat", "dashboard (network)", "/activities/dashboard/?scope=all"),
        ("rocb.ap", "dashboard (region)", "/activities/dashboard/"),
        ("secretariat", "participant list", "/activities/participations/"),
        ("rocb.ap", "participant list (ROCB)", "/activities/participations/?year=2024"),
        ("secretariat", "API activities", "/api/activities/activities/"),
        ("secretariat", "API activities, filtered", "/api/activities/activities/?region=ap&year=2024"),
        ("secretariat", "API participations", "/api/activities/participations/"),
        ("secretariat", "API people", "/api/people/people/"),
        ("secretariat", "API members", "/api/network/members/"),
    ]


def measure(client: Client, url: str) -> tuple[float, list[float], int]:
    """(first request ms, later request timings, queries of a later request)."""
    cache.clear()
    first, timings, queries = 0.0, [], 0
    for run in range(WARMUP + RUNS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        if run == 0:
            first = elapsed
        if run >= WARMUP:
            timings.append(elapsed)
            queries = len(captured)
    return first, timings, queries


def main() -> None:
    ensure_data()
    from accounts.models import User

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"database: {engine}; {RUNS} runs per page after {WARMUP} warm-up requests")
    # As in production: dashboards keep their figures for a few minutes (the test settings do not).
    settings.DASHBOARD_CACHE_SECONDS = 300
    print(f"{'page':<30} {'first ms':>9} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    clients: dict[str, Client] = {}
    worst = 0.0
    for username, label, url in pages():
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        first, timings, queries = measure(clients[username], url)
        p50 = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[-1]
        worst = max(worst, p95)
        print(f"{label:<30} {first:9.1f} {p50:8.1f} {p95:8.1f} {queries:8d}", flush=True)
    print(f"worst p95: {worst:.1f} ms (target 200 ms): {'met' if worst <= 200 else 'NOT met'}")


if __name__ == "__main__":
    main()
