"""The xAPI statements endpoint: completed and passed statements recorded as completions of the
learner the platform names, other verbs stored as ignored, duplicates and conflicts by statement id,
refusals with their reasons, an atomic batch, the platform's token, hostile bodies; and the job that
ingests a file of statements."""

import datetime
import json
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from activities.tests.factories import PersonFactory
from jobs.models import JobStatus
from jobs.services import job_run
from network.models import Member, Office
from training import xapi
from training.elearning import platform_create, platform_new_token, token_hash
from training.models import (
    Completion,
    CompletionSource,
    LearningPlatform,
    Product,
    ProductStatus,
    XapiStatement,
)
from training.xapi import VERB_COMPLETED, VERB_PASSED, xapi_file_enqueue

pytestmark = pytest.mark.django_db

URL = "/api/training/xapi/statements"
EXPERIENCED = "http://adlnet.gov/expapi/verbs/experienced"


@pytest.fixture(autouse=True)
def statements_url(settings):
    """The endpoint at its address, whether or not cbhub/urls.py lists it yet."""
    import sys
    import types

    from django.urls import clear_url_caches, include, path

    module = types.ModuleType("xapi_test_urls")
    module.urlpatterns = [
        path(URL.lstrip("/"), xapi.StatementsView.as_view()),
        path("", include("cbhub.urls")),
    ]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()
    yield
    clear_url_caches()
    del sys.modules[module.__name__]


def make_product(office_code="rtc-japan", **fields) -> Product:
    values = {
        "owner_office": Office.objects.get(code=office_code),
        "title": "Introduction to the Revised Kyoto Convention",
        "kind": "elearning",
        "level": "foundation",
        "duration_hours": 4,
        "delivery_modes": "virtual",
        "languages": "en",
        "status": ProductStatus.OFFERED,
        **fields,
    }
    return Product.objects.create(**values)


@pytest.fixture
def module(db) -> Product:
    return make_product()


@pytest.fixture
def learner(db):
    return PersonFactory(email="aiko.tanaka@customs.go.jp", member=Member.objects.get(iso_alpha2="JP"))


@pytest.fixture
def platform(user_named):
    """RTC Japan's platform and its token."""
    return platform_create(
        user=user_named("secretariat"), name="RTC Japan LMS", office=Office.objects.get(code="rtc-japan")
    )


def statement(product, *, verb=VERB_COMPLETED, email="aiko.tanaka@customs.go.jp", **extra) -> dict:
    body = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": "Aiko Tanaka", "mbox": f"mailto:{email}"},
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
        "object": {"objectType": "Activity", "id": f"urn:cbhub:product:{product.pk if product else 0}"},
        "timestamp": "2025-03-01T10:00:00+09:00",
    }
    body.update(extra)
    return body


def send(token, body, *, raw=None, **headers):
    data = raw if raw is not None else json.dumps(body)
    if token is not None:
        headers.setdefault("HTTP_AUTHORIZATION", f"Bearer {token}")
    headers.setdefault("HTTP_X_EXPERIENCE_API_VERSION", "1.0.3")
    return Client().post(
        URL, data=data, content_type=headers.pop("content_type", "application/json"), **headers
    )


def test_the_token_is_shown_once_and_only_its_hash_is_kept(platform, user_named):
    row, token = platform
    assert row.token_hash == token_hash(token) and token not in row.token_hash
    newer = platform_new_token(user=user_named("secretariat"), platform=row)
    row.refresh_from_db()
    assert row.token_hash == token_hash(newer) != token_hash(token)
    with pytest.raises(PermissionDenied):
        platform_create(
            user=user_named("rtc.japan"), name="Mine", office=Office.objects.get(code="rtc-japan")
        )


def test_a_completed_statement_is_recorded(platform, module, learner):
    row, token = platform
    body = statement(module, result={"score": {"scaled": 0.875}, "completion": True})
    response = send(token, body)
    assert response.status_code == 200, response.content
    assert response.json() == [body["id"]]
    assert response["X-Experience-API-Version"] == "1.0.3"
    completion = Completion.objects.get(person=learner, product=module)
    assert (
        completion.status,
        completion.completed_on,
        completion.score,
        completion.source,
        completion.platform,
    ) == (
        "completed",
        datetime.date(2025, 3, 1),
        Decimal("87.50"),
        CompletionSource.XAPI,
        row,
    )
    assert completion.member.iso_alpha2 == "JP"
    stored = XapiStatement.objects.get(statement_id=body["id"])
    assert (stored.outcome, stored.completion, stored.body, stored.verb) == (
        "recorded",
        completion,
        body,
        VERB_COMPLETED,
    )


def test_a_passed_statement_with_a_raw_score_and_an_account_is_recorded(platform, module, learner):
    _row, token = platform
    body = statement(
        module,
        verb=VERB_PASSED,
        actor={"account": {"homePage": "https://lms.customs.go.jp", "name": "Aiko.Tanaka@customs.go.jp"}},
        object={"id": f"http://testserver/training/products/{module.pk}/"},
        result={"score": {"raw": 45, "min": 0, "max": 50}, "success": True},
    )
    body.pop("timestamp")
    body["stored"] = "2025-04-02T08:00:00Z"
    assert send(token, body).status_code == 200
    completion = Completion.objects.get(person=learner, status="passed")
    assert (completion.score, completion.completed_on) == (Decimal("90.00"), datetime.date(2025, 4, 2))


def test_other_verbs_and_activities_that_are_not_products_are_stored_as_ignored(platform, module, learner):
    _row, token = platform
    bodies = [
        statement(module, verb=EXPERIENCED),
        statement(None, object={"id": "https://lms.customs.go.jp/lessons/7"}),
        statement(None, object={"id": f"https://elsewhere.example/training/products/{module.pk}/"}),
        statement(module, verb=EXPERIENCED, actor={"objectType": "Group", "member": []}),
    ]
    response = send(token, bodies)
    assert response.status_code == 200, response.content
    assert response.json() == [body["id"] for body in bodies]
    assert not Completion.objects.exists()
    assert set(XapiStatement.objects.values_list("outcome", flat=True)) == {"ignored"}
    assert (
        XapiStatement.objects.get(statement_id=bodies[1]["id"]).message
        == "The object is not a training product."
    )


def test_a_statement_sent_twice_is_stored_once(platform, module, learner):
    _row, token = platform
    body = statement(module)
    assert send(token, body).status_code == 200
    again = send(token, [body])
    assert again.status_code == 200 and again.json() == [body["id"]]
    assert XapiStatement.objects.count() == 1 and Completion.objects.count() == 1


def test_a_different_statement_with_a_stored_id_is_a_conflict(platform, module, learner):
    _row, token = platform
    body = statement(module)
    send(token, body)
    changed = {**body, "result": {"score": {"scaled": 0.1}}}
    response = send(token, [statement(module, verb=VERB_PASSED), changed])
    assert response.status_code == 409
    assert response.json()["statements"] == [
        {"index": 1, "id": body["id"], "reason": "A different statement with this id is already stored."}
    ]
    assert XapiStatement.objects.get().body == body  # the stored one stays, nothing else is stored
    assert Completion.objects.count() == 1


def test_an_unknown_learner_or_product_is_refused_with_the_reason(platform, module, learner, user_named):
    _row, token = platform
    other_rtc = Office.objects.filter(kind="rtc", region__code="A/P").exclude(code="rtc-japan").first()
    kenyan = PersonFactory(email="w.k@kra.go.ke", member=Member.objects.get(iso_alpha2="KE"))
    bodies = [
        statement(module, email="nobody@customs.go.jp"),
        statement(module, email=kenyan.email),  # another region's officer: outside the platform's scope
        statement(None, object={"id": "urn:cbhub:product:999999"}),
        statement(make_product(office_code=other_rtc.code)),  # another centre's product
        statement(make_product(kind="technical", title="Classroom course")),
        statement(make_product(status=ProductStatus.RETIRED, title="Old module")),
        statement(module, actor={"account": {"homePage": "https://lms.example", "name": "jdoe"}}),
        statement(module, timestamp="2099-01-01T00:00:00Z"),
        statement(module, result={"score": {"raw": 140}}),
    ]
    response = send(token, bodies)
    assert response.status_code == 400
    answer = response.json()
    assert answer["detail"] == "Some statements were refused; nothing of this batch was recorded."
    why = {problem["index"]: problem["reason"] for problem in answer["statements"]}
    assert why == {
        0: "No person with the email nobody@customs.go.jp in this platform's scope.",
        1: "No person with the email w.k@kra.go.ke in this platform's scope.",
        2: "No product urn:cbhub:product:999999 that this platform reports on.",
        3: f"No product urn:cbhub:product:{bodies[3]['object']['id'].rsplit(':', 1)[1]} that this platform reports on.",
        4: "“Classroom course” is not an e-learning module.",
        5: "“Old module” is retired: its completions are no longer recorded.",
        6: "Name the learner by mbox (mailto:) or by an account whose name is their email address.",
        7: "The date must be between 2000-01-01 and today.",
        8: "A score is between 0 and 100.",
    }
    assert [problem["id"] for problem in answer["statements"]] == [body["id"] for body in bodies]
    assert not Completion.objects.exists()
    stored = XapiStatement.objects.order_by("pk")
    assert [row.outcome for row in stored] == ["refused"] * 9
    assert stored[0].message == why[0]


def test_a_batch_is_atomic_and_a_refused_statement_is_looked_at_again(platform, module, learner):
    _row, token = platform
    good, bad = statement(module), statement(module, verb=VERB_PASSED, email="new.officer@customs.go.jp")
    response = send(token, [good, bad])
    assert response.status_code == 400
    assert [problem["index"] for problem in response.json()["statements"]] == [1]
    assert not Completion.objects.exists()
    assert list(XapiStatement.objects.values_list("statement_id", "outcome")) == [
        (uuid.UUID(bad["id"]), "refused")
    ]
    # The centre adds the officer; the platform sends the same batch again.
    PersonFactory(email="new.officer@customs.go.jp", member=Member.objects.get(iso_alpha2="JP"))
    response = send(token, [good, bad])
    assert response.status_code == 200, response.content
    assert response.json() == [good["id"], bad["id"]]
    assert Completion.objects.count() == 2
    assert set(XapiStatement.objects.values_list("outcome", flat=True)) == {"recorded"}
    assert XapiStatement.objects.count() == 2


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("{not json", "The body is not valid JSON."),
        ('{"value": NaN}', "The body is not valid JSON."),
        ('{"value": 1e400}', "The body is not valid JSON."),
        ('{"id": "a\\u0000b"}', "The body is not valid JSON."),
        ('{"id": "\\ud800"}', "The body is not valid JSON."),
        ("[" * 100 + "]" * 100, "The body is not valid JSON."),
        ("[" * 100000 + "]" * 100000, "The body is not valid JSON."),
        (b"\xff\xfe", "The body is not valid JSON."),
        ("[]", "The list of statements is empty."),
    ],
)
def test_a_malformed_body_is_a_400(platform, raw, reason):
    _row, token = platform
    response = send(token, None, raw=raw)
    assert response.status_code == 400
    assert response.json() == {"detail": reason}
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert not XapiStatement.objects.exists()


def test_statements_without_what_xapi_requires_are_refused(platform, module, learner):
    _row, token = platform
    bodies = [
        "not an object",
        {**statement(module), "id": "not-a-uuid"},
        {key: value for key, value in statement(module).items() if key != "actor"},
        {key: value for key, value in statement(module).items() if key != "verb"},
        {key: value for key, value in statement(module).items() if key != "object"},
        statement(module, verb="completed"),
        statement(module, actor={"mbox": "aiko@customs.go.jp"}),
        statement(module, actor={"mbox": "mailto:a@b.c", "account": {"homePage": "x:y", "name": "a"}}),
        statement(module, timestamp="yesterday"),
        statement(module, result={"score": {"scaled": 2}}),
        statement(module, result={"score": {"raw": "ninety"}}),
    ]
    response = send(token, bodies)
    assert response.status_code == 400
    why = {problem["index"]: problem["reason"] for problem in response.json()["statements"]}
    assert why == {
        0: "A statement is a JSON object.",
        1: "The statement id must be a UUID.",
        2: "The statement needs an actor (an Agent or a Group).",
        3: "The statement needs a verb with an IRI as its id.",
        4: "The statement needs an object.",
        5: "The statement needs a verb with an IRI as its id.",
        6: "The actor's mbox must be a mailto: address.",
        7: "An Agent is named by exactly one of mbox, mbox_sha1sum, openid or account.",
        8: "The timestamp is not an ISO 8601 date and time.",
        9: "The score's scaled value is between -1 and 1.",
        10: "The score's scaled, raw, min and max must be numbers.",
    }
    # Those with an id are kept as refused; the first two have none that could be stored.
    assert XapiStatement.objects.filter(outcome="refused").count() == 9


def test_the_same_id_twice_in_a_batch_is_refused(platform, module, learner):
    _row, token = platform
    body = statement(module)
    response = send(token, [body, {**body, "verb": {"id": VERB_PASSED}}])
    assert response.status_code == 400
    assert response.json()["statements"] == [
        {
            "index": 1,
            "id": body["id"],
            "reason": "The statement id is also the id of statement 0 of this batch.",
        }
    ]
    assert not Completion.objects.exists()


def test_a_statement_without_an_id_gets_one(platform, module, learner):
    _row, token = platform
    body = statement(module)
    del body["id"]
    response = send(token, body)
    assert response.status_code == 200
    (given,) = response.json()
    assert XapiStatement.objects.get(statement_id=given).outcome == "recorded"


def test_the_token(platform, module, learner, user_named):
    row, token = platform
    body = statement(module)
    for headers in (
        {},
        {"HTTP_AUTHORIZATION": "Bearer wrong"},
        {"HTTP_AUTHORIZATION": "Token " + token},
        {"HTTP_AUTHORIZATION": "Bearer"},
    ):
        response = send(None, body, **headers)
        assert response.status_code == 401, headers
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response["X-Experience-API-Version"] == "1.0.3"
        assert set(response.json()) == {"detail"}
    LearningPlatform.objects.filter(pk=row.pk).update(is_active=False)
    response = send(token, body)
    assert response.status_code == 403
    assert response.json() == {"detail": "This learning platform is inactive."}
    # A signed-in user is not a platform, and the endpoint needs no CSRF token.
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_named("secretariat"))
    assert client.post(URL, data=json.dumps(body), content_type="application/json").status_code == 401
    assert not XapiStatement.objects.exists()


def test_too_large_or_too_many(platform, module, learner):
    _row, token = platform
    big = statement(module, context={"extensions": {"https://x.example/pad": "x" * (1024 * 1024)}})
    response = send(token, big)
    assert response.status_code == 413
    assert response.json() == {"detail": "The body is larger than 1 MB; send fewer statements at a time."}
    response = send(token, [{"id": str(uuid.uuid4())} for _ in range(1001)])
    assert response.status_code == 413
    assert response.json() == {"detail": "At most 1000 statements at a time."}
    assert not XapiStatement.objects.exists()


def test_the_version_and_the_content_type(platform, module, learner):
    _row, token = platform
    response = send(token, statement(module), HTTP_X_EXPERIENCE_API_VERSION="0.95")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "This endpoint speaks xAPI 1.0.3; the version 0.95 is not supported."
    }
    response = send(token, None, raw="actor=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.json() == {"detail": "Send the statements as application/json."}
    without = Client().post(
        URL,
        data=json.dumps(statement(module)),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert without.status_code == 200 and without["X-Experience-API-Version"] == "1.0.3"


def test_the_secretariats_platform_reports_on_any_product(user_named, learner):
    secretariat_office = Office.objects.filter(kind="secretariat").first()
    _row, token = platform_create(
        user=user_named("secretariat"), name="WCO CLiKC!", office=secretariat_office
    )
    other_rtc = Office.objects.filter(kind="rtc").exclude(code="rtc-japan").first()
    assert send(token, statement(make_product(office_code=other_rtc.code))).status_code == 200
    assert Completion.objects.get().person == learner


def test_a_file_of_statements_as_a_job(platform, module, learner, user_named):
    row, _token = platform
    good = [statement(module), statement(module, verb=VERB_PASSED), statement(module, verb=EXPERIENCED)]
    refused = statement(module, email="nobody@customs.go.jp")
    lines = [json.dumps(body) for body in good] + ["", "{broken", json.dumps(refused), json.dumps(good[0])]
    content = "\n".join(lines).encode()
    with pytest.raises(PermissionDenied):
        xapi_file_enqueue(user=user_named("focal.kenya"), platform=row, name="x.jsonl", content=content)
    job = xapi_file_enqueue(
        user=user_named("rtc.japan"), platform=row, name="statements.jsonl", content=content
    )
    job = job_run(job.pk)
    assert job.status == JobStatus.PARTIAL
    assert job.result == {"recorded": 2, "ignored": 1, "refused": 2, "duplicates": 1, "conflicts": 0}
    failed = {outcome["name"]: outcome["reason"] for outcome in job.outcomes if outcome["status"] == "failed"}
    assert failed == {
        "line 5": "The line is not valid JSON.",
        "line 6": "No person with the email nobody@customs.go.jp in this platform's scope.",
    }
    assert Completion.objects.count() == 2
    assert XapiStatement.objects.get(statement_id=refused["id"]).outcome == "refused"
    assert "2 completions recorded" in job.outcomes[-1]["reason"]
