"""The region's outputs in a real browser: rocb.ap follows a "researched but not yet taught" gap from
the home page to a proposed workshop, compiles the study paper of a delivered workshop and downloads
the DOCX, and generates the ROCB's annual report and downloads the PDF."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from activities.models import Activity, Status
from activities.tests.factories import ActivityFactory, ParticipationFactory
from conferences import services as conferences
from conferences.models import Conference, ConferenceKind, SubmissionStatus
from insights.models import AnnualReport
from jobs.queues import DatabaseQueue
from network.models import Office, Region
from topics.models import Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def region_year(network_server):
    """This year in Asia/Pacific: a delivered workshop with participants, and an accepted paper on a
    topic the region neither teaches nor plans."""
    region, year = Region.objects.get(code="A/P"), timezone.localdate().year
    workshop = ActivityFactory(
        title="Regional workshop on the HS 2027 amendments",
        status=Status.DELIVERED,
        start_date=datetime.date(year, 1, 12),
        end_date=datetime.date(year, 1, 14),
    )
    for _ in range(4):
        ParticipationFactory(activity=workshop, attendance="attended")
    topic = Topic.objects.filter(parent__isnull=False).order_by("-position", "slug").first()
    conference = Conference.objects.create(
        kind=ConferenceKind.PICARD, number=92, title="92nd PICARD", year=year
    )
    call = conferences.call_create(
        user=User.objects.get(username="secretariat"),
        conference=conference,
        data={
            "title": "Call",
            "abstract_deadline": timezone.now(),
            "paper_deadline": timezone.now(),
            "camera_ready_deadline": timezone.now(),
            "languages": ["en"],
        },
    )
    paper = call.submissions.create(
        title="What research says on it",
        abstract="A study.",
        status=SubmissionStatus.ACCEPTED_PAPER,
        decided_at=timezone.now(),
    )
    paper.topics.add(topic)
    return {"region": region, "year": year, "workshop": workshop, "topic": topic}


def test_from_a_research_gap_to_a_workshop_then_the_study_paper_and_the_annual_report(
    page, sign_in, region_year, tmp_path
):
    topic = region_year["topic"]
    # 1. A "researched but not yet taught" gap, followed to a proposed workshop.
    sign_in("rocb.ap")
    page.locator("#topic-map-link").click()
    gap = page.locator("#gaps li", has_text=topic.label_en)
    expect(gap).to_contain_text("researched but not yet taught")
    gap.locator("a.research-gap").click()
    section = page.locator(f"#gap-{topic.slug}")
    expect(section).to_contain_text("What research says on it")
    section.get_by_role("button", name="Propose a workshop").click()
    proposed = Activity.objects.filter(topics=topic, region=region_year["region"], status=Status.PROPOSED)
    expect(page.locator("h1")).to_be_visible()
    assert proposed.exists()

    # 2. The study paper of the delivered workshop, compiled as a job, downloaded as DOCX.
    page.goto(region_year["workshop"].get_absolute_url())
    page.locator("#study-paper-link").click()
    with page.expect_navigation():
        page.locator("#compile-study-paper").click()
    DatabaseQueue().work(burst=True)  # the worker process, run here
    page.reload()
    docx_link = page.locator("#study-paper-drafts").get_by_role("link", name="Word (DOCX)")
    expect(docx_link).to_be_visible(timeout=20_000)
    with page.expect_download() as download:
        docx_link.click()
    paper = tmp_path / "study-paper.docx"
    download.value.save_as(paper)
    from docx import Document as Word

    headings = [p.text for p in Word(str(paper)).paragraphs if p.style.name.startswith("Heading")]
    assert any("Background" in heading for heading in headings), headings

    # 3. The ROCB's annual report, generated as a job, downloaded as PDF.
    page.goto("/")
    page.locator("#annual-report-link").click()
    page.locator("#report-form").get_by_label("Year").fill(str(region_year["year"]))
    with page.expect_navigation():
        page.locator("#report-form button[type=submit]").click()
    DatabaseQueue().work(burst=True)  # the worker process, run here
    report = AnnualReport.objects.get(office=Office.objects.get(code="rocb-ap"), year=region_year["year"])
    assert report.job.status == "succeeded", (report.job.status, report.job.outcomes, report.job.message)
    expect(page.locator("#report-pdf")).to_be_visible(timeout=20_000)
    with page.expect_download() as download:
        page.locator("#report-pdf").click()
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    report = AnnualReport.objects.get(office=Office.objects.get(code="rocb-ap"), year=region_year["year"])
    assert report.figures["headline"]["participants"] == 4
