"""The public activity list, kept for visitors without a session: served again without the
database, shown fresh once an activity changes, with each visitor's own CSRF token, and never to
someone signed in or with a session."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from activities.models import Status
from activities.tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept_for_a_minute(settings):
    settings.PAGE_CACHE_SECONDS = 60  # as in production (the test settings turn it off)


LIST = "/activities/?start_after="


def test_a_second_visitor_gets_the_kept_page_without_the_database():
    ActivityFactory(title="Kept workshop", status=Status.SCHEDULED)
    first = Client().get(LIST)
    assert first["X-Page-Cache"] == "miss" and "Kept workshop" in first.content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = Client().get(LIST)
    assert second["X-Page-Cache"] == "hit"
    assert "Kept workshop" in second.content.decode()
    assert len(queries) == 0


def test_a_changed_activity_shows_at_once():
    activity = ActivityFactory(title="Before the change", status=Status.SCHEDULED)
    assert "Before the change" in Client().get(LIST).content.decode()
    activity.title = "After the change"
    activity.save()
    page = Client().get(LIST)
    assert page["X-Page-Cache"] == "miss" and "After the change" in page.content.decode()
    ActivityFactory(title="A new one", status=Status.SCHEDULED)
    assert "A new one" in Client().get(LIST).content.decode()


def test_each_visitor_posts_with_their_own_token():
    Client().get(LIST)  # the page is kept with the first visitor's token
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(LIST)
    assert page["X-Page-Cache"] == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    assert "__cbhub_csrf_token__" not in page.content.decode()
    changed = visitor.post("/i18n/setlang/", {"language": "fr", "next": "/", "csrfmiddlewaretoken": token})
    assert changed.status_code == 302


def test_signed_in_users_and_sessions_get_a_page_of_their_own(client_for):
    Client().get(LIST)
    assert "X-Page-Cache" not in client_for("rocb.ap").get(LIST)
    with_session = Client()
    with_session.cookies["sessionid"] = "x"
    assert "X-Page-Cache" not in with_session.get(LIST)


def test_a_french_visitor_gets_the_french_page():
    Client().get(LIST)
    french = Client(HTTP_ACCEPT_LANGUAGE="fr").get(LIST)
    assert french["X-Page-Cache"] == "miss"
    assert 'lang="fr"' in french.content.decode()
