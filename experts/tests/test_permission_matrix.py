"""Who sees what of experts, for every role: pages, API, export and the private fields.

Experts see their own; focal points their administration's; ROCB officers their region's, and the
accredited experts of every pool without another region's contact details, CV or conflicts; the
Secretariat everything; donors, researchers and anonymous visitors nothing personal.
"""

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from activities.tests.factories import PersonFactory
from experts.models import AccreditationStatus, ConflictDeclaration
from experts.tests.factories import ExpertProfileFactory, PoolFactory, expert_user
from network.models import Member

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "rocb.ap", "rtc.japan", "focal.kenya", "expert", "researcher", "donor", None]


@pytest.fixture
def roster():
    """A Japanese expert (Asia/Pacific, the demo `expert` account's), an accredited Kenyan, and a
    Kenyan still in the process."""
    japan, kenya = Member.objects.get(iso_alpha2="JP"), Member.objects.get(iso_alpha2="KE")
    japanese = ExpertProfileFactory(
        person=PersonFactory(member=japan, email="jp.expert@example.org", last_name="Yamada"),
        phone="+81 3 1234",
    )
    expert_user(japanese, "expert")
    accredited = ExpertProfileFactory(
        person=PersonFactory(member=kenya, email="ke.accredited@example.org", last_name="Otieno"),
        phone="+254 700",
    )
    ConflictDeclaration.objects.create(
        profile=accredited, member=Member.objects.get(iso_alpha2="UG"), reason="Spouse"
    )
    pool = PoolFactory(code="matrix-diagnostic")
    accredited.accreditations.create(
        pool=pool,
        status=AccreditationStatus.ACCREDITED,
        nominated_by=User.objects.get(username="secretariat"),
    )
    candidate = ExpertProfileFactory(
        person=PersonFactory(member=kenya, email="ke.candidate@example.org", last_name="Wanjiru")
    )
    return {"japanese": japanese, "accredited": accredited, "candidate": candidate}


# who sees which profile: (japanese, accredited kenyan, kenyan candidate)
SEES = {
    "secretariat": (True, True, True),
    "rocb.ap": (True, True, False),  # their region's, and the accredited of every pool
    "rtc.japan": (False, False, False),
    "focal.kenya": (False, True, True),
    "expert": (True, False, False),
    "researcher": (False, False, False),
    "donor": (False, False, False),
    None: (False, False, False),
}
# who sees the private fields (contact details, conflicts)
PRIVATE = {
    "secretariat": (True, True, True),
    "rocb.ap": (True, False, False),
    "focal.kenya": (False, True, True),
    "expert": (True, False, False),
}


def client_as(username):
    client = APIClient()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.parametrize("username", ROLES)
def test_profile_pages_and_api(roster, username):
    client = client_as(username)
    for profile, visible in zip(
        (roster["japanese"], roster["accredited"], roster["candidate"]), SEES[username], strict=True
    ):
        page = client.get(profile.get_absolute_url())
        api = client.get(f"/api/experts/profiles/{profile.pk}/")
        if username is None:
            assert page.status_code == 302 and api.status_code in (401, 403, 404)
            continue
        assert page.status_code == (200 if visible else 404)
        assert api.status_code == (200 if visible else 404)


@pytest.mark.parametrize("username", ROLES)
def test_lists_and_exports_hold_only_the_visible(roster, username):
    client = client_as(username)
    names = {"Yamada": 0, "Otieno": 1, "Wanjiru": 2}
    listing = client.get("/experts/")
    export = client.get("/experts/?export=csv")
    api = client.get("/api/experts/profiles/")
    if username is None:
        assert listing.status_code == 302
        assert api.status_code == 200 and api.json()["count"] == 0
        return
    for response in (listing, export, api):
        text = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
        for name, index in names.items():
            assert (name in text) == SEES[username][index], (name, response.request["PATH_INFO"])


@pytest.mark.parametrize("username", sorted(PRIVATE))
def test_private_fields_only_for_who_may_see_them(roster, username):
    client = client_as(username)
    for profile, (visible, private) in zip(
        (roster["japanese"], roster["accredited"], roster["candidate"]),
        zip(SEES[username], PRIVATE[username], strict=True),
        strict=True,
    ):
        if not visible:
            continue
        page = client.get(profile.get_absolute_url()).content.decode()
        api = client.get(f"/api/experts/profiles/{profile.pk}/").json()
        assert (profile.person.email in page) == private
        assert (api["email"] == profile.person.email) == private
        if profile == roster["accredited"]:
            assert ("Spouse" in page) == private


def test_an_expert_edits_their_own_profile_and_nobody_elses(roster):
    client = client_as("expert")
    mine, other = roster["japanese"], roster["accredited"]
    assert client.get(f"/experts/{mine.pk}/edit/").status_code == 200
    response = client.post(
        f"/experts/{mine.pk}/edit/",
        {"current_post": "Director of valuation", "years_experience": 15, "expertise": "Valuation"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.current_post == "Director of valuation"
    assert client.get(f"/experts/{other.pk}/edit/").status_code == 404
    assert (
        client.patch(f"/api/experts/profiles/{other.pk}/", {"current_post": "x"}, format="json").status_code
        == 404
    )


def test_only_curators_import_rosters(roster):
    assert client_as("rocb.ap").get("/experts/import/").status_code == 200
    assert client_as("focal.kenya").get("/experts/import/").status_code == 200
    for username in ("expert", "researcher", "donor", "rtc.japan"):
        assert client_as(username).get("/experts/import/").status_code == 403
