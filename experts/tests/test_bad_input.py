"""Hostile input to every experts form, query string and API endpoint: ids that are not ids or are
too big for any column, dates out of range or backwards, unknown choices, overlong text, steps and
parts that do not exist, rows of another scope. Never a 500; a clear message; nothing stored."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import User
from activities.models import ImportBatch
from activities.tests.factories import PersonFactory
from experts.models import (
    AccreditationStatus,
    ConflictDeclaration,
    Deployment,
    DeploymentEvent,
    Evaluation,
    ExpertLanguage,
    ExpertProfile,
    ShortlistPick,
    Slot,
    SlotRole,
    Unavailability,
)
from experts.tests.factories import (
    ExpertProfileFactory,
    MissionFactory,
    PoolFactory,
    SlotFactory,
    expert_user,
)
from jobs.models import Job
from network.models import Member

pytestmark = pytest.mark.django_db

HUGE = "100000000000000000000"
BAD_IDS = ["abc", "-1", "0", HUGE, "1.5", "null,null", "x" * 300]
BAD_DATES = ["99999-01-01", "0000-00-00", "2026-02-30", "2026-13-01", "tomorrow", "x" * 300, ""]
LONG = "x" * 5000


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def api(username):
    client = APIClient()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def world(user_named):
    japan = Member.objects.get(iso_alpha2="JP")
    pool = PoolFactory(code="bad-diagnostic")
    profile = ExpertProfileFactory(person=PersonFactory(member=japan, last_name="Yamada"))
    ExpertLanguage.objects.create(profile=profile, language="en", level="fluent")
    profile.accreditations.create(
        pool=pool, status=AccreditationStatus.ACCREDITED, nominated_by=user_named("secretariat")
    )
    expert = expert_user(profile, "expert.yamada")
    # A Kenyan still in the process: out of rocb.ap's scope.
    hidden = ExpertProfileFactory(person=PersonFactory(member=Member.objects.get(iso_alpha2="KE")))
    slot = SlotFactory(activity=MissionFactory(languages="en"), role=SlotRole.LEAD, pool=pool, language="en")
    return {"pool": pool, "profile": profile, "expert": expert, "hidden": hidden, "slot": slot}


def counts():
    return (
        Deployment.objects.count(),
        DeploymentEvent.objects.count(),
        ShortlistPick.objects.count(),
        Slot.objects.count(),
        Unavailability.objects.count(),
        ConflictDeclaration.objects.count(),
        ExpertLanguage.objects.count(),
        Evaluation.objects.count(),
        ExpertProfile.objects.count(),
        Job.objects.count(),
    )


def main(response) -> str:
    """The page's main content, without what changes from one request to the next (nonces, tokens)."""
    import re

    text = response.content.decode()
    found = re.search(r"<main.*?</main>", text, re.S)
    return re.sub(r'(nonce|value)="[^"]*"', "", found.group(0) if found else text)


def no_server_error(response):
    assert response.status_code < 500, (response.status_code, response.content[:300])
    return response


# --- proposing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", BAD_IDS)
def test_propose_with_a_bad_profile_id(client_for, world, value):
    before = counts()
    response = no_server_error(
        client_for("rocb.ap").post(f"/experts/slots/{world['slot'].pk}/propose/", {"profile": value})
    )
    assert response.status_code == 404
    assert counts() == before


def test_propose_with_another_scopes_profile_answers_like_a_missing_one(client_for, world):
    url = f"/experts/slots/{world['slot'].pk}/propose/"
    before = counts()
    missing = client_for("rocb.ap").post(url, {"profile": 987654, "override_reason": "x"})
    hidden = client_for("rocb.ap").post(url, {"profile": world["hidden"].pk, "override_reason": "x"})
    assert missing.status_code == hidden.status_code == 404
    assert main(missing) == main(hidden)
    assert world["hidden"].person.last_name.encode() not in hidden.content
    assert counts() == before


@pytest.mark.parametrize(
    "extra",
    [
        {"rank": HUGE, "shortlist_size": HUGE},
        {"rank": "-5", "shortlist_size": "abc"},
        {"override_reason": LONG},
    ],
)
def test_propose_with_bad_extras_stores_sane_values_or_nothing(client_for, world, extra):
    response = no_server_error(
        client_for("rocb.ap").post(
            f"/experts/slots/{world['slot'].pk}/propose/", {"profile": world["profile"].pk, **extra}
        )
    )
    assert response.status_code == 302
    for pick in ShortlistPick.objects.all():
        assert pick.rank is None or 0 < pick.rank < 2**31
        assert 0 <= pick.shortlist_size < 2**31


@pytest.mark.parametrize("slot", BAD_IDS[1:4])
def test_propose_to_a_bad_slot(client_for, world, slot):
    response = no_server_error(
        client_for("rocb.ap").post(f"/experts/slots/{slot}/propose/", {"profile": world["profile"].pk})
    )
    assert response.status_code == 404
    assert not Deployment.objects.exists()


# --- deployment steps ---------------------------------------------------------------------------


@pytest.fixture
def deployment(world, user_named):
    from experts import services

    return services.deployment_propose(
        user=user_named("rocb.ap"), slot=world["slot"], profile=world["profile"]
    )


@pytest.mark.parametrize("step", ["explode", "delete", "evaluated", "Invite", "x" * 200])
def test_a_step_that_does_not_exist(client_for, deployment, step):
    before = counts()
    response = no_server_error(client_for("rocb.ap").post(f"/experts/deployments/{deployment.pk}/{step}/"))
    assert response.status_code == 404
    deployment.refresh_from_db()
    assert deployment.status == "proposed" and counts() == before


@pytest.mark.parametrize("pk", ["0", HUGE, "99999"])
def test_a_step_on_a_deployment_that_does_not_exist(client_for, deployment, pk):
    response = no_server_error(client_for("rocb.ap").post(f"/experts/deployments/{pk}/invite/"))
    assert response.status_code == 404


def test_a_step_with_an_overlong_comment(client_for, deployment, world):
    from experts import services

    services.deployment_invite(user=User.objects.get(username="rocb.ap"), deployment=deployment)
    client = client_for(None)
    client.force_login(world["expert"])
    no_server_error(client.post(f"/experts/deployments/{deployment.pk}/decline/", {"comment": LONG}))
    deployment.refresh_from_db()
    # Either kept whole or refused with a message; never cut silently, never a 500.
    if deployment.status == "declined":
        assert deployment.events.get(status="declined").comment == LONG


def test_a_step_answered_with_get_is_not_allowed(client_for, deployment):
    response = no_server_error(client_for("rocb.ap").get(f"/experts/deployments/{deployment.pk}/invite/"))
    assert response.status_code == 405
    deployment.refresh_from_db()
    assert deployment.status == "proposed"


# --- ratings, disagreement ----------------------------------------------------------------------


@pytest.fixture
def delivered(deployment, world, user_named):
    from experts import services

    rocb = user_named("rocb.ap")
    services.deployment_invite(user=rocb, deployment=deployment)
    services.deployment_respond(user=world["expert"], deployment=deployment, accept=True)
    services.deployment_release(user=user_named("secretariat"), deployment=deployment, agree=True)
    services.deployment_confirm(user=rocb, deployment=deployment)
    services.deployment_deliver(user=rocb, deployment=deployment)
    return deployment


GOOD_RATING = {
    "kind": "organiser",
    "technical": "5",
    "communication": "4",
    "preparation": "4",
    "fit": "5",
    "recommendation": "same",
}


@pytest.mark.parametrize(
    "bad",
    [
        {"technical": "9"},
        {"technical": "0"},
        {"technical": HUGE},
        {"fit": "abc"},
        {"kind": "god"},
        {"kind": "supervisor"},  # not a trainee's mission
        {"recommendation": "promote"},
        {"recommendation": ""},
        {"communication": ""},
    ],
)
def test_a_bad_rating_is_refused_with_a_message(client_for, delivered, bad):
    response = no_server_error(
        client_for("rocb.ap").post(f"/experts/deployments/{delivered.pk}/rate/", {**GOOD_RATING, **bad})
    )
    assert response.status_code == 302 and texts(response)
    assert not Evaluation.objects.exists()


def test_a_rating_before_delivery_is_refused(client_for, deployment):
    response = no_server_error(
        client_for("rocb.ap").post(f"/experts/deployments/{deployment.pk}/rate/", GOOD_RATING)
    )
    assert any("not possible now" in text for text in texts(response))
    assert not Evaluation.objects.exists()


def test_an_overlong_rating_comment(client_for, delivered):
    no_server_error(
        client_for("rocb.ap").post(
            f"/experts/deployments/{delivered.pk}/rate/", {**GOOD_RATING, "comments": LONG * 20}
        )
    )


@pytest.mark.parametrize("pk", ["0", HUGE, "424242"])
def test_disagreeing_with_an_evaluation_that_does_not_exist(client_for, world, pk):
    client = client_for(None)
    client.force_login(world["expert"])
    assert (
        no_server_error(client.post(f"/experts/evaluations/{pk}/disagree/", {"comment": "No"})).status_code
        == 404
    )


# --- profile parts ------------------------------------------------------------------------------


def post_part(client_for, world, part, data=None, user="expert"):
    client = client_for(None)
    client.force_login(world["expert"] if user == "expert" else User.objects.get(username=user))
    return no_server_error(client.post(f"/experts/{world['profile'].pk}/{part}/", data or {}))


@pytest.mark.parametrize("part", ["explode", "history", "x" * 200, "Confirm"])
def test_a_part_that_does_not_exist(client_for, world, part):
    before = counts()
    assert post_part(client_for, world, part, {"language": "fr", "level": "native"}).status_code == 404
    assert counts() == before


@pytest.mark.parametrize(
    "data",
    [
        {"language": "xx", "level": "fluent"},
        {"language": "fr", "level": "superb"},
        {"language": "", "level": ""},
        {"language": LONG, "level": LONG},
        {},
    ],
)
def test_bad_languages(client_for, world, data):
    before = counts()
    response = post_part(client_for, world, "language", data)
    assert response.status_code == 302 and texts(response) and "Saved." not in texts(response)
    assert counts() == before


START = datetime.date.today() + datetime.timedelta(days=30)


@pytest.mark.parametrize(
    "data",
    [
        *({"start_date": bad, "end_date": START} for bad in BAD_DATES),
        *({"start_date": START, "end_date": bad} for bad in BAD_DATES),
        {"start_date": START, "end_date": START - datetime.timedelta(days=1)},
        {"start_date": START, "end_date": START, "reason": LONG},
        {"start_date": "0001-01-01", "end_date": "9999-12-31"},
    ],
)
def test_bad_unavailable_periods(client_for, world, data):
    response = post_part(client_for, world, "unavailability", data)
    assert response.status_code == 302
    if data.get("start_date") == "0001-01-01":
        return  # a wide but valid period may be kept
    assert texts(response) and "Saved." not in texts(response)
    assert not Unavailability.objects.exists()


@pytest.mark.parametrize(
    "data",
    [*({"member": bad} for bad in BAD_IDS), {"member": ""}, {"member": "JP", "reason": LONG}],
)
def test_bad_conflicts(client_for, world, data):
    response = post_part(client_for, world, "conflict", data)
    assert response.status_code == 302 and texts(response) and "Saved." not in texts(response)
    assert not ConflictDeclaration.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cv.pdf", b"%PDF-1.4 broken"),
        ("cv.docx", b"PK\x03\x04 not a zip"),
        ("cv.exe", b"MZ\x90\x00"),
        ("cv.pdf", b""),
        ("x" * 300 + ".pdf", b"%PDF-1.4 broken"),
    ],
)
def test_bad_cvs(client_for, world, settings, tmp_path, name, content):
    settings.MEDIA_ROOT = tmp_path
    data = {"cv": SimpleUploadedFile(name, content)} if content else {"cv": ""}
    response = post_part(client_for, world, "cv", data)
    assert response.status_code == 302 and texts(response) and "Saved." not in texts(response)
    world["profile"].refresh_from_db()
    assert not world["profile"].cv and not world["profile"].cv_text
    assert not list(tmp_path.rglob("*.*"))


@pytest.mark.parametrize("pk", ["0", HUGE, "424242"])
def test_a_part_of_a_profile_that_does_not_exist(client_for, pk):
    response = no_server_error(client_for("secretariat").post(f"/experts/{pk}/confirm/"))
    assert response.status_code == 404


def test_the_edit_form_refuses_bad_values(client_for, world):
    client = client_for(None)
    client.force_login(world["expert"])
    url = f"/experts/{world['profile'].pk}/edit/"
    for data in (
        {"years_experience": "-3"},
        {"years_experience": HUGE},
        {"years_experience": "abc"},
        {"current_post": LONG},
        {"topics": ["no-such-topic"]},
        {"max_deployments_per_year": HUGE},
        {"max_deployments_per_year": "-1"},
    ):
        response = no_server_error(client.post(url, {"current_post": "Officer", **data}))
        assert response.status_code in (200, 400), data
    world["profile"].refresh_from_db()
    assert world["profile"].current_post == "Head of risk management"


# --- the slot form ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"role": "dictator"},
        {"role": ""},
        {"role": "lead", "pool": "abc"},
        {"role": "lead", "pool": HUGE},
        {"role": "lead", "language": "xx"},
        {"role": "lead", "terms_of_reference": LONG * 40},
    ],
)
def test_bad_slots(client_for, world, data):
    activity = world["slot"].activity
    before = Slot.objects.count()
    response = no_server_error(client_for("rocb.ap").post(f"/experts/activities/{activity.pk}/slots/", data))
    if Slot.objects.count() == before:
        assert response.status_code == 302 and texts(response)
    else:  # only a long but acceptable text
        assert "terms_of_reference" in data


@pytest.mark.parametrize("pk", ["0", HUGE])
def test_a_slot_on_an_activity_that_does_not_exist(client_for, pk):
    response = no_server_error(
        client_for("rocb.ap").post(f"/experts/activities/{pk}/slots/", {"role": "lead"})
    )
    assert response.status_code == 404
    assert not Slot.objects.exists()


# --- roster import, plan ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"file": SimpleUploadedFile("roster.csv", b"")},
        {"file": SimpleUploadedFile("roster.csv", b"\xff\xfe\x00garbage")},
        {"file": SimpleUploadedFile("roster.xlsx", b"PK\x03\x04 not a workbook")},
        {"file": SimpleUploadedFile("roster.exe", b"MZ")},
        {"file": SimpleUploadedFile("roster.csv", b"first_name,first_name\nA,B\n")},
    ],
)
def test_bad_roster_files(client_for, data):
    before = ExpertProfile.objects.count()
    response = no_server_error(client_for("rocb.ap").post("/experts/import/", data))
    assert response.status_code in (302, 400)
    if response.status_code == 302:  # a preview that lists the errors, never a saved row
        batch = ImportBatch.objects.get()
        assert batch.errors
    assert ExpertProfile.objects.count() == before


@pytest.mark.parametrize("year", ["abc", "99999", "-1", HUGE, "", "1999", "2026.5"])
def test_bad_plan_years(client_for, year):
    response = no_server_error(client_for("rocb.ap").post("/experts/plan/", {"year": year}))
    assert response.status_code == 400 and b"errorlist" in response.content
    assert not Job.objects.exists()


@pytest.mark.parametrize("pk", ["0", HUGE, "424242"])
def test_a_plan_that_does_not_exist(client_for, pk):
    assert no_server_error(client_for("rocb.ap").get(f"/experts/plan/{pk}/")).status_code == 404
    assert no_server_error(client_for("rocb.ap").post(f"/experts/plan/{pk}/")).status_code == 404


def test_confirming_a_plan_with_hostile_picks(client_for, world, user_named):
    job = Job.objects.create(
        kind="experts.plan_year",
        payload={"year": 2026},
        created_by=user_named("rocb.ap"),
        status="succeeded",
        result={
            "assignments": {str(world["slot"].pk): [world["profile"].pk, None, None], "abc": [1], HUGE: [2]},
            "details": {},
        },
    )
    response = no_server_error(
        client_for("rocb.ap").post(
            f"/experts/plan/{job.pk}/", {f"slot-{world['slot'].pk}": world["hidden"].pk}
        )
    )
    assert response.status_code in (302, 400)
    assert not Deployment.objects.exists()  # another scope's expert is not proposed
    # Nor an expert the plan did not pick for that slot, even one in scope.
    other = ExpertProfileFactory(person=PersonFactory(member=Member.objects.get(iso_alpha2="JP")))
    no_server_error(
        client_for("rocb.ap").post(f"/experts/plan/{job.pk}/", {f"slot-{world['slot'].pk}": other.pk})
    )
    assert not Deployment.objects.exists()
    for value in BAD_IDS:
        no_server_error(
            client_for("rocb.ap").post(f"/experts/plan/{job.pk}/", {f"slot-{world['slot'].pk}": value})
        )
    assert not Deployment.objects.exists()


def test_a_job_of_another_kind_is_no_plan(client_for, user_named):
    job = Job.objects.create(
        kind="knowledge.ingest", payload={}, created_by=user_named("rocb.ap"), result={"assignments": {}}
    )
    assert no_server_error(client_for("rocb.ap").get(f"/experts/plan/{job.pk}/")).status_code == 404


def test_someone_elses_plan_is_not_readable(client_for, user_named):
    job = Job.objects.create(
        kind="experts.plan_year", payload={"year": 2026}, created_by=user_named("secretariat"), result={}
    )
    assert no_server_error(client_for("rtc.japan").get(f"/experts/plan/{job.pk}/")).status_code in (403, 404)


# --- query strings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        *(f"available_from={bad}" for bad in BAD_DATES if bad),
        "available_from=2026-05-10&available_to=2026-05-01",
        "available_to=9999-12-31",
        "language=xx",
        "pool=no-such-pool",
        "topic=no-such-topic",
        "region=nowhere",
        "accredited=perhaps",
        f"page={HUGE}",
        f"q={LONG}",
        "kind=nonsense",
    ],
)
@pytest.mark.parametrize(
    "path", ["/experts/", "/experts/pools/", "/api/experts/profiles/", "/api/experts/pools/"]
)
def test_bad_filters(client_for, world, query, path):
    response = no_server_error(client_for("secretariat").get(f"{path}?{query}"))
    if path.startswith("/api/") and response.status_code == 400:
        assert response.json()
    if "available_from=2026-05-10&available_to" in query and response.status_code == 200:
        if path == "/api/experts/profiles/":
            assert response.json()["count"] == 0


def test_an_end_before_start_in_the_roster_filter_is_explained(client_for, world):
    response = client_for("secretariat").get("/experts/?available_from=2026-05-10&available_to=2026-05-01")
    assert response.status_code == 400
    assert b"before" in response.content


@pytest.mark.parametrize(
    "query",
    ["status=nonsense", "profile=abc", f"profile={HUGE}", "activity=abc", "role=nonsense", f"slot={HUGE}"],
)
@pytest.mark.parametrize(
    "path",
    [
        "/api/experts/deployments/",
        "/api/experts/accreditations/",
        "/api/experts/availability/",
        "/api/experts/slots/",
    ],
)
def test_bad_api_filters(client_for, world, query, path):
    response = no_server_error(api("secretariat").get(f"{path}?{query}"))
    assert response.status_code in (200, 400)
    assert response.json() is not None


# --- the API ------------------------------------------------------------------------------------


@pytest.mark.parametrize("pk", ["abc", "0", HUGE, "424242"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/experts/profiles/{}/",
        "/api/experts/pools/{}/",
        "/api/experts/deployments/{}/",
        "/api/experts/slots/{}/",
        "/api/experts/slots/{}/shortlist/",
        "/api/experts/accreditations/{}/",
        "/api/experts/availability/{}/",
    ],
)
def test_api_ids_that_name_nothing(world, pk, path):
    response = no_server_error(api("secretariat").get(path.format(pk)))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_the_shortlist_of_a_slot_out_of_scope_answers_like_a_missing_one(world, user_named):
    slot = SlotFactory(activity=MissionFactory(lead_office=user_named("rtc.japan").office))
    response = no_server_error(api("focal.kenya").get(f"/api/experts/slots/{slot.pk}/shortlist/"))
    assert response.status_code in (403, 404)


@pytest.mark.parametrize(
    "data",
    [
        {"start_date": "2026-05-10", "end_date": "2026-05-01"},
        {"start_date": "99999-01-01", "end_date": "2026-05-01"},
        {"start_date": "2026-02-30", "end_date": "2026-03-01"},
        {"start_date": "", "end_date": ""},
        {"start_date": "2026-05-01", "end_date": "2026-05-02", "reason": LONG},
        {"start_date": "2026-05-01", "end_date": "2026-05-02", "profile": "abc"},
        {"start_date": "2026-05-01", "end_date": "2026-05-02", "profile": HUGE},
        {"start_date": "2026-05-01", "end_date": "2026-05-02", "profile": None},
    ],
)
def test_api_bad_unavailability(world, data):
    body = {"profile": world["profile"].pk, **data}
    response = no_server_error(api("secretariat").post("/api/experts/availability/", body, format="json"))
    assert response.status_code == 400 and response.json()
    assert not Unavailability.objects.exists()


def test_api_unavailability_for_another_scopes_profile(world):
    client = APIClient()
    client.force_login(world["expert"])
    missing = client.post(
        "/api/experts/availability/",
        {"profile": 987654, "start_date": "2026-05-01", "end_date": "2026-05-02"},
        format="json",
    )
    hidden = client.post(
        "/api/experts/availability/",
        {"profile": world["hidden"].pk, "start_date": "2026-05-01", "end_date": "2026-05-02"},
        format="json",
    )
    assert missing.status_code == hidden.status_code == 400
    assert str(missing.json()).replace("987654", "") == str(hidden.json()).replace(
        str(world["hidden"].pk), ""
    )
    assert not Unavailability.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"years_experience": -3},
        {"years_experience": HUGE},
        {"years_experience": "abc"},
        {"current_post": LONG},
        {"confirmed_at": "2020-01-01T00:00:00Z"},
        {"home_member": "KE"},
        {"name": "Someone else"},
    ],
)
def test_api_bad_profile_updates(world, data):
    client = APIClient()
    client.force_login(world["expert"])
    before = ExpertProfile.objects.filter(pk=world["profile"].pk).values().get()
    response = no_server_error(
        client.patch(f"/api/experts/profiles/{world['profile'].pk}/", data, format="json")
    )
    assert response.status_code in (200, 400)
    after = ExpertProfile.objects.filter(pk=world["profile"].pk).values().get()
    before.pop("updated_at"), after.pop("updated_at")
    assert after == before


def test_api_writes_to_read_only_endpoints(world):
    client = api("secretariat")
    for path in (
        "/api/experts/deployments/",
        "/api/experts/slots/",
        "/api/experts/pools/",
        "/api/experts/profiles/",
    ):
        response = no_server_error(client.post(path, {"profile": world["profile"].pk}, format="json"))
        assert response.status_code in (403, 405)
    assert no_server_error(client.delete(f"/api/experts/profiles/{world['profile'].pk}/")).status_code == 405
    assert ExpertProfile.objects.filter(pk=world["profile"].pk).exists()


def test_api_malformed_json(world):
    response = no_server_error(
        api("secretariat").generic(
            "POST",
            "/api/experts/availability/",
            b'{"profile": 1, "start_date": ',
            content_type="application/json",
        )
    )
    assert response.status_code == 400
