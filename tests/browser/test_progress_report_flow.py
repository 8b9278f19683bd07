"""A programme's progress report in a real browser: rocb.ap drafts this year's report, marks a risk
of the log and submits it; the Secretariat approves it (the DOCX and the PDF are written by a job);
the donor funding the programme reads the approved report and downloads the PDF."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from activities.models import Programme, Project
from activities.tests.factories import ActivityFactory, ParticipationFactory, PersonFactory
from funding.models import Donor, FundingAgreement
from jobs.queues import DatabaseQueue
from network.models import Office
from results import reports, services
from results.models import Level, ProgressReport, ReportStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def programme(network_server, settings, tmp_path):
    """A programme of ROCB A/P funded by the demo donor (120,000 EUR), with an outcome indicator
    (women trained: four of a target of five this year, at risk) and a risk in its log."""
    settings.MEDIA_ROOT = tmp_path
    year = timezone.localdate().year
    rocb = User.objects.get(username="rocb.ap")
    programme = Programme.objects.create(
        code="ap-risk",
        title="Risk management programme, Asia/Pacific",
        lead_office=Office.objects.get(code="rocb-ap"),
        start_date=datetime.date(year - 1, 1, 1),
        end_date=datetime.date(year + 1, 12, 31),
    )
    project = Project.objects.create(programme=programme, code="ap-risk-1", title="Phase 1")
    workshop = ActivityFactory(
        project=project,
        status="delivered",
        start_date=datetime.date(year, 1, 10),
        end_date=datetime.date(year, 1, 12),
    )
    for _ in range(4):
        ParticipationFactory(activity=workshop, person=PersonFactory(gender="female"), attendance="attended")
    donor = Donor.objects.get_or_create(name="Donor of the demo user")[0]
    FundingAgreement.objects.create(
        donor=donor,
        programme=programme,
        title="Risk grant",
        currency="EUR",
        amount_committed=120000,
        signed_on=datetime.date(year - 1, 1, 1),
    )
    User.objects.filter(username="donor").update(donor=donor)
    goal = services.result_save(
        user=rocb, programme=programme, data={"level": Level.GOAL, "statement_en": "Risk is managed"}
    )
    outcome = services.result_save(
        user=rocb,
        programme=programme,
        data={"level": Level.OUTCOME, "parent": goal, "code": "1", "statement_en": "Officers target risk"},
    )
    women = services.indicator_save(
        user=rocb,
        result=outcome,
        data={"title_en": "Women trained", "measure": "participants_trained", "measure_gender": "female"},
    )
    services.target_set(user=rocb, indicator=women, year=year, value="5")
    risk = reports.risk_save(
        user=rocb,
        programme=programme,
        data={"description": "Trained officers are posted elsewhere", "likelihood": 2, "impact": 3},
    )
    return {"programme": programme, "risk": risk, "year": year}


def test_rocb_drafts_the_secretariat_approves_and_the_donor_downloads_the_pdf(
    page, sign_in, programme, tmp_path
):
    year, risk = programme["year"], programme["risk"]
    programme = programme["programme"]

    # 1. rocb.ap drafts this year's report from the results framework.
    sign_in("rocb.ap")
    page.goto(f"/results/programmes/{programme.pk}/")
    page.locator("#progress-reports-link").click()
    form = page.locator("#report-create-form")
    form.get_by_label("Year").fill(str(year))
    form.get_by_label("Period").select_option("")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("#report-state")).to_have_text("Draft")
    expect(page.locator("#indicator-table")).to_contain_text("at risk")
    expect(page.locator("#budget-table")).to_contain_text("120,000.00")

    # 2. A risk of the log is marked more likely, with its mitigation.
    page.locator(f"#edit-risk-{risk.pk}").click()
    risk_form = page.locator("#main-form")
    risk_form.get_by_label("Likelihood (1–5)").select_option("4")
    risk_form.get_by_label("Mitigation").fill("Train a second officer in each administration")
    with page.expect_navigation():
        risk_form.locator("button[type=submit]").click()
    row = page.locator(f"#report-risk-{risk.pk}")
    expect(row).to_contain_text("Train a second officer")
    expect(row.locator("td").nth(2)).to_have_text("12")  # 4 × 3

    # 3. The narrative, then submitted.
    page.locator("#id_narrative").fill("Four women officers trained; one more planned.")
    with page.expect_navigation():
        page.locator("#submit-report").click()
    expect(page.locator("#report-state")).to_have_text("Submitted for approval")
    expect(page.locator("#approve-report")).to_have_count(0)  # not by who submitted it
    report = ProgressReport.objects.get(programme=programme, year=year)
    assert report.snapshot["risks"][0]["score"] == 12

    # 4. The Secretariat approves it; the worker writes the documents.
    page.context.clear_cookies()
    sign_in("secretariat")
    page.goto(report.get_absolute_url())
    expect(page.locator("#narrative-text")).to_contain_text("Four women officers trained")
    with page.expect_navigation():
        page.locator("#approve-report button").click()
    expect(page.locator("#report-state")).to_have_text("Approved")
    DatabaseQueue().work(burst=True)  # the worker process, run here
    job = reports.report_job(report)
    assert job.status == "succeeded", (job.status, job.outcomes, job.message)
    expect(page.locator("#report-pdf")).to_be_visible(timeout=20_000)  # the page polled the job

    # 5. The donor reads the approved report and downloads the PDF.
    page.context.clear_cookies()
    sign_in("donor")
    page.goto(report.get_absolute_url())
    expect(page.locator("#report-state")).to_have_text("Approved")
    expect(page.locator("#indicator-table")).to_contain_text("Women trained")
    expect(page.locator("#narrative-form")).to_have_count(0)
    with page.expect_download() as download:
        page.locator("#report-pdf").click()
    path = tmp_path / "progress-report.pdf"
    download.value.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    from pypdf import PdfReader

    text = " ".join(page_.extract_text() for page_ in PdfReader(str(path)).pages)
    assert "Four women officers trained" in text and "120,000.00" in text
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.APPROVED
