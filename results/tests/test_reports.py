"""Progress reports and the risk log: the lead office drafts and submits, another officer of the
region's ROCB or the Secretariat approves or returns, the donor reads only what is approved; the
indicator table, the risks and the budget are frozen when submitted; approving writes the DOCX and
the PDF as a job; bad input gets a clear answer."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from activities.models import Project
from activities.tests.factories import ActivityFactory
from funding.models import ExchangeRate, FundingAgreement
from jobs.services import job_run
from network.models import Office, Region
from results import reports, services
from results.models import ProgressReport, ReportStatus, Risk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def rocb(user_named):
    return user_named("rocb.ap")


@pytest.fixture
def colleague(db):
    """A second ROCB officer of Asia/Pacific: may approve what rocb.ap submits."""
    user = User.objects.create_user(
        username="rocb.ap.2", password="x", role=Role.ROCB_OFFICER, region=Region.objects.get(code="A/P")
    )
    return user


@pytest.fixture
def targets(framework, rocb):
    """2025: five women trained expected (three were: at risk), two manuals (two adopted: on track)."""
    services.target_set(user=rocb, indicator=framework["women"], year=2025, value="5")
    services.target_set(user=rocb, indicator=framework["manual"], year=2025, value="2")
    services.actual_record(user=rocb, indicator=framework["manual"], year=2025, value="2")
    return framework


@pytest.fixture
def dollars(programme):
    """A USD agreement (0.90 EUR a dollar from 2024) funding a 2025 activity of the programme that
    cost 8,000 of its 10,000 budget; the fixture's two activities (25,000 EUR each) fund no
    agreement."""
    ExchangeRate.objects.filter(currency="USD").delete()
    ExchangeRate.objects.create(currency="USD", valid_from=datetime.date(2024, 1, 1), eur_per_unit="0.9")
    agreement = FundingAgreement.objects.create(
        donor=FundingAgreement.objects.get(programme=programme).donor,
        programme=programme,
        title="Dollar grant",
        currency="USD",
        amount_committed=50000,
        amount_disbursed=20000,
        signed_on=datetime.date(2024, 6, 1),
    )
    ActivityFactory(
        project=Project.objects.get(programme=programme),
        funding_agreement=agreement,
        status="delivered",
        start_date=datetime.date(2025, 5, 1),
        end_date=datetime.date(2025, 5, 3),
        budget_amount=10000,
        budget_currency="USD",
        actual_cost=8000,
        actual_currency="USD",
    )
    return agreement


def _risk(programme, rocb, **data):
    values = {"description": "Trained auditors leave", "likelihood": 4, "impact": 3, **data}
    return reports.risk_save(user=rocb, programme=programme, data=values)


def _submitted(programme, rocb, year=2025):
    report = reports.report_create(user=rocb, programme=programme, year=year)
    reports.report_update(user=rocb, report=report, narrative="The first audits were carried out.")
    return reports.report_submit(user=rocb, report=report)


def _messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


# --- workflow and permissions --------------------------------------------------------------------


def test_the_lead_office_drafts_and_submits_another_officer_returns_then_the_secretariat_approves(
    programme, rocb, colleague, user_named
):
    donor, focal, rtc = user_named("donor"), user_named("focal.kenya"), user_named("rtc.japan")
    for outsider in (donor, focal, rtc):
        with pytest.raises(PermissionDenied):
            reports.report_create(user=outsider, programme=programme, year=2025)
    report = reports.report_create(user=rocb, programme=programme, year=2025)
    assert report.status == ReportStatus.DRAFT
    with pytest.raises(ValidationError, match="narrative"):
        reports.report_submit(user=rocb, report=report)
    reports.report_update(user=rocb, report=report, narrative="  Audits began.  ")
    report = reports.report_submit(user=rocb, report=report)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == rocb
    assert report.narrative == "Audits began."
    assert not ProgressReport.objects.restrict(donor).exists()  # not approved yet

    with pytest.raises(PermissionDenied, match="Another officer"):
        reports.report_approve(user=rocb, report=report)  # not one's own
    with pytest.raises(PermissionDenied):
        reports.report_approve(user=rtc, report=report)
    with pytest.raises(ValidationError):
        reports.report_update(user=rocb, report=report, narrative="Changed after submitting")
    with pytest.raises(ValidationError, match="must change"):
        reports.report_return(user=colleague, report=report, comments="   ")
    report = reports.report_return(user=colleague, report=report, comments="Say what the audits found.")
    assert report.status == ReportStatus.RETURNED

    reports.report_update(user=rocb, report=report, narrative="Audits began and found duties unpaid.")
    report = reports.report_submit(user=rocb, report=report)
    secretariat = user_named("secretariat")
    report = reports.report_approve(user=secretariat, report=report)
    assert report.status == ReportStatus.APPROVED and report.approved_by == secretariat
    assert report.approved_at is not None
    job = reports.report_job(report)
    assert job is not None and job.kind == reports.GENERATE and job.created_by == secretariat
    with pytest.raises(ValidationError, match="submitted"):
        reports.report_approve(user=secretariat, report=report)
    with pytest.raises(ValidationError):
        reports.report_update(user=rocb, report=report, narrative="Too late")

    assert list(ProgressReport.objects.restrict(donor)) == [report]
    assert not ProgressReport.objects.restrict(focal).exists()
    assert not Risk.objects.restrict(focal).exists()


def test_the_secretariat_may_approve_what_it_submitted_and_an_rocb_officer_elsewhere_may_not(
    programme, user_named
):
    secretariat = user_named("secretariat")
    report = _submitted(programme, secretariat)
    elsewhere = User.objects.create_user(
        username="rocb.af",
        password="x",
        role=Role.ROCB_OFFICER,
        region=Region.objects.exclude(code="A/P").first(),
    )
    assert not reports.may_approve(elsewhere, report)
    with pytest.raises(PermissionDenied):
        reports.report_approve(user=elsewhere, report=report)
    assert reports.report_approve(user=secretariat, report=report).status == ReportStatus.APPROVED


def test_periods_one_report_each_inside_the_programme_and_begun(programme, rocb):
    with pytest.raises(ValidationError, match="outside the programme"):
        reports.report_create(user=rocb, programme=programme, year=2031)
    with pytest.raises(ValidationError, match="from 2000 to 2100"):
        reports.report_create(user=rocb, programme=programme, year=99999)
    with pytest.raises(ValidationError, match="whole number"):
        reports.report_create(user=rocb, programme=programme, year="soon")
    with pytest.raises(ValidationError, match="quarter"):
        reports.report_create(user=rocb, programme=programme, year=2025, quarter=5)
    with pytest.raises(ValidationError, match="begun"):
        reports.report_create(user=rocb, programme=programme, year=2027)
    yearly = reports.report_create(user=rocb, programme=programme, year=2025)
    quarter = reports.report_create(user=rocb, programme=programme, year=2025, quarter=3)
    assert str(quarter).startswith("Progress report 2025 Q3")
    assert reports.period_bounds(2025, 3) == (datetime.date(2025, 7, 1), datetime.date(2025, 9, 30))
    assert reports.period_bounds(2025, 4)[1] == datetime.date(2025, 12, 31)
    for quarter_again in (None, 3):
        with pytest.raises(ValidationError, match="already has"):
            reports.report_create(user=rocb, programme=programme, year=2025, quarter=quarter_again)
    assert yearly.quarter is None


# --- the snapshot --------------------------------------------------------------------------------


def test_the_indicator_table_is_taken_when_submitted_with_each_status(targets, programme, rocb):
    report = reports.report_create(user=rocb, programme=programme, year=2025)
    live = {row["title_en"]: row for row in reports.report_contents(report)["indicators"]}
    assert live["Women trained"]["actual"] == "3.00" and live["Women trained"]["target"] == "5.00"
    assert live["Women trained"]["status"] == "at_risk"  # 3 of 5 from a baseline of 0: 0.6
    assert live["Audit manuals adopted"]["status"] == "on_track"
    reports.report_update(user=rocb, report=report, narrative="Three women trained of five.")
    report = reports.report_submit(user=rocb, report=report)
    snapshot = report.snapshot
    rows = {row["title_en"]: row for row in snapshot["indicators"]}
    assert [row["code"] for row in snapshot["indicators"]] == ["1", "1.1"]  # outcome, then its output
    assert rows["Women trained"]["computed"] is True
    assert [cell["year"] for cell in rows["Women trained"]["years"]] == [2024, 2025]
    import json

    json.dumps(snapshot)  # plain JSON
    # A later actual changes the framework, not the submitted report.
    services.actual_record(user=rocb, indicator=targets["manual"], year=2025, value="0")
    report.refresh_from_db()
    frozen = {row["title_en"]: row for row in reports.report_contents(report)["indicators"]}
    assert frozen["Audit manuals adopted"]["actual"] == "2.00"
    assert frozen["Audit manuals adopted"]["status"] == "on_track"


def test_the_risk_log_is_validated_kept_by_the_lead_office_and_taken_with_the_report(
    programme, rocb, user_named
):
    for bad in (0, 6, "high", None):
        with pytest.raises(ValidationError, match="1 to 5"):
            _risk(programme, rocb, likelihood=bad)
    with pytest.raises(ValidationError, match="1 to 5"):
        _risk(programme, rocb, impact=9)
    with pytest.raises(ValidationError):
        _risk(programme, rocb, description="   ")
    with pytest.raises(ValidationError, match="open or closed"):
        _risk(programme, rocb, status="forgotten")
    for outsider in ("donor", "focal.kenya", "rtc.japan"):
        with pytest.raises(PermissionDenied):
            _risk(programme, user_named(outsider))
    owner = Office.objects.get(code="rtc-japan")
    risk = _risk(programme, rocb, likelihood="5", mitigation="Retention bonus", owner=owner)
    assert (risk.likelihood, risk.impact, risk.score, risk.owner) == (5, 3, 15, owner)
    with pytest.raises(PermissionDenied):
        reports.risk_save(user=user_named("donor"), programme=programme, data={"impact": 1}, risk=risk)
    risk = reports.risk_save(user=rocb, programme=programme, data={"status": "closed"}, risk=risk)
    assert list(Risk.objects.restrict(user_named("donor"))) == [risk]  # the donor funds the programme
    report = _submitted(programme, rocb)
    [entry] = report.snapshot["risks"]
    assert entry["score"] == 15 and entry["status"] == "closed" and entry["owner"] == owner.name


def test_budget_against_spending_in_the_agreements_currency_and_in_euros(programme, dollars):
    budget = reports.budget_table(programme, 2025)
    lines = {line["agreement"]: line for line in budget["lines"]}
    usd = lines["Dollar grant"]
    assert usd["currency"] == "USD"
    assert usd["amounts"] == {
        "committed": "50000.00",
        "disbursed": "20000.00",
        "budgeted": "10000.00",
        "spent": "8000.00",
        "spent_in_period": "8000.00",
        "balance": "42000.00",
    }
    assert usd["eur"]["committed"] == "45000.00" and usd["eur"]["spent"] == "7200.00"
    assert usd["eur"]["balance"] == "37800.00"
    assert lines["Grant"]["eur"]["committed"] == "100000.00" and lines["Grant"]["eur"]["spent"] == "0.00"
    other = lines[""]
    assert other["agreement_id"] is None and other["eur"]["budgeted"] == "50000.00"
    assert budget["total_eur"]["committed"] == "145000.00"
    assert budget["total_eur"]["budgeted"] == "59000.00"
    assert budget["total_eur"]["spent"] == "7200.00"
    # Another year: the same totals to date, nothing spent within it.
    assert reports.budget_table(programme, 2024)["total_eur"]["spent_in_period"] == "0.00"
    # A quarter without the activity.
    assert reports.budget_table(programme, 2025, 1)["lines"][1]["eur"]["spent_in_period"] == "0.00"


def test_an_amount_without_a_rate_is_named_and_left_out_of_the_sums(programme, dollars):
    ActivityFactory(
        project=Project.objects.get(programme=programme),
        funding_agreement=dollars,
        start_date=datetime.date(2025, 6, 1),
        end_date=datetime.date(2025, 6, 2),
        budget_amount=1000000,
        budget_currency="JPY",
        actual_cost=500000,
        actual_currency="JPY",
    )
    budget = reports.budget_table(programme, 2025)
    assert budget["unconverted"] == ["JPY"]
    usd = next(line for line in budget["lines"] if line["agreement"] == "Dollar grant")
    assert usd["amounts"]["spent"] == "8000.00"
    assert "JPY" in reports.budget_note({"budget": budget})


# --- the documents -------------------------------------------------------------------------------


def test_approving_generates_the_docx_and_the_pdf_with_the_key_figures(
    targets, programme, rocb, dollars, user_named
):
    from docx import Document as Word
    from pypdf import PdfReader

    _risk(programme, rocb, mitigation="Retention bonus")
    report = _submitted(programme, rocb)
    report = reports.report_approve(user=user_named("secretariat"), report=report)
    assert not report.pdf
    job = job_run(reports.report_job(report).pk)
    assert job.status == "succeeded", (job.outcomes, job.message)
    assert job.result["report"] == report.pk
    report.refresh_from_db()
    assert report.docx.name.endswith("progress-report-ap-pca-2025.docx")

    with report.docx.open("rb") as handle:
        word = Word(io.BytesIO(handle.read()))
    headings = [
        p.text for p in word.paragraphs if p.style.name.startswith("Heading") or p.style.name == "Title"
    ]
    assert headings[0].startswith("Progress report 2025 of Post-clearance audit programme")
    for heading in ("Narrative", "Indicators against their targets", "Risk log", "Budget and spending"):
        assert heading in headings
    cells = [[cell.text for cell in row.cells] for table in word.tables for row in table.rows]
    assert ["1 Officers audit", "Women trained", "0", "5", "3", "at risk"] in cells
    assert any(row[0] == "Trained auditors leave" and row[3] == "12" for row in cells)
    assert [
        "Donor of the demo user: Dollar grant",
        "USD",
        "50,000.00",
        "20,000.00",
        "10,000.00",
        "8,000.00",
        "8,000.00",
        "42,000.00",
    ] in cells
    assert cells[-1][:3] == ["Total in euros", "EUR", "145,000.00"]

    with report.pdf.open("rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    for expected in (
        "The first audits were carried out.",
        "Women trained",
        "at risk",
        "Trained auditors leave",
        "45,000.00",
        "145,000.00",
        "37,800.00",
    ):
        assert expected in text, expected

    # Run again (a worker restarted): the files are replaced, not multiplied.
    reports.report_generate(user=user_named("secretariat"), report=report)
    job_run(reports.report_job(report).pk)
    report.refresh_from_db()
    assert report.pdf and report.docx


def test_the_documents_follow_the_approvers_language(programme, rocb, user_named):
    from django.utils import translation
    from docx import Document as Word

    report = _submitted(programme, rocb)
    with translation.override("fr"):
        reports.report_approve(user=user_named("secretariat"), report=report)
    job = job_run(reports.report_job(report).pk)
    assert job.status == "succeeded", job.outcomes
    report.refresh_from_db()
    with report.docx.open("rb") as handle:
        headings = [
            p.text for p in Word(io.BytesIO(handle.read())).paragraphs if p.style.name.startswith("Heading")
        ]
    assert "Registre des risques" in headings


def test_a_job_for_a_report_gone_or_not_approved_fails_cleanly(programme, rocb, user_named):
    from jobs.services import job_enqueue

    report = _submitted(programme, rocb)
    job = job_enqueue(kind=reports.GENERATE, payload={"report": report.pk}, user=rocb)
    assert job_run(job.pk).status == "partial"
    job = job_enqueue(kind=reports.GENERATE, payload={"report": 0}, user=rocb)
    assert job_run(job.pk).status == "partial"


# --- the pages -----------------------------------------------------------------------------------


def test_the_pages_from_draft_to_the_donors_download(targets, programme, dollars, client_for, user_named):
    rocb, secretariat, donor = client_for("rocb.ap"), client_for("secretariat"), client_for("donor")
    listing = reverse("results:report_list", args=[programme.pk])
    assert 'id="report-create-form"' in rocb.get(listing).content.decode()
    assert 'id="report-create-form"' not in donor.get(listing).content.decode()
    assert (
        'id="progress-reports-link"'
        in rocb.get(reverse("results:programme_results", args=[programme.pk])).content.decode()
    )
    response = rocb.post(listing, {"year": "2025", "quarter": ""})
    assert response.status_code == 302
    report = ProgressReport.objects.get(programme=programme, year=2025, quarter=None)
    page = rocb.get(report.get_absolute_url()).content.decode()
    assert 'id="narrative-form"' in page and 'id="live-figures"' in page and "at risk" in page
    assert "45,000.00" in page  # the dollar grant's commitment in euros
    assert donor.get(report.get_absolute_url()).status_code == 404
    assert client_for("focal.kenya").get(report.get_absolute_url()).status_code == 404

    add_risk = reverse("results:risk_add", args=[programme.pk]) + f"?report={report.pk}"
    assert rocb.get(add_risk).status_code == 200
    bad = rocb.post(
        add_risk, {"description": "Staff leave", "likelihood": "9", "impact": "3", "status": "open"}
    )
    assert bad.status_code == 400 and not Risk.objects.exists()
    added = rocb.post(
        add_risk, {"description": "Staff leave", "likelihood": "4", "impact": "3", "status": "open"}
    )
    assert added.status_code == 302 and added["Location"] == report.get_absolute_url()
    risk = Risk.objects.get()
    edit = reverse("results:risk_edit", args=[risk.pk])
    assert client_for("donor").get(edit).status_code == 403  # the donor reads the log, writes nothing
    assert client_for("focal.kenya").get(edit).status_code == 404
    rocb.post(
        edit + "?report=" + "9" * 30,
        {"description": "Staff leave", "likelihood": "5", "impact": "3", "status": "open"},
    )
    risk.refresh_from_db()
    assert risk.likelihood == 5

    submitted = rocb.post(
        reverse("results:report_submit", args=[report.pk]), {"narrative": "Audits began."}, follow=True
    )
    assert "submitted for approval" in _messages(submitted)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.narrative == "Audits began."
    own = rocb.post(reverse("results:report_approve", args=[report.pk]), follow=True)
    assert "Another officer" in _messages(own)
    page = secretariat.get(report.get_absolute_url()).content.decode()
    assert 'id="approve-report"' in page and 'id="narrative-form"' not in page
    empty = secretariat.post(
        reverse("results:report_return", args=[report.pk]), {"comments": ""}, follow=True
    )
    assert "What must change" in _messages(empty)
    secretariat.post(reverse("results:report_approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED

    pdf = reverse("results:report_file", args=[report.pk, "pdf"])
    assert donor.get(pdf).status_code == 404  # not written yet
    waiting = donor.get(report.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "Generating" in waiting
    job_run(reports.report_job(report).pk)
    page = donor.get(report.get_absolute_url()).content.decode()
    assert 'id="report-pdf"' in page and "hx-trigger" not in page and 'id="approve-report"' not in page
    download = donor.get(pdf)
    assert download.status_code == 200 and b"".join(download.streaming_content)[:5] == b"%PDF-"
    assert "progress-report-ap-pca-2025.pdf" in download["Content-Disposition"]
    assert donor.get(reverse("results:report_file", args=[report.pk, "exe"])).status_code == 404
    assert client_for("focal.kenya").get(pdf).status_code == 404


def test_bad_input_on_the_pages_gets_a_message_never_a_500(programme, client_for):
    rocb = client_for("rocb.ap")
    listing = reverse("results:report_list", args=[programme.pk])
    outside = rocb.post(listing, {"year": "2031"})
    assert outside.status_code == 400 and "outside the programme" in outside.content.decode()
    for values in ({"year": "x"}, {"year": "99999999999999999999"}, {"year": "2025", "quarter": "7"}):
        assert rocb.post(listing, values).status_code == 400
    rocb.post(listing, {"year": "2025"})
    twice = rocb.post(listing, {"year": "2025"})
    assert twice.status_code == 400 and "already has" in twice.content.decode()
    assert client_for("donor").post(listing, {"year": "2024"}).status_code == 403
    for url in (
        "/results/reports/abc/",
        "/results/reports/99999999999/",
        "/results/reports/99999999999999999999999/",
        "/results/reports/0/report.pdf",
        "/results/risks/99999999999/edit/",
        "/results/programmes/99999999999/reports/",
        "/results/programmes/99999999999/risks/add/",
    ):
        assert rocb.get(url).status_code == 404, url
    report = ProgressReport.objects.get()
    huge = rocb.post(
        reverse("results:report_narrative", args=[report.pk]), {"narrative": "x" * 60000}, follow=True
    )
    assert huge.status_code == 200 and "Narrative" in _messages(huge)
    hostile = rocb.get(reverse("results:risk_add", args=[programme.pk]) + "?report=" + "x" * 5000)
    assert hostile.status_code == 200
    assert client_for(None).get(report.get_absolute_url()).status_code == 302  # to sign in


def test_the_report_page_reads_in_french(targets, programme, dollars, rocb):
    from django.test import Client

    report = reports.report_create(user=rocb, programme=programme, year=2025)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(rocb)
    page = client.get(report.get_absolute_url()).content.decode()
    for french in ("Rapport d’avancement 2025", "Registre des risques", "Budget et dépenses", "à risque"):
        assert french in page, french
    assert "45\xa0000,00" in page  # the reader's digit grouping
