"""Inputs that were 500s answer 400 with a message: impossible years, months and huge numbers in
filters, too many query parameters or form fields (with DEBUG on and off), NUL characters."""

import pytest
from django import forms
from rest_framework.test import APIClient

from core.filtersets import FilterSet

pytestmark = pytest.mark.django_db

YEARS = ["0", "-100", "100000000000000000000"]


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("path", ["/activities/participations/", "/api/activities/participations/"])
def test_an_impossible_year_on_participations_is_a_400(client_for, path, year):
    response = client_for("secretariat").get(path, {"year": year})
    assert response.status_code == 400
    assert "Ensure this value is" in response.content.decode()


@pytest.mark.parametrize("year", YEARS)
def test_an_impossible_year_in_the_knowledge_search_is_a_400(client_for, user_named, year):
    page = client_for("secretariat").get("/knowledge/", {"year": year})
    assert page.status_code == 400
    assert "A year is a whole number from 1 to 9999." in page.content.decode()
    api = APIClient()
    api.force_authenticate(user_named("secretariat"))
    answer = api.get("/api/knowledge/search/", {"q": "customs", "year": year})
    assert answer.status_code == 400
    assert answer.json() == {"year": ["A year is a whole number from 1 to 9999."]}


def test_a_fraction_or_a_huge_number_on_any_number_filter_is_a_400(client_for):
    client = client_for("secretariat")
    for url in [
        "/network/members/?joined_after=100000000000000000000",
        "/activities/participations/?year=2027.5",
    ]:
        assert client.get(url).status_code == 400, url
    assert client.get("/network/members/?joined_after=1990").status_code == 200


def test_the_bounded_base_bounds_filters_it_generates():
    class Generated(FilterSet):
        class Meta:
            from network.models import Member

            model = Member
            fields = {"joined_year": ["exact", "gte"], "id": ["exact"]}

    year = Generated.base_filters["joined_year__gte"].field
    assert isinstance(year, forms.IntegerField) and year.max_value is not None and year.max_value < 2**63
    form = Generated({"joined_year": "100000000000000000000", "id": "1.5"}).form
    assert not form.is_valid() and {"joined_year", "id"} <= set(form.errors)


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2027-13", "10000-01"])
def test_a_month_the_calendar_cannot_show_is_a_400_with_a_message(client_for, month):
    response = client_for(None).get("/activities/calendar/", {"month": month})
    assert response.status_code == 400
    assert "is not a month from 1950-01 to 2200-12" in response.content.decode()


def test_a_month_in_range_shows(client_for):
    assert client_for(None).get("/activities/calendar/", {"month": "2200-12"}).status_code == 200


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/activities/", "/knowledge/", "/api/activities/activities/"])
def test_more_than_a_thousand_query_parameters_is_a_400_page(client_for, settings, debug, path):
    settings.DEBUG = debug
    client = client_for("secretariat")
    client.raise_request_exception = False
    query = "&".join(f"f{number}=1" for number in range(1001))
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert "more than 1000 query parameters" in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_more_than_a_thousand_form_fields_is_a_400(client_for, settings, debug):
    settings.DEBUG = debug
    client = client_for("secretariat")
    client.raise_request_exception = False
    response = client.post("/activities/add/", {f"f{number}": "1" for number in range(1001)})
    assert response.status_code == 400
    if not debug:
        assert "more than 1000 fields" in response.content.decode()


def test_a_nul_character_in_the_query_is_a_400(client_for):
    client = client_for("secretariat")
    for path in ["/network/members/?region=a%00b", "/knowledge/?q=a%00b", "/api/knowledge/search/?q=a%00b"]:
        response = client.get(path)
        assert response.status_code == 400, path
        assert "NUL character" in response.content.decode()


def test_an_api_address_that_names_nothing_answers_json(client_for):
    for path in ["/api/nowhere/", "/api/network/regions/a%2Fb/"]:
        response = client_for(None).get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Not found."}
    page = client_for(None).get("/nowhere/")
    assert page.status_code == 404 and "text/html" in page["Content-Type"]
