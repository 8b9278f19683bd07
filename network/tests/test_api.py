"""The registry API: public reads, filters, clear 400/404s, token auth, scoped writes."""

import pytest
from rest_framework.test import APIClient

from network.models import Member, Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_anonymous_reads_of_the_registry(api):
    regions = api.get("/api/network/regions/").json()
    assert regions["count"] == 6
    offices = api.get("/api/network/offices/").json()
    assert offices["count"] == 37


@pytest.mark.parametrize(("kind", "count"), [("rocb", 6), ("rtc", 30), ("secretariat", 1)])
def test_offices_filter_by_kind(api, kind, count):
    body = api.get("/api/network/offices/", {"kind": kind}).json()
    assert body["count"] == count
    assert {office["kind"] for office in body["results"]} == {kind}


@pytest.mark.parametrize("region", ["ap", "A/P", "AP"])
def test_members_filter_by_region_slug_or_code(api, region):
    body = api.get("/api/network/members/", {"region": region}).json()
    assert body["count"] == Member.objects.filter(region__code="A/P").count()
    assert {member["region"] for member in body["results"]} == {"ap"}


def test_office_detail_includes_its_locations(api):
    office = Office.objects.get(code="rocb-ams")
    body = api.get(f"/api/network/offices/{office.pk}/").json()
    assert {location["city"] for location in body["locations"]} == {"Buenos Aires", "Montevideo"}
    assert body["host_member"] == "UY"


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/api/network/members/?region=atlantis", 400, "Unknown region atlantis"),
        ("/api/network/offices/?kind=embassy", 400, "not one of the available choices"),
        ("/api/network/members/?joined_after=soon", 400, "Enter a whole number"),
        ("/api/network/members/999999/", 404, "No member administration found"),
        ("/api/network/members/abc/", 404, ""),
        ("/api/network/members/?page=999", 404, "Invalid page"),
    ],
)
def test_bad_filters_and_ids_get_clear_errors(api, url, status, message):
    response = api.get(url)
    assert response.status_code == status
    assert message in response.content.decode()


def test_token_authentication_for_scripts(api):
    response = api.post("/api/auth/token/", {"username": "rocb.ap", "password": "cbhub-demo-2026"})
    assert response.status_code == 200
    token = response.json()["token"]
    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    japan = Member.objects.get(iso_alpha2="JP")
    response = script.patch(f"/api/network/members/{japan.pk}/", {"notes": "via script"}, format="json")
    assert response.status_code == 200
    japan.refresh_from_db()
    assert japan.notes == "via script"


def test_wrong_token_password_is_400(api):
    response = api.post("/api/auth/token/", {"username": "rocb.ap", "password": "nope"})
    assert response.status_code in {400, 429}


def test_invalid_write_is_400_and_saves_nothing(api, user_named):
    api.force_authenticate(user_named("secretariat"))
    japan = Member.objects.get(iso_alpha2="JP")
    response = api.patch(f"/api/network/members/{japan.pk}/", {"iso_alpha2": "TOOLONG"}, format="json")
    assert response.status_code == 400
    assert "iso_alpha2" in response.json()
    response = api.patch(f"/api/network/members/{japan.pk}/", {"region": "atlantis"}, format="json")
    assert response.status_code == 400
    japan.refresh_from_db()
    assert japan.iso_alpha2 == "JP" and japan.region.code == "A/P"


def test_deleting_a_member_in_use_is_refused_with_a_reason(api, user_named):
    api.force_authenticate(user_named("secretariat"))
    thailand = Member.objects.get(iso_alpha2="TH")  # hosts the ROCB Asia/Pacific
    response = api.delete(f"/api/network/members/{thailand.pk}/")
    assert response.status_code == 400
    assert "still used by" in response.content.decode()
    assert Member.objects.filter(pk=thailand.pk).exists()


def test_schema_and_offline_docs(api):
    schema = api.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/network/offices/" in schema.content
    docs = api.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs
