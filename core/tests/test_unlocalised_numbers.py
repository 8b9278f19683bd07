"""Numbers meant for machines stay machine numbers in every language: SVG coordinates, sizes, data
attributes, page numbers in links and the JSON charts are drawn from. In French a decimal comma
(cx="520,6") silently drops every marker of the map; this renders the pages in both languages and
parses every such number."""

import json
import re
from html.parser import HTMLParser

import pytest

from activities.tests.factories import ActivityFactory, ParticipationFactory

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
SVG_NUMBERS = {"x", "y", "cx", "cy", "r", "width", "height", "stroke-width", "x1", "x2", "y1", "y2"}


class Numbers(HTMLParser):
    """Collects (tag, attribute, value) for every attribute that must hold a plain number."""

    def __init__(self):
        super().__init__()
        self.found, self.svg_depth, self.scripts, self._script = [], 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.svg_depth += 1
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "application/json":
            self._script = []
        for name, value in attrs.items():
            if value is None:
                continue
            if self.svg_depth and name in SVG_NUMBERS:
                self.found.append((tag, name, [value]))
            elif name == "viewbox":
                self.found.append((tag, name, value.split()))
            elif tag in ("progress", "meter") and name in ("value", "max", "min"):
                self.found.append((tag, name, [value]))
            elif name.startswith("data-") and re.fullmatch(r"[\d.,\s\u00a0\u202f-]+", value):
                self.found.append((tag, name, [value]))
            elif name == "href" and "page=" in value:
                self.found.append((tag, "href page", re.findall(r"page=([^&]*)", value)))

    def handle_endtag(self, tag):
        if tag == "svg":
            self.svg_depth -= 1
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)


def machine_numbers(body: str) -> Numbers:
    parser = Numbers()
    parser.feed(body)
    bad = [
        (tag, name, value)
        for tag, name, values in parser.found
        for value in values
        if not NUMBER.fullmatch(value)
    ]
    assert not bad, bad[:10]
    for script in parser.scripts:
        json.loads(script)  # the data charts are drawn from
    return parser


def get(client, url, language, **params):
    client.cookies["django_language"] = language
    response = client.get(url, params)
    assert response.status_code == 200, url
    assert response.headers["Content-Language"] == language
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_map_s_coordinates_are_plain_numbers(client, settings, language):
    settings.USE_THOUSAND_SEPARATOR = True  # the width, 1000, must not become "1 000" or "1,000"
    body = get(client, "/network/map/", language)
    parser = machine_numbers(body)
    circles = [entry for entry in parser.found if entry[0] == "circle" and entry[1] == "cx"]
    assert len(circles) >= 30  # every ROCB and RTC marker is drawn
    assert any("." in values[0] for _tag, _name, values in circles)  # decimals are there, as points
    assert 'viewBox="0 0 1000 470"' in body


@pytest.mark.parametrize("language", ["en", "fr"])
def test_dashboard_charts_and_figures_carry_plain_numbers(client_for, language):
    activity = ActivityFactory(status="delivered", budget_amount=1234.5)
    ParticipationFactory(activity=activity, attendance="attended")
    body = get(client_for("secretariat"), "/activities/dashboard/", language, scope="all")
    parser = machine_numbers(body)
    charts = [json.loads(script) for script in parser.scripts if '"values"' in script]
    assert charts and all(isinstance(value, int | float) for chart in charts for value in chart["values"])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_list_pages_link_to_plain_page_numbers(client, language):
    ActivityFactory.create_batch(55, status="scheduled")
    body = get(client, "/activities/", language)
    parser = machine_numbers(body)
    assert any(name == "href page" for _tag, name, _values in parser.found)


def test_digits_are_grouped_only_where_people_read_figures(settings):
    """Grouping is done by the |amount and |figure filters; a global USE_THOUSAND_SEPARATOR would
    also group ids in element ids and form values, page numbers in links and years."""
    assert not settings.USE_THOUSAND_SEPARATOR
