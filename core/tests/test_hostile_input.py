"""Hostile values to every list's filters and every URL's parameters, as several roles: the answer is
never a 5xx. The views, their FilterSets and their URL parameters are discovered from the URL
resolver, so a new app's pages and API are covered from their first commit."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import get_converters
from django.urls.resolvers import RegexPattern, RoutePattern
from rest_framework.test import APIClient

from accounts.models import User
from activities.tests.factories import ActivityFactory, ParticipationFactory
from core.filtersets import FilterBackend, FilterSet

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "focal.kenya", None]

HOSTILE = [
    "0",
    "-100",
    "100000000000000000000",  # 10^20: past every integer column
    "0001-01-01",
    "0001-01",
    "9999-12",
    "null,null",
    "x" * 5000,
    "a\x00b",
]
# In a path: ids that are not ids, too big for any column, and NUL.
PATH_VALUES = ["0", "100000000000000000000", "null,null", "x" * 300, "a\x00b"]
# The Secretariat gets every value and every method; other roles, whose scope changes which rows a
# query reads but not how a value is parsed, get the values that reach a query, and reads only.
WIDEST = "secretariat"
OTHER_ROLE_PATH_VALUES = ["100000000000000000000", "null,null"]
# Parameters many views read besides their FilterSet's (search, paging, facets, months, exports).
COMMON_PARAMETERS = ("q", "page", "year", "month", "region", "kind", "topic", "language", "scope", "view")
# Not this project's pages (Django's admin) or too slow to call thousands of times (the schema).
SKIPPED = ("admin/", "api/schema/", "api/docs/", "accounts/logout/")
GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<regex>[^)]*)\)")
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


def pattern_text(pattern) -> tuple[str, dict[str, str]]:
    """A pattern as a template ("activities/{pk}/edit/") and the regex each parameter must match."""
    text = str(pattern)
    regexes = {}
    if isinstance(pattern, RoutePattern):
        converters = get_converters()

        def route(match):
            regexes[match["name"]] = converters[match["converter"] or "str"].regex
            return "{" + match["name"] + "}"

        return ROUTE_PARAMETER.sub(route, text), regexes
    assert isinstance(pattern, RegexPattern), pattern

    def group(match):
        regexes[match["name"]] = match["regex"]
        return "{" + match["name"] + "}"

    return GROUP.sub(group, text.lstrip("^").rstrip("$")), regexes


def endpoints():
    """(path template, parameter regexes, view class, is a DRF view) for every pattern."""

    def walk(patterns, prefix, regexes):
        for entry in patterns:
            text, own = pattern_text(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + text, {**regexes, **own})
            elif isinstance(entry, URLPattern):
                callback = entry.callback
                view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
                yield prefix + text, {**regexes, **own}, view, hasattr(callback, "cls")

    seen = set()
    for template, regexes, view, is_api in walk(get_resolver().url_patterns, "/", {}):
        if "format" in regexes or template.lstrip("/").startswith(SKIPPED) or template in seen:
            continue  # format suffixes repeat the pattern they extend
        seen.add(template)
        yield template, regexes, view, is_api


def filterset_class_of(view):
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is None and getattr(view, "filterset_fields", None):
        filterset_class = FilterBackend().get_filterset_class(view(), view.queryset)
    return filterset_class


ENDPOINTS = list(endpoints())
LISTS = [(template, view) for template, regexes, view, _api in ENDPOINTS if not regexes]
DETAILS = [(template, regexes, is_api) for template, regexes, _view, is_api in ENDPOINTS if regexes]


def client_as(username, *, api: bool):
    client = APIClient() if api else Client()
    client.raise_request_exception = False  # an exception is a 500 answer, counted below
    if username:
        client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def some_rows():
    activity = ActivityFactory(status="scheduled")
    ParticipationFactory(activity=activity)
    return activity


def test_the_resolver_yields_the_pages_and_the_api():
    templates = [template for template, _view in LISTS]
    assert "/activities/participations/" in templates and "/api/activities/participations/" in templates
    assert "/knowledge/" in templates and "/activities/calendar/" in templates
    assert any(template == "/api/network/regions/{pk}/" for template, _r, _a in DETAILS)
    assert any(template == "/activities/requests/{pk}/{decision}/" for template, _r, _a in DETAILS)


def test_every_filterset_derives_from_the_bounded_base():
    classes = {filterset_class_of(view) for _template, view in LISTS} - {None}
    assert len(classes) >= 10
    assert [cls.__name__ for cls in classes if not issubclass(cls, FilterSet)] == []


def rejected_by_filter(filterset_class, name, value, user) -> bool:
    """Whether the filter refuses `value` itself: then the list answers 400 without a query, and
    only the validation (run here, in-process) can fail. Values it accepts are sent for real."""
    if "\x00" in str(value):
        return True  # core.middleware refuses a NUL before any view (and PostgreSQL could not query it)
    request = RequestFactory().get("/")
    request.user = user
    filterset = filterset_class(
        {name: value}, queryset=filterset_class._meta.model.objects.none(), request=request
    )
    return name in filterset.form.errors


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize(("template", "view"), LISTS, ids=[template for template, _view in LISTS])
def test_hostile_filters_never_answer_5xx(some_rows, username, template, view):
    filterset_class = filterset_class_of(view)
    names = list(filterset_class.base_filters) if filterset_class else []
    others = [name for name in COMMON_PARAMETERS if name not in names]
    user = User.objects.get(username=username) if username else AnonymousUser()
    client = client_as(username, api=template.startswith("/api/"))
    urls = []
    for value in HOSTILE:
        # The parameters a view may read itself go together: none can hide another's fault.
        if username == WIDEST or not names:
            urls.append(f"{template}?{urlencode({name: value for name in others})}")
        for name in names:
            # A filter's parameter goes alone: one filter's error would stop the others' queries.
            if not rejected_by_filter(filterset_class, name, value, user):
                urls.append(f"{template}?{urlencode({name: value})}")
    failures = [(status, url[:200]) for url in urls if (status := client.get(url).status_code) >= 500]
    assert failures == []


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize(
    ("template", "regexes", "is_api"), DETAILS, ids=[template for template, _r, _a in DETAILS]
)
def test_hostile_url_parameters_never_answer_5xx(some_rows, username, template, regexes, is_api):
    client = client_as(username, api=is_api)
    methods = (
        (["get", "patch", "put", "delete"] if is_api else ["get", "post"]) if username == WIDEST else ["get"]
    )
    failures = []
    tried = 0
    for value in PATH_VALUES if username == WIDEST else OTHER_ROLE_PATH_VALUES:
        values = {}
        for name, regex in regexes.items():
            # A value the resolver cannot match never reaches the view; a plain id stands in.
            values[name] = quote(value, safe="") if re.fullmatch(regex, value) else str(some_rows.pk)
        if all(values[name] == str(some_rows.pk) for name in regexes):
            continue
        url = template.format(**values)
        for method in methods:
            tried += 1
            kwargs = {"data": {}, "format": "json"} if is_api and method != "get" else {}
            status = getattr(client, method)(url, **kwargs).status_code
            if status >= 500:
                failures.append((method.upper(), status, url[:200]))
    assert tried > 0
    assert failures == []


def test_a_nul_character_in_a_request_body_is_a_400_on_both_databases(client_for):
    """A slug lookup would hand the NUL to the database (PostgreSQL refuses it with an error)."""
    client = client_for("secretariat")
    for body, content_type in (
        ('{"name": "X", "region": "a\\u0000p", "iso_alpha2": "XX"}', "application/json"),
        ("name=X&region=a%00p&iso_alpha2=XX", "application/x-www-form-urlencoded"),
    ):
        response = client.post("/api/network/members/", body, content_type=content_type)
        assert response.status_code == 400, response.content
        assert "NUL" in response.json()["detail"]
