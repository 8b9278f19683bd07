"""The query planner's statistics, kept fresh.

PostgreSQL keeps its own (autovacuum analyses tables as they change). SQLite keeps none until
ANALYZE runs, and without them its planner guesses that every indexed equality matches ten rows: it
then reads a region's 120,000 participations to sort them, rather than the newest activities in
order from their index and stops at one page. So cbhub refreshes the statistics after each
`migrate` and once a day from the jobs worker (a periodic job). `analysis_limit` bounds the work
per index, so a refresh takes well under a second at the scale volume.
"""

from __future__ import annotations

import datetime

from django.db import DEFAULT_DB_ALIAS, connections

from jobs.registry import job_handler
from jobs.schedule import register_periodic

STATISTICS = "core.database_statistics"
ANALYSIS_LIMIT = 1000  # rows sampled per index (SQLite)


def database_statistics_refresh(using: str = DEFAULT_DB_ALIAS) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


@job_handler(STATISTICS)
def refresh_statistics(job, progress) -> None:
    database_statistics_refresh()
    progress.item("database statistics", "updated", "")


def after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    database_statistics_refresh(using)


def register() -> None:
    register_periodic(STATISTICS, datetime.timedelta(days=1))
