"""For each role: what it can see and change. Out-of-scope data is 404 or 403, and never shows up
in a list, a search or an export."""

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from network.models import Member

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "rocb.ap", "rtc.japan", "focal.kenya", "expert", "researcher", "donor", None]
CURATORS_OF_ASIA_PACIFIC = {"secretariat", "rocb.ap"}


def api_as(username):
    client = APIClient()
    if username:
        client.force_authenticate(User.objects.get(username=username))
    return client


@pytest.mark.parametrize("username", ROLES)
def test_everyone_sees_the_public_registry(client_for, username):
    japan = Member.objects.get(iso_alpha2="JP")
    assert client_for(username).get(japan.get_absolute_url()).status_code == 200
    assert api_as(username).get(f"/api/network/members/{japan.pk}/").status_code == 200


@pytest.mark.parametrize("username", ROLES)
def test_who_may_edit_an_asia_pacific_member_page(client_for, username):
    japan = Member.objects.get(iso_alpha2="JP")
    response = client_for(username).get(f"/network/members/{japan.pk}/edit/")
    if username is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif username in CURATORS_OF_ASIA_PACIFIC:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("username", ROLES)
def test_who_may_change_an_asia_pacific_member_through_the_api(username):
    japan = Member.objects.get(iso_alpha2="JP")
    response = api_as(username).patch(f"/api/network/members/{japan.pk}/", {"notes": "x"}, format="json")
    expected = 200 if username in CURATORS_OF_ASIA_PACIFIC else (401 if username is None else 403)
    assert response.status_code == expected
    japan.refresh_from_db()
    assert (japan.notes == "x") == (expected == 200)


def test_an_rocb_officer_cannot_change_another_region():
    kenya = Member.objects.get(iso_alpha2="KE")
    assert (
        api_as("rocb.ap")
        .patch(f"/api/network/members/{kenya.pk}/", {"notes": "x"}, format="json")
        .status_code
        == 403
    )
    assert (
        api_as("secretariat")
        .patch(f"/api/network/members/{kenya.pk}/", {"notes": "x"}, format="json")
        .status_code
        == 200
    )


def test_an_rocb_officer_cannot_move_a_record_out_of_the_region():
    japan = Member.objects.get(iso_alpha2="JP")
    response = api_as("rocb.ap").patch(f"/api/network/members/{japan.pk}/", {"region": "eur"}, format="json")
    assert response.status_code == 403
    japan.refresh_from_db()
    assert japan.region.code == "A/P"


@pytest.mark.parametrize(
    ("username", "region", "expected"),
    [
        ("rocb.ap", "ap", 201),
        ("rocb.ap", "eur", 403),
        ("secretariat", "eur", 201),
        ("focal.kenya", "esa", 403),
        (None, "ap", 401),
    ],
)
def test_who_may_add_a_member(username, region, expected):
    data = {"iso_alpha2": "ZZ", "iso_alpha3": "ZZZ", "name": "Testland", "region": region}
    response = api_as(username).post("/api/network/members/", data, format="json")
    assert response.status_code == expected
    assert Member.objects.filter(iso_alpha2="ZZ").exists() == (expected == 201)


def test_only_the_secretariat_curates_committees(client_for):
    response = api_as("rocb.ap").patch("/api/network/committees/1/", {"name": "x"}, format="json")
    assert response.status_code in {403, 404}


# --- the user directory is not public: each role sees its own scope -------------------------------

VISIBLE_USERS = {
    "secretariat": {"secretariat", "rocb.ap", "rtc.japan", "focal.kenya", "expert", "researcher", "donor"},
    "rocb.ap": {"rocb.ap", "rtc.japan"},  # everyone in Asia/Pacific
    "rtc.japan": {"rtc.japan"},
    "focal.kenya": {"focal.kenya"},
    "expert": {"expert"},
    "researcher": {"researcher"},
    "donor": {"donor"},
}


@pytest.mark.parametrize("username", VISIBLE_USERS)
def test_user_directory_list_api_and_export_stay_in_scope(client_for, username):
    expected = VISIBLE_USERS[username]
    client = client_for(username)
    listed = {user.username for user in client.get("/accounts/users/").context["object_list"]}
    assert listed == expected
    exported = b"".join(client.get("/accounts/users/?export=csv").streaming_content).decode()
    assert {line.split(",")[0] for line in exported.splitlines()[1:]} == expected
    api_listed = {user["username"] for user in api_as(username).get("/api/accounts/users/").json()["results"]}
    assert api_listed == expected


@pytest.mark.parametrize("username", VISIBLE_USERS)
def test_out_of_scope_users_are_404(client_for, username):
    for other in User.objects.exclude(username__in=VISIBLE_USERS[username]):
        assert client_for(username).get(other.get_absolute_url()).status_code == 404
        assert api_as(username).get(f"/api/accounts/users/{other.pk}/").status_code == 404


def found_titles(response) -> set[str]:
    return {str(hit) for group in response.context["groups"] for hit in group.hits}


def test_search_never_shows_out_of_scope_users(client_for):
    response = client_for("rocb.ap").get("/search/", {"q": "Wanjiru"})
    assert response.context["groups"] == []
    assert "Nothing found" in response.content.decode()
    assert "focal.kenya" in found_titles(client_for("secretariat").get("/search/", {"q": "Wanjiru"}))
    assert "rtc.japan" in found_titles(client_for("rocb.ap").get("/search/", {"q": "Kenji"}))


def test_anonymous_visitors_have_no_user_directory(client_for):
    assert client_for(None).get("/accounts/users/").status_code == 302
    assert api_as(None).get("/api/accounts/users/").json()["count"] == 0
