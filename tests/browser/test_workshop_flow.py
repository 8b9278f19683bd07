"""An ROCB officer runs a workshop from a member's request to certificates, in a real browser."""

import datetime
import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.services import user_create
from activities.models import Activity, ServiceItem
from activities.services import request_submit
from network.models import Member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def japan_request(network_server):
    japan = Member.objects.get(iso_alpha2="JP")
    focal = user_create(
        username="focal.japan", password="cbhub-demo-2026", role=Role.FOCAL_POINT, member=japan
    )
    return request_submit(
        user=focal,
        member=japan,
        service=ServiceItem.objects.get(code="train-the-trainers"),
        need_statement="Trainers for risk management courses.",
        urgency="high",
    )


@pytest.fixture
def nominations_file(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["first_name", "last_name", "email", "member", "gender", "role"])
    sheet.append(["Mei", "Tanaka", "mei.tanaka@customs.example", "JP", "female", "participant"])
    sheet.append(["Ravi", "Patel", "ravi.patel@customs.example", "IN", "male", "participant"])
    path = tmp_path / "nominations.xlsx"
    workbook.save(path)
    return path


def test_request_to_certificate(page, sign_in, japan_request, nominations_file, tmp_path):
    sign_in("rocb.ap")
    start = datetime.date.today() + datetime.timedelta(days=20)

    # 1. The member's request becomes a regional workshop.
    page.goto(japan_request.get_absolute_url())
    page.get_by_label("Title").fill("Regional train-the-trainers workshop on risk management")
    page.get_by_label("Kind").select_option("regional_workshop")
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_label("End date").fill((start + datetime.timedelta(days=4)).isoformat())
    page.get_by_role("button", name="Accept", exact=True).click()
    expect(
        page.get_by_role("heading", name="Regional train-the-trainers workshop on risk management")
    ).to_be_visible()
    workshop_url = page.url

    # 2. Through approval, funding and scheduling (the budget and city first).
    page.get_by_label("New status").select_option("approved")
    page.get_by_role("button", name="Change status").click()
    expect(page.locator("#activity-status")).to_have_text("Approved")
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Budget", exact=True).fill("42000")
    page.locator("#id_budget_currency + .ts-wrapper .ts-control").click()  # a searchable select
    expect(page.locator("#id_budget_currency-ts-dropdown")).to_be_visible()  # keys typed before are lost
    page.keyboard.type("EUR")
    expect(page.locator("#id_budget_currency-ts-dropdown .option.active")).to_have_text("EUR · Euro")
    page.keyboard.press("Enter")
    expect(page.locator("#id_budget_currency")).to_have_value("EUR")
    page.get_by_label("City").fill("Tokyo")
    page.get_by_role("button", name="Save").click()
    for status, label in (("funded", "Funded"), ("scheduled", "Scheduled")):
        page.get_by_label("New status").select_option(status)
        page.get_by_role("button", name="Change status").click()
        expect(page.locator("#activity-status")).to_have_text(label)

    # 3. Nominations from an XLSX file: preview, then import.
    page.get_by_role("link", name="Import nominations").click()
    page.get_by_label("CSV or Excel file").set_input_files(str(nominations_file))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("2 rows are ready to import.")).to_be_visible()
    page.get_by_role("button", name="Import all rows").click()
    expect(page.get_by_text("2 rows imported.")).to_be_visible()
    expect(page.locator("#participants")).to_contain_text("Mei Tanaka")

    # 4. Attendance: refused before the workshop starts, then saved in place once it has begun,
    # and the certificate link appears without a reload.
    page.get_by_label("Attendance of Mei Tanaka").select_option("attended")
    expect(page.get_by_role("alert")).to_contain_text("The activity has not started")
    Activity.objects.filter(pk=int(workshop_url.rstrip("/").rsplit("/", 1)[1])).update(
        start_date=datetime.date.today(), end_date=datetime.date.today() + datetime.timedelta(days=4)
    )
    page.reload()
    page.get_by_label("Attendance of Mei Tanaka").select_option("attended")
    expect(page.get_by_role("status").filter(has_text="Saved: Attended")).to_be_visible()
    expect(page.get_by_role("link", name="PDF")).to_have_count(1)
    page.reload()
    expect(page.get_by_label("Attendance of Mei Tanaka")).to_have_value("attended")

    # 5. The certificate.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF").click()
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    assert re.match(r"certificate-\d+-Tanaka\.pdf", download.suggested_filename)

    # A focal point of another region sees the workshop but not its participants.
    page.context.clear_cookies()
    sign_in("focal.kenya")
    page.goto(workshop_url)
    expect(
        page.get_by_role("heading", name="Regional train-the-trainers workshop on risk management")
    ).to_be_visible()
    expect(page.get_by_text("No participants that you can see.")).to_be_visible()
    expect(page.get_by_text("Mei Tanaka")).to_have_count(0)
