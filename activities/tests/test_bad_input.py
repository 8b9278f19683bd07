"""Bad input anywhere in activities gets a clear answer, never a 500, and changes nothing."""

import io

import pytest
from rest_framework.test import APIClient

from activities.models import Activity
from activities.tests.factories import ActivityFactory, ParticipationFactory

pytestmark = pytest.mark.django_db

GETS = [
    "/activities/?year=abc",
    "/activities/?start_after=yesterday",
    "/activities/?office=nowhere",
    "/activities/?topic=astrology",
    "/activities/?status=unknown",
    "/activities/?page=99999",
    "/activities/calendar/?month=2027-13",
    "/activities/calendar/?month=-1",
    "/activities/calendar/?region=zz",
    "/activities/dashboard/?scope=region:nowhere",
    "/activities/participations/999999/certificate.pdf",
    "/activities/requests/999999/",
    "/activities/imports/999999/",
    "/api/activities/activities/?year=x",
    "/api/activities/activities/?lead_office=zz",
    "/api/activities/participations/?region=zz",
]


@pytest.mark.parametrize("url", GETS)
def test_bad_query_strings_and_ids_are_answered(client_for, url):
    response = client_for("rocb.ap").get(url)
    assert response.status_code in {200, 400, 404}


def test_garbage_posts_are_refused_without_changes(client_for):
    client = client_for("rocb.ap")
    activity = ActivityFactory()
    participation = ParticipationFactory(activity=activity)
    answers = [
        client.post("/activities/add/", {"title": "", "start_date": "soon", "end_date": "2027-99-99"}),
        client.post(f"/activities/{activity.pk}/transition/", {"to_status": "exploded"}),
        client.post(f"/activities/participations/{participation.pk}/attendance/", {"attendance": "maybe"}),
        client.post(f"/activities/requests/{activity.pk}/dance/"),
        client.post("/people/merge/", {"keep": "x", "duplicate": "y"}),
        client.post(f"/activities/{activity.pk}/import/", {"kind": "nominations"}),
    ]
    assert all(answer.status_code < 500 for answer in answers)
    activity.refresh_from_db()
    participation.refresh_from_db()
    assert activity.status == "proposed" and participation.attendance == "registered"
    assert Activity.objects.filter(title="").count() == 0


def test_an_oversized_upload_is_refused(client_for):
    activity = ActivityFactory()
    upload = io.BytesIO(b"first_name,last_name,member\n" + b"A,B,JP\n" * 800_000)
    upload.name = "big.csv"
    response = client_for("rocb.ap").post(
        f"/activities/{activity.pk}/import/", {"file": upload, "kind": "nominations"}, follow=True
    )
    assert "larger than 5 MB" in response.content.decode()
    assert activity.nominations.count() == 0


def test_malformed_json_to_the_api_is_a_400(user_named):
    api = APIClient()
    api.force_authenticate(user_named("rocb.ap"))
    response = api.post("/api/activities/activities/", data="{not json", content_type="application/json")
    assert response.status_code == 400
