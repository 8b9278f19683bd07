"""Exports (CSV, XLSX, IATI 2.03), the calendar and its feeds, and the dashboards."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from activities.iati import iati_document, validation_errors
from activities.models import Activity, Status
from activities.tests.factories import ActivityFactory, ParticipationFactory
from network.models import Member, Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshops():
    japan, kenya = Member.objects.get(iso_alpha2="JP"), Member.objects.get(iso_alpha2="KE")
    ap = ActivityFactory(
        title="Regional workshop on AEO",
        status=Status.SCHEDULED,
        start_date=datetime.date(2027, 3, 10),
        end_date=datetime.date(2027, 3, 12),
    )
    ap.beneficiary_members.set([japan])
    esa = ActivityFactory(
        title="National workshop in Kenya",
        status=Status.PROPOSED,
        host_member=kenya,
        lead_office=Office.objects.get(code="rocb-esa"),
        region=kenya.region,
        start_date=datetime.date(2027, 3, 20),
        end_date=datetime.date(2027, 3, 21),
        budget_amount=None,
        budget_currency="",
    )
    return ap, esa


def test_csv_and_xlsx_exports_follow_the_filters(client_for, workshops):
    client = client_for("secretariat")
    response = client.get("/activities/", {"region": "ap", "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[0] for row in rows[1:]] == ["Regional workshop on AEO"]
    response = client.get("/activities/", {"region": "esa", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[2]][0] == "National workshop in Kenya"


def test_iati_export_is_valid_against_the_official_schema(client_for, workshops):
    response = client_for("secretariat").get("/activities/", {"export": "iati"})
    assert response["Content-Type"] == "application/xml"
    assert validation_errors(response.content) == []
    assert b"<iati-identifier>" in response.content and b'code="JP"' in response.content


def test_iati_schema_rejects_a_broken_document():
    document = iati_document(Activity.objects.none()).replace(b'version="2.03"', b'versio="2.03"')
    assert validation_errors(document)


def test_calendar_month_shows_the_activities_of_the_month(client_for, workshops):
    response = client_for("rocb.ap").get("/activities/calendar/", {"month": "2027-03"})
    body = response.content.decode()
    assert "Regional workshop on AEO" in body and "National workshop in Kenya" in body
    filtered = client_for("rocb.ap").get("/activities/calendar/", {"month": "2027-03", "region": "ap"})
    assert "National workshop in Kenya" not in filtered.content.decode()
    bad = client_for("rocb.ap").get("/activities/calendar/", {"month": "March"})
    assert "is not a month" in bad.content.decode()


def test_a_long_activity_shows_in_every_month_it_spans(client_for, workshops):
    """The month's query bounds the start by the longest activity: one saved after the page was
    first drawn, longer than any before, still shows (the bound is forgotten on save)."""
    client = client_for("secretariat")
    assert client.get("/activities/calendar/", {"month": "2027-09"}).status_code == 200
    ActivityFactory(
        title="Nine-month customs academy",
        status=Status.SCHEDULED,
        start_date=datetime.date(2027, 1, 15),
        end_date=datetime.date(2027, 10, 15),
    )
    for month in ("2027-01", "2027-06", "2027-10"):
        assert (
            "Nine-month customs academy"
            in client.get("/activities/calendar/", {"month": month}).content.decode()
        )
    assert (
        "Nine-month customs academy"
        not in client.get("/activities/calendar/", {"month": "2027-11"}).content.decode()
    )


def test_calendar_list_view(client_for, workshops):
    response = client_for("rocb.ap").get("/activities/calendar/", {"month": "2027-03", "view": "list"})
    titles = [activity.title for activity in response.context["object_list"]]
    assert titles[:2] == ["Regional workshop on AEO", "National workshop in Kenya"]


def test_ical_feeds_for_subscribers(client, workshops):
    ap, esa = workshops
    ap.start_date = datetime.date.today() + datetime.timedelta(days=10)
    ap.end_date = ap.start_date
    ap.save()
    response = client.get("/activities/calendar/office/rocb-ap.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in response.content and b"Regional workshop on AEO" in response.content
    region_feed = client.get("/activities/calendar/region/esa.ics").content
    assert (
        b"National workshop in Kenya" not in region_feed
    )  # proposed: not announced to anonymous subscribers
    assert client.get("/activities/calendar/region/atlantis.ics").status_code == 404


def test_dashboard_counts_and_csv_download(client_for, workshops):
    ap, _esa = workshops
    ParticipationFactory(activity=ap)
    ParticipationFactory(activity=ap, person__gender="male")
    client = client_for("rocb.ap")
    charts = client.get("/activities/dashboard/").context["charts"]  # an ROCB officer starts on their region
    assert dict(zip(charts["gender"]["labels"], charts["gender"]["values"], strict=True)) == {
        "Female": 1,
        "Male": 1,
    }
    assert charts["kind"]["values"] == [1]
    assert charts["donor"]["labels"] == ["Not funded by a donor"]
    response = client.get("/activities/dashboard/", {"scope": "region:ap", "chart": "gender"})
    assert response["Content-Type"].startswith("text/csv")
    assert "Female,1" in response.content.decode()
    assert client.get("/activities/dashboard/", {"scope": "planet:mars"}).status_code == 404
    assert client.get("/activities/dashboard/", {"chart": "nope"}).status_code == 404


def test_dashboard_uses_the_vendored_chart_library(client_for):
    import re

    body = client_for("secretariat").get("/activities/dashboard/").content.decode()
    # Every script from the app's own static files (a random CSRF token may spell "cdn").
    scripts = re.findall(r'<script[^>]*\ssrc="([^"]+)"', body)
    assert "/static/vendor/chart-4.5.1.umd.min.js" in scripts
    assert all(src.startswith("/static/") for src in scripts), scripts
