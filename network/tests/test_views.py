"""Registry pages: lists with filters, search and export; details with sources; edit and history."""

import csv
import io

import pytest

from network.models import Member, Office

pytestmark = pytest.mark.django_db


def test_office_list_filters_by_kind_and_region(client):
    response = client.get("/network/offices/", {"kind": "rtc", "region": "ap"})
    assert response.status_code == 200
    names = [obj.name for obj in response.context["object_list"]]
    assert "RTC Japan" in names and "RTC Kenya" not in names
    assert response.context["paginator"].count == 10


def test_member_list_search(client):
    response = client.get("/network/members/", {"q": "korea"})
    names = [obj.name for obj in response.context["object_list"]]
    assert names == ["Korea, Republic of"]


def test_an_invalid_filter_explains_itself_and_lists_nothing(client):
    response = client.get("/network/members/", {"region": "atlantis"})
    assert response.status_code == 400
    assert "Unknown region atlantis" in response.content.decode()
    assert response.context["paginator"].count == 0


def test_htmx_requests_get_only_the_results(client):
    response = client.get("/network/members/", {"region": "esa"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "Kenya" in body


def test_lists_paginate(client):
    response = client.get("/network/members/")
    assert response.context["is_paginated"]
    assert len(response.context["object_list"]) == 50


def test_csv_export_follows_the_filters(client):
    response = client.get("/network/members/", {"region": "wca", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:2] == ["Name", "ISO alpha-2"]
    assert len(rows) == 1 + Member.objects.filter(region__code="WCA").count()
    assert all(row[3] == "West and Central Africa" for row in rows[1:])


def test_detail_page_shows_sources_and_confidence(client):
    china = Office.objects.get(code="rtc-china")
    body = client.get(china.get_absolute_url()).content.decode()
    assert "Medium (inferred)" in body
    assert "needs checking by a curator" in body
    assert 'href="https://www.wcoomd.org' in body  # the cited source, linked


def test_edit_through_the_page_is_kept_in_the_history(client_for):
    client = client_for("rocb.ap")
    japan = Member.objects.get(iso_alpha2="JP")
    page = client.get(f"/network/members/{japan.pk}/edit/")
    data = {**page.context["form"].initial, "notes": "Checked against the 2026 annual report."}
    data = {key: ("" if value is None else value) for key, value in data.items()}
    data["region"] = japan.region_id
    response = client.post(f"/network/members/{japan.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    japan.refresh_from_db()
    assert japan.notes == "Checked against the 2026 annual report."
    history = client.get(f"/network/members/{japan.pk}/history/").content.decode()
    assert "ROCB officer, Asia/Pacific" in history and "Checked against the 2026 annual report." in history
    assert "rocb.ap" not in history  # public history names the role and scope, not the account


def test_edit_form_errors_are_shown_and_nothing_is_saved(client_for):
    client = client_for("secretariat")
    japan = Member.objects.get(iso_alpha2="JP")
    response = client.post(f"/network/members/{japan.pk}/edit/", {"name": "", "iso_alpha2": "JP"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    japan.refresh_from_db()
    assert japan.name == "Japan"


def test_region_page_lists_its_offices_and_members(client):
    response = client.get("/network/regions/", {"q": "asia"})
    region = response.context["object_list"][0]
    body = client.get(region.get_absolute_url()).content.decode()
    assert "RTC Japan" in body and "ROCB Asia/Pacific" in body and "Korea, Republic of" in body


def test_committee_page_lists_its_seats(client):
    response = client.get("/network/committees/", {"q": "RTC co-ordination"})
    committee = response.context["object_list"][0]
    body = client.get(committee.get_absolute_url()).content.decode()
    assert "RTC Malaysia" in body


def test_unknown_ids_are_404(client):
    assert client.get("/network/members/999999/").status_code == 404
    assert client.get("/network/members/999999/history/").status_code == 404
