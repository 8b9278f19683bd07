"""The API against its own schema: schemathesis generates requests for every operation of the
committed openapi.yaml (which test_openapi.py holds equal to what the code serves), sends them to
the WSGI application in-process, as the Secretariat, a focal point and an anonymous caller, and
checks that no answer is a 5xx, that every status code is documented and that every body matches
the schema. A fixed seed and a bounded number of examples keep the run repeatable and short.

Run only this: `pytest -m schemathesis_api`."""

from pathlib import Path

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import User
from activities.tests.factories import ActivityFactory, ParticipationFactory
from knowledge.models import Document

ROOT = Path(__file__).resolve().parents[2]
ROLES = ["secretariat", "focal.kenya", None]
EXAMPLES = 5

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261202,
        "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none"},
        # Examples from the schema and generated data; the coverage and stateful phases multiply
        # the cases past what a suite run can afford.
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_path(ROOT / "openapi.yaml", config=CONFIG)
schema.app = get_wsgi_application()

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis_api]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI app sends request_started/finished, whose close_old_connections would close the
    test's own connection (it sits in the test's transaction); Django's test client disconnects
    them the same way. SQLite's in-memory test database never closes, PostgreSQL's would."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def rows():
    """Rows with their optional fields empty, so that lists and details show nulls the schema
    must declare: an announced activity without end date, budget or region, one participant, a
    public document without date or region."""
    activity = ActivityFactory(status="scheduled", end_date=None, budget_amount=None, region=None)
    ParticipationFactory(activity=activity)
    ActivityFactory(status="scheduled")
    Document.objects.create(title="Public note", status="ready", visibility="public", kind="other")


@pytest.fixture(params=ROLES, ids=lambda username: username or "anonymous")
def auth_headers(request, django_db_blocker):
    username = request.param
    if username is None:
        return {}
    token, _created = Token.objects.get_or_create(user=User.objects.get(username=username))
    return {"Authorization": f"Token {token.key}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_the_api_answers_as_its_schema_says(case, auth_headers):
    case.call_and_validate(headers=auth_headers, checks=CHECKS)
