"""The network map renders offline from the shipped outlines, coloured by region."""

import pytest

from network.map import country_paths, network_map
from network.models import Region

pytestmark = pytest.mark.django_db


def test_outlines_come_from_the_shipped_file():
    paths = country_paths()
    assert len(paths) >= 170
    assert any(iso3 == "JPN" for iso3, _, _ in paths)


def test_map_colours_members_by_region_and_marks_offices(client):
    response = client.get("/network/map/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "http://" not in body.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org", ""
    )
    data = response.context["map"]
    legend_colours = {region.code: colour for region, colour in data["legend"]}
    assert len(legend_colours) == 6 and len(set(legend_colours.values())) == 6
    japan = next(country for country in data["countries"] if country["title"].startswith("Japan"))
    assert japan["fill"] == legend_colours["A/P"]
    kinds = {marker["kind"] for marker in data["markers"]}
    assert kinds == {"secretariat", "rocb", "rtc"}
    assert 'data-office="rtc-japan"' in body


def test_map_can_show_one_region(client):
    response = client.get("/network/map/", {"region": "ap"})
    markers = response.context["map"]["markers"]
    assert {marker["office"].region.code for marker in markers} == {"A/P"}


def test_an_unknown_region_is_explained(client):
    response = client.get("/network/map/", {"region": "nowhere"})
    assert response.status_code == 200
    assert "Unknown region nowhere" in response.content.decode()


def test_members_too_small_to_draw_are_listed(user_named):
    data = network_map(user_named("secretariat"), region=Region.objects.get(code="A/P"))
    assert "Tonga" in {member.name for member in data["not_drawn"]}
