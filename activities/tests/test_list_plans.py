"""Each role's default list reads its first page in order from an index, on SQLite and PostgreSQL.

At scale (20,000 activities, 400,000 participations) a list that sorts every row it may show costs
80 ms or more; one read from an index in order costs about a millisecond. The plans are checked on
the queries the pages really run. SQLite plans without statistics, as an installation that never
ran ANALYZE does, so its plan does not depend on the test data; on PostgreSQL, sorting and
sequential scans are discouraged so that the test shows the index can serve the query (the planner
rightly prefers a sort for the few rows of a test database).
"""

import contextlib
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import PUBLIC_STATUSES, Status
from activities.tests.factories import ActivityFactory, ParticipationFactory, PersonFactory
from core.pagination import CappedPaginator

pytestmark = pytest.mark.django_db


# sqlite_stat1 of the scale volume (bench/pages.py's data) after `ANALYZE`, as the daily statistics
# job leaves it: (table, index, statistics).
SCALE_STATISTICS = [
    ("activities_activity", "activities__kind_d5a2ee_idx", "20000 1819 2"),
    ("activities_activity", "activities__lead_of_621fed_idx", "20000 541 1"),
    ("activities_activity", "activities__region__02a8ca_idx", "20000 3334 2"),
    ("activities_activity", "activities_activity_funding_agreement_id_685ab179", "20000 1539"),
    ("activities_activity", "activities_activity_host_member_id_d9146a5b", "20000 107"),
    ("activities_activity", "activities_activity_lead_office_id_d7487385", "20000 541"),
    ("activities_activity", "activities_activity_project_id_1582eff2", "20000 800"),
    ("activities_activity", "activities_activity_region_id_72ca3d51", "20000 3334"),
    ("activities_activity", "activity_newest_first", "20000 6 1"),
    ("activities_activity", "activity_public_newest_first", "17046 6 1"),
    ("activities_activity", "activity_unannounced_status", "2954 591 2"),
    ("activities_participation", "activities__gender_b1f128_idx", "400000 133334"),
    ("activities_participation", "activities__member__44f9c4_idx", "400000 2140 714"),
    ("activities_participation", "activities_participation_activity_id_398b3752", "400000 20"),
    ("activities_participation", "activities_participation_member_id_6cbb6e68", "400000 2140"),
    ("activities_participation", "activities_participation_person_id_fe2362d7", "400000 6"),
    ("activities_participation", "sqlite_autoindex_activities_participation_1", "400000 20 1"),
    ("funding_fundingagreement", "funding_fundingagreement_donor_id_4dac148c", "12 2"),
    ("network_member", "network_member_region_id_83c1fb1b", "187 32"),
    ("people_person", "people_pers_member__451d44_idx", "79849 427 2"),
    ("people_person", "people_person_member_id_d007904f", "79849 427"),
    ("people_person", "people_person_name_key_01f61d18", "79849 74"),
    ("people_person", "person_by_name", "79849 2576 74"),
    ("people_person", "person_member_by_name", "79849 427 14 2"),
]


@contextlib.contextmanager
def statistics_of_scale():
    """SQLite's planner with the statistics of the scale volume (nothing to do on PostgreSQL)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sqlite_schema")  # creates sqlite_stat1
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)", SCALE_STATISTICS)
        cursor.execute("ANALYZE sqlite_schema")  # loads them into the planner
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_stat1")
            cursor.execute("ANALYZE sqlite_schema")


@pytest.fixture(params=["no statistics", "scale statistics"])
def statistics(request):
    """Without statistics (a new SQLite installation), and with those of the scale volume."""
    if request.param == "no statistics":
        # Another test (a migrate, the daily statistics job) may have left statistics behind.
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")  # as a new installation: none
        yield request.param
    else:
        with statistics_of_scale():
            yield request.param


def page_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


def list_query(queries: list[str], table: str) -> str:
    """The page's query of its rows: from `table`, ordered and limited to one page."""
    for sql in queries:
        if sql.startswith("SELECT COUNT") or f'FROM "{table}"' not in sql:
            continue
        if "ORDER BY" in sql and "LIMIT" in sql:
            return sql
    raise AssertionError(f"no list query on {table}")


def _known_postgresql_gap() -> None:
    """On PostgreSQL these two plans are not yet the intended ones on the test's small data (the
    count is not index-only; the participant page sorts): an open item of issue 7."""
    if connection.vendor == "postgresql":
        pytest.xfail("PostgreSQL plan not yet index-only / sort-free on the test data (issue 7)")


def plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def assert_read_in_order(sql: str, index: str) -> None:
    described = plan(sql)
    assert index in described, described
    if connection.vendor == "sqlite":
        assert "TEMP B-TREE FOR ORDER BY" not in described, described
    else:
        assert "Sort" not in described.replace("Incremental Sort", ""), described


@pytest.fixture
def activities():
    start = datetime.date.today() - datetime.timedelta(days=42)  # past and coming activities
    for number, status in enumerate([*Status.values, *PUBLIC_STATUSES]):
        activity = ActivityFactory(status=status, start_date=start + datetime.timedelta(days=7 * number))
        ParticipationFactory(activity=activity)


# The list opens on the coming activities (soonest first); an empty filter lists them all, newest first.
@pytest.mark.parametrize("url", ["/activities/", "/activities/?start_after="])
def test_the_anonymous_activity_list_reads_the_public_index_in_order(client, activities, statistics, url):
    queries = page_queries(client, url)
    assert_read_in_order(list_query(queries, "activities_activity"), "activity_public_newest_first")


@pytest.mark.parametrize("url", ["/activities/", "/activities/?start_after="])
def test_the_anonymous_count_reads_the_public_index_only(client, activities, statistics, url):
    _known_postgresql_gap()
    count = next(sql for sql in page_queries(client, url) if sql.startswith("SELECT COUNT"))
    described = plan(count)
    if connection.vendor == "sqlite":
        assert "COVERING INDEX activity_public_newest_first" in described, described
    else:
        assert "activity_public_newest_first" in described, described


@pytest.mark.parametrize("url", ["/activities/", "/activities/?start_after="])
def test_the_signed_in_activity_list_reads_the_newest_first_index(client_for, activities, statistics, url):
    queries = page_queries(client_for("secretariat"), url)
    assert_read_in_order(list_query(queries, "activities_activity"), "activity_newest_first")


# SQLite reads participations in order only with statistics: without, it guesses a region's
# participations are few and sorts them. The daily statistics job keeps them (core.dbstats).
@pytest.mark.parametrize("role", ["secretariat", "rocb.ap"])
def test_the_participant_list_reads_activities_newest_first(client_for, activities, role):
    _known_postgresql_gap()
    with statistics_of_scale():
        queries = page_queries(client_for(role), "/activities/participations/")
        assert_read_in_order(list_query(queries, "activities_participation"), "activity_newest_first")


def test_the_people_list_reads_the_name_index(client_for, activities, statistics):
    PersonFactory.create_batch(3)
    queries = page_queries(client_for("secretariat"), "/people/")
    assert_read_in_order(list_query(queries, "people_person"), "person_by_name")


def test_participations_are_listed_newest_activity_first(client_for, activities):
    response = client_for("secretariat").get("/activities/participations/")
    dates = [participation.activity.start_date for participation in response.context["object_list"]]
    assert dates == sorted(dates, reverse=True) and len(dates) > 5


def test_a_long_list_counts_only_up_to_the_limit(client, activities, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "limit", 3)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/activities/?start_after=")
    assert response.context["paginator"].count == 4
    assert "More than 3 results" in response.content.decode()
    counts = [query["sql"] for query in captured.captured_queries if "COUNT(" in query["sql"].upper()]
    assert any("LIMIT 4" in sql for sql in counts), counts
    monkeypatch.setattr(CappedPaginator, "limit", 1000)
    response = client.get("/activities/?start_after=")
    assert f"{len(PUBLIC_STATUSES) * 2} results" in response.content.decode()
