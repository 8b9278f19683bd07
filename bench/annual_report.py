"""Time to build the annual report of the largest office on the 10-year scale volume: the figures,
the DOCX and the PDF, as the job builds them (target <= 30 s).

    python bench/annual_report.py                  # SQLite file bench/bench.sqlite3 (built by pages.py)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cbhub_bench python bench/annual_report.py

Prints `annual_report/<office> seconds: …` for the ROCB with the most activities in its busiest
year, the Secretariat's report of that year, and the RTC with the most activities.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402 - sets up Django on the benchmark database
from django.db.models import Count  # noqa: E402
from django.db.models.functions import ExtractYear  # noqa: E402


def main() -> None:
    from accounts.models import User
    from activities.models import Activity
    from insights.annual_report import annual_figures, write_docx, write_pdf
    from network.models import Office

    pages.ensure_data(True)
    busiest = (
        Activity.objects.exclude(start_date=None)
        .annotate(year=ExtractYear("start_date"))
        .values("region", "year")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    year = busiest["year"]
    rocb = Office.objects.get(kind="rocb", region=busiest["region"])
    rtc_id = (
        Activity.objects.filter(lead_office__kind="rtc")
        .values("lead_office")
        .annotate(n=Count("pk"))
        .order_by("-n")
    ).first()["lead_office"]
    secretariat = Office.objects.filter(kind="secretariat").first() or rocb
    user = User.objects.get(username="secretariat")
    print(f"# year {year}: {busiest['n']} activities in the busiest region", flush=True)
    for label, office in (
        ("rocb", rocb),
        ("secretariat", secretariat),
        ("rtc", Office.objects.get(pk=rtc_id)),
    ):
        start = time.perf_counter()
        figures = annual_figures(user, office, year)
        figured = time.perf_counter()
        write_docx(figures)
        write_pdf(figures)
        done = time.perf_counter()
        print(f"annual_report/{label} figures_seconds: {figured - start:.2f}")
        print(f"annual_report/{label} seconds: {done - start:.2f}", flush=True)


if __name__ == "__main__":
    main()
