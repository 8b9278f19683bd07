"""The demo generator's volume and consistency, and the activities API with scoped writes."""

import datetime

import pytest
from rest_framework.test import APIClient

from activities.demo import Volume, demo_data_create
from activities.models import Activity, Participation, Status
from activities.tests.factories import ActivityFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def test_demo_data_builds_the_requested_volume_consistently():
    counts = demo_data_create(Volume(activities=120, participations=1500, years=4), progress=lambda _: None)
    assert counts["activities"] == 120 and counts["participations"] == 1500
    assert not Activity.objects.filter(end_date__lt=datetime.date(1900, 1, 1)).exists()
    for activity in Activity.objects.exclude(end_date=None)[:200]:
        assert activity.end_date >= activity.start_date
        assert (activity.budget_amount is None) == (activity.budget_currency == "")
    assert (
        not Participation.objects.filter(activity__status=Status.PROPOSED)
        .exclude(attendance="registered")
        .exists()
    )
    assert Activity.objects.values("region").distinct().count() >= 5


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_creates_activities_inside_the_scope_only(user_named):
    data = {
        "title": "National workshop on origin",
        "kind": "national_workshop",
        "lead_office": "rocb-ap",
        "host_member": "VN",
        "topics": ["origin"],
        "start_date": "2027-06-01",
        "end_date": "2027-06-03",
    }
    response = api_as(user_named("rocb.ap")).post("/api/activities/activities/", data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["region"] == "ap" and response.json()["status"] == "proposed"
    outside = api_as(user_named("rocb.ap")).post(
        "/api/activities/activities/", {**data, "lead_office": "rocb-esa"}, format="json"
    )
    assert outside.status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_date": "2027-05-01"}, "end_date"),
        ({"budget_amount": "1000.00", "budget_currency": ""}, "budget_currency"),
        ({"topics": ["astrology"]}, "topics"),
        ({"host_member": "XX"}, "host_member"),
    ],
)
def test_api_bad_input_is_a_400_naming_the_field(user_named, change, field):
    data = {
        "title": "Workshop",
        "kind": "national_workshop",
        "lead_office": "rocb-ap",
        "start_date": "2027-06-01",
        "end_date": "2027-06-03",
        **change,
    }
    response = api_as(user_named("rocb.ap")).post("/api/activities/activities/", data, format="json")
    assert response.status_code == 400 and field in response.json()


def test_api_participations_stay_in_scope(user_named):
    mine = ParticipationFactory()
    response = api_as(user_named("focal.kenya")).get("/api/activities/participations/")
    assert mine.pk not in {row["id"] for row in response.json()["results"]}
    response = api_as(user_named("rocb.ap")).get(f"/api/activities/participations/{mine.pk}/")
    assert response.status_code == 200
    assert (
        api_as(user_named("focal.kenya")).get(f"/api/activities/participations/{mine.pk}/").status_code == 404
    )


def test_anonymous_sees_only_announced_activities():
    proposed, scheduled = ActivityFactory(), ActivityFactory(status=Status.SCHEDULED)
    listed = {row["id"] for row in APIClient().get("/api/activities/activities/").json()["results"]}
    assert scheduled.pk in listed and proposed.pk not in listed
