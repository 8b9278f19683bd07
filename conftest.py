"""Fixtures for the whole suite. The test database starts with the real network loaded once
(regions, members, offices, committees, topics) and one demo user per role."""

import pytest
from django.test import Client

from accounts.demo import demo_users_create
from accounts.models import User
from network.reference import SHIPPED_REFERENCE_DIR, reference_load
from topics.reference import topics_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        reference_load(directory=SHIPPED_REFERENCE_DIR)
        topics_load(path=SHIPPED_REFERENCE_DIR / "topics.md")
        demo_users_create()


@pytest.fixture
def user_named(db):
    def get(username: str) -> User:
        return User.objects.get(username=username)

    return get


@pytest.fixture
def client_for(db):
    """A test client signed in as one of the demo users, or anonymous for None."""

    def make(username: str | None) -> Client:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        return client

    return make


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A request in French leaves French active in the thread; no later test should inherit it."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_throttle_counters():
    """Rate-limit counters (core.throttling) live in the cache: no test inherits another's. Only a
    per-process memory cache is cleared, never a shared Redis one."""
    yield
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(autouse=True)
def fresh_expert_roster():
    """The in-memory roster (experts.snapshot) is keyed by a stamp that a test's rollback takes back
    to an earlier value: no test may match against another test's experts."""
    from experts.snapshot import forget_roster

    forget_roster()
    yield
    forget_roster()
