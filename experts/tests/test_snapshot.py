"""The in-memory roster (experts.snapshot): read once per change, never stale after one."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from experts import snapshot
from experts.matching import shortlist
from experts.models import ExpertLanguage, Unavailability
from experts.tests.test_matching import START, expert, world  # noqa: F401 (fixture)


def _reads_languages(queries) -> bool:
    return any('FROM "experts_expertlanguage"' in query["sql"] for query in queries.captured_queries)


def test_the_roster_is_read_once_and_again_after_a_change(world, user_named):  # noqa: F811
    curator = user_named("secretariat")
    profile = expert(world)
    with CaptureQueriesContext(connection) as first:
        assert [c.profile for c in shortlist(curator, world["lead"]).candidates] == [profile]
    with CaptureQueriesContext(connection) as second:
        shortlist(curator, world["lead"])
    assert _reads_languages(first) and not _reads_languages(second)
    assert len(second) < len(first)

    Unavailability.objects.create(
        profile=profile, start_date=START, end_date=START, declared_by=world["curator"]
    )  # a save renews the stamp
    assert shortlist(curator, world["lead"]).candidates == []


def test_another_process_change_is_seen_through_the_stamp(world, user_named):  # noqa: F811
    curator = user_named("secretariat")
    profile = expert(world)
    assert shortlist(curator, world["lead"]).candidates
    # A change this process has not seen (written as a bulk loader or another process would, the
    # stamp left where this process read it): the roster in memory still holds the old facts...
    stamp = snapshot.current_generation()
    ExpertLanguage.objects.filter(profile=profile).delete()
    ExpertLanguage.objects.bulk_create([ExpertLanguage(profile=profile, language="fr", level="native")])
    snapshot.RosterGeneration.objects.update(generation=stamp)
    assert shortlist(curator, world["lead"]).candidates
    # ...until the stamp moves: then it is read again, and English is missing (a hard rule).
    snapshot.roster_changed()
    assert shortlist(curator, world["lead"]).candidates == []
