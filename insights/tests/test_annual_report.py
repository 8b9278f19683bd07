"""The annual report of an office: generated as a job, its figures equal to the dashboard's and the
lists' for the same office and year, read back from its DOCX and PDF, approved and published to the
knowledge base, and generated only by the office itself or the Secretariat."""

import datetime
import io

import pytest
from django.urls import reverse

from activities.models import Activity
from activities.tests.factories import ActivityFactory, ParticipationFactory, PersonFactory
from insights.annual_report import annual_figures, report_generate
from insights.models import AnnualReport, ReportStatus
from jobs.models import JobStatus
from jobs.services import job_run
from knowledge.models import Document, DocumentKind
from network.models import Member, Office

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def year_of_work(db):
    """ROCB A/P's 2025: two delivered workshops (five present, three of them women), one proposed,
    one of 2024 (outside the year), and one of RTC Japan."""
    japan, thailand = Member.objects.get(iso_alpha2="JP"), Member.objects.get(iso_alpha2="TH")
    delivered = []
    for month in (3, 9):
        activity = ActivityFactory(
            status="delivered",
            start_date=datetime.date(YEAR, month, 1),
            end_date=datetime.date(YEAR, month, 3),
        )
        activity.beneficiary_members.set([japan, thailand] if month == 3 else [japan])
        delivered.append(activity)
    for gender, attendance in (
        [("female", "attended")] * 3 + [("male", "attended")] * 2 + [("male", "absent")]
    ):
        ParticipationFactory(
            activity=delivered[0], person=PersonFactory(gender=gender), attendance=attendance
        )
    ActivityFactory(
        status="proposed", start_date=datetime.date(YEAR, 11, 1), end_date=datetime.date(YEAR, 11, 2)
    )
    ActivityFactory(
        status="delivered", start_date=datetime.date(YEAR - 1, 5, 1), end_date=datetime.date(YEAR - 1, 5, 2)
    )
    ActivityFactory(
        status="delivered",
        lead_office=Office.objects.get(code="rtc-japan"),
        start_date=datetime.date(YEAR, 6, 1),
        end_date=datetime.date(YEAR, 6, 2),
    )
    return {"rocb": Office.objects.get(code="rocb-ap"), "delivered": delivered}


def _generated(client, office, year=YEAR):
    response = client.post(reverse("insights:report_list"), {"office": office.pk, "year": year})
    assert response.status_code == 302, response.content.decode()[:1500]
    report = AnnualReport.objects.get(office=office, year=year)
    job = job_run(report.job_id)
    assert job.status == JobStatus.SUCCEEDED, job.outcomes
    report.refresh_from_db()
    return report


def test_the_reports_figures_equal_the_dashboards_and_the_lists(year_of_work, client_for, user_named):
    rocb = client_for("rocb.ap")
    report = _generated(rocb, year_of_work["rocb"])
    figures = report.figures
    slug = year_of_work["rocb"].region.slug
    dashboard = rocb.get(reverse("activities:dashboard"), {"scope": f"region:{slug}", "year": YEAR})
    assert dashboard.status_code == 200
    assert figures["headline"] == dashboard.context["headline"]
    # The region's year: its two workshops and RTC Japan's (the region's RTCs are the region's).
    assert figures["headline"]["delivered"] == 3 and figures["headline"]["participants"] == 5
    assert figures["headline"]["administrations"] == 2 and figures["headline"]["women"] == 60
    charts = dashboard.context["charts"]
    for name in ("kind", "status", "topic", "member", "gender", "donor"):
        assert figures["charts"][name]["values"] == charts[name]["values"], name
    listed = rocb.get(
        reverse("activities:activity_list"),
        {
            "region": year_of_work["rocb"].region.slug,
            "start_after": f"{YEAR}-01-01",
            "start_before": f"{YEAR}-12-31",
        },
    )
    assert figures["total_activities"] == listed.context["paginator"].count, [
        (a.title, a.region_id, a.start_date) for a in listed.context["object_list"]
    ]
    assert figures["total_activities"] == 4
    assert figures == annual_figures(user_named("rocb.ap"), year_of_work["rocb"], YEAR)


def test_the_docx_and_the_pdf_hold_the_headings_tables_charts_and_figures(year_of_work, client_for):
    from docx import Document as Word
    from pypdf import PdfReader

    rocb = client_for("rocb.ap")
    report = _generated(rocb, year_of_work["rocb"])
    docx = rocb.get(reverse("insights:report_file", args=[report.pk, "docx"]))
    assert docx.status_code == 200
    word = Word(io.BytesIO(b"".join(docx.streaming_content)))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    for heading in (
        "Activities",
        "Administrations reached and participants",
        "Experts deployed",
        "Needs answered",
        "Meetings held and their actions",
        "Publications and research",
        "Funding by donor",
    ):
        assert heading in headings
    assert len(word.tables) >= 8 and len(word.inline_shapes) >= 3  # the charts
    cells = {cell.text for table in word.tables for row in table.rows for cell in row.cells}
    assert {"Participants", "5", "Administrations reached", "2"} <= cells
    pdf = rocb.get(reverse("insights:report_file", args=[report.pk, "pdf"]))
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages
    )
    words = " ".join(text.split())
    assert "Annual report 2025" in words and "Participants 5" in words
    assert "Women among participants (%) 60" in words and "Administrations reached 2" in words


def test_approving_publishes_the_report_to_the_knowledge_base(year_of_work, client_for):
    rocb = client_for("rocb.ap")
    report = _generated(rocb, year_of_work["rocb"])
    page = rocb.get(report.get_absolute_url()).content.decode()
    assert 'id="approve-report"' in page and 'id="report-pdf"' in page
    assert client_for(None).get(report.get_absolute_url()).status_code == 404  # a draft is the office's
    response = rocb.post(reverse("insights:report_approve", args=[report.pk]), follow=True)
    assert "published to the knowledge base" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    document = report.document
    assert document.kind == DocumentKind.ANNUAL_REPORT and document.visibility == "public"
    assert (
        document.region == year_of_work["rocb"].region
        and year_of_work["rocb"] in document.author_offices.all()
    )
    assert client_for(None).get(report.get_absolute_url()).status_code == 200
    again = rocb.post(reverse("insights:report_list"), {"office": year_of_work["rocb"].pk, "year": YEAR})
    assert again.status_code == 400 and "no longer changes" in again.content.decode()
    assert Document.objects.filter(kind=DocumentKind.ANNUAL_REPORT).count() == 1


def test_only_the_office_or_the_secretariat_generates_its_report(year_of_work, client_for, user_named):
    rocb_office = year_of_work["rocb"]
    for username in ("rtc.japan", "focal.kenya", "donor", "expert"):
        response = client_for(username).post(
            reverse("insights:report_list"), {"office": rocb_office.pk, "year": YEAR}
        )
        assert response.status_code == 400 and not AnnualReport.objects.exists(), username  # not a choice
    esa = Office.objects.get(kind="rocb", region__code="ESA")
    with pytest.raises(Exception, match="own annual report"):
        report_generate(user=user_named("rocb.ap"), office=esa, year=YEAR)
    japan = Office.objects.get(code="rtc-japan")
    report = _generated(client_for("rtc.japan"), japan)
    assert report.figures["headline"]["delivered"] == 1  # the activities RTC Japan leads
    assert client_for("rocb.ap").get(report.get_absolute_url()).status_code == 200  # its region's RTC
    assert client_for("focal.kenya").get(report.get_absolute_url()).status_code == 404
    assert client_for("secretariat").get(report.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("year", ["1999", "3000", "abc", "99999999999999999999"])
def test_bad_years_and_ids_get_a_clear_answer(year_of_work, client_for, year):
    rocb = client_for("rocb.ap")
    response = rocb.post(reverse("insights:report_list"), {"office": year_of_work["rocb"].pk, "year": year})
    assert response.status_code == 400 and not AnnualReport.objects.exists()
    assert rocb.get("/insights/reports/99999999999/").status_code == 404
    assert rocb.get("/insights/reports/abc/").status_code == 404
    assert client_for("rocb.ap").get(reverse("activities:dashboard"), {"year": "0"}).status_code == 400


def test_a_year_with_nothing_still_makes_a_report(db, client_for):
    Activity.objects.all().delete()
    report = _generated(client_for("rocb.ap"), Office.objects.get(code="rocb-ap"), year=2003)
    assert report.pdf and report.figures["total_activities"] == 0
