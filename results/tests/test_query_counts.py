"""The results pages run a number of queries that grows with the indicators (one grouped count per
computed indicator, whatever the years), never with the activities and participants counted."""

import datetime

import pytest
from django.urls import reverse

from activities.tests.factories import ActivityFactory, ParticipationFactory
from core.tests.test_query_counts import count_queries
from results import services

pytestmark = pytest.mark.django_db


def _more_activities(programme, n):
    project = programme.projects.get()
    for day in range(1, n + 1):
        activity = ActivityFactory(
            project=project,
            status="delivered",
            start_date=datetime.date(2026, 2, day),
            end_date=datetime.date(2026, 2, day),
        )
        ParticipationFactory(activity=activity, attendance="attended")


@pytest.mark.parametrize("username", ["rocb.ap", "donor", "secretariat"])
def test_the_programme_page_does_not_grow_with_the_rows_counted(framework, programme, client_for, username):
    client = client_for(username)
    url = reverse("results:programme_results", args=[programme.pk])
    before = count_queries(client, url)
    _more_activities(programme, 10)
    assert count_queries(client, url) == before


def test_the_indicator_page_and_the_objectives_do_not_grow(framework, programme, client_for, user_named):
    from results.models import StrategicObjective

    objective = StrategicObjective.objects.create(code="obj", title_en="Objective")
    objective.programmes.add(programme)
    client = client_for("rocb.ap")
    urls = [framework["women"].get_absolute_url(), objective.get_absolute_url(), "/api/results/indicators/"]
    for year in (2024, 2025, 2026):
        services.target_set(user=user_named("rocb.ap"), indicator=framework["women"], year=year, value=3)
    before = [count_queries(client, url) for url in urls]
    _more_activities(programme, 10)
    assert [count_queries(client, url) for url in urls] == before
