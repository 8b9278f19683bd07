"""PICARD in a real browser, practice to research and back: rocb.ap recommends a regional
good-practice report to the open call, its author completes the submission, the chair runs the
assignment and sees that no reviewer has a conflict, a reviewer reviews, the chair accepts, the
paper appears in the knowledge base, and the region's research-to-practice page proposes it as
reading for a workshop."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from activities.models import Activity
from activities.tests.factories import PersonFactory
from conferences import services
from conferences.models import Conference, Reviewer, Submission
from conferences.tests.conftest import docx_bytes
from jobs.queues import DatabaseQueue
from knowledge.models import Document, DocumentKind, Visibility
from network.models import Member, Region
from topics.models import Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_call(network_server):
    secretariat = User.objects.get(username="secretariat")
    conference = Conference.objects.create(
        kind="picard", number=99, title="99th PICARD Conference", year=2027
    )
    now = timezone.now()
    call = services.call_create(
        user=secretariat,
        conference=conference,
        data={
            "title": "PICARD 2027 call for papers",
            "abstract_deadline": now + datetime.timedelta(days=20),
            "paper_deadline": now + datetime.timedelta(days=40),
            "camera_ready_deadline": now + datetime.timedelta(days=90),
            "languages": ["en"],
        },
    )
    services.call_update(user=secretariat, call=call, data={"status": "open"})
    topic = Topic.objects.get(slug="cbm")
    author = PersonFactory(
        first_name="Rafael",
        last_name="Researcher",
        member=Member.objects.get(iso_alpha2="TH"),
        email="researcher@example.org",
        user=User.objects.get(username="researcher"),
    )
    report = Document.objects.create(
        title="Joint border posts in the Greater Mekong: a good practice",
        kind=DocumentKind.GOOD_PRACTICE,
        status="ready",
        region=Region.objects.get(code="A/P"),
        visibility=Visibility.REGION,
        language="en",
        text="Joint border posts bring customs, immigration and health agencies together. " * 8,
    )
    report.author_people.add(author)
    report.topics.add(topic)
    people = [
        (
            PersonFactory(
                first_name="Elena",
                last_name="Expert",
                member=Member.objects.get(iso_alpha2="ES"),
                user=User.objects.get(username="expert"),
            ),
            "practitioner",
            "",
        ),
        (PersonFactory(member=Member.objects.get(iso_alpha2="JP")), "academic", "University of Tokyo"),
        (PersonFactory(member=Member.objects.get(iso_alpha2="KE")), "practitioner", ""),
        (PersonFactory(member=Member.objects.get(iso_alpha2="TH")), "academic", "Chulalongkorn University"),
    ]
    for person, kind, institution in people:
        services.reviewer_add(
            user=secretariat,
            conference=conference,
            person=person,
            data={
                "kind": kind,
                "institution": institution,
                "languages": ["en"],
                "expertise": "Coordinated border management and joint border posts.",
            },
        )
    return {"call": call, "report": report, "topic": topic}


def test_from_a_regional_report_to_a_paper_and_back_to_a_workshop(page, sign_in, open_call, tmp_path):
    call, report = open_call["call"], open_call["report"]

    # 1. rocb.ap recommends the region's good-practice report to the open call.
    sign_in("rocb.ap")
    page.goto(f"/conferences/recommend/?document={report.pk}")
    page.get_by_label("Open call").select_option(str(call.pk))
    page.locator("#main-form button[type=submit]").click()
    expect(page.locator("#submission-status")).to_have_text("Draft")
    submission = Submission.objects.get(recommended_document=report)
    page.context.clear_cookies()

    # 2. The author completes it: uploads the full paper and submits.
    sign_in("researcher")
    page.goto(submission.get_absolute_url())
    paper = tmp_path / "joint-border-posts.docx"
    paper.write_bytes(
        docx_bytes(
            "Joint border posts in the Greater Mekong\n"
            "What three border crossings teach about coordinated border management."
        )
    )
    page.locator("#file-form input[type=file]").set_input_files(str(paper))
    page.locator("#file-form button[type=submit]").click()
    expect(page.locator("#files")).to_contain_text("joint-border-posts.docx")
    page.locator("#submit-button").click()
    expect(page.locator("#submission-status")).to_have_text("Submitted")
    page.context.clear_cookies()

    # 3. The chair starts reviewing, runs the assignment and sees that no reviewer has a conflict.
    sign_in("secretariat")
    page.goto(call.get_absolute_url())
    page.locator("button[data-phase=Reviewing]").click()
    expect(page.locator("#active-phase")).to_have_text("Reviewing")
    page.get_by_role("button", name="Assign reviewers automatically").click()
    DatabaseQueue().work(burst=True)
    expect(page.locator("#job-status")).to_have_text("Succeeded", timeout=20_000)
    page.goto(f"/conferences/calls/{call.pk}/assignments/")
    expect(page.locator("#conflict-summary")).to_have_text(
        "No assigned reviewer has a conflict with their paper."
    )
    assigned = set(submission.assignments.values_list("reviewer__person__last_name", flat=True))
    assert len(assigned) == 3 and "Expert" in assigned
    conflicted = Reviewer.objects.get(institution="Chulalongkorn University")
    assert not submission.assignments.filter(reviewer=conflicted).exists()  # same administration
    page.context.clear_cookies()

    # 4. A reviewer reviews.
    sign_in("expert")
    page.goto("/conferences/my/")
    page.locator("#my-assignments a").first.click()
    expect(page.locator("#authors-hidden")).to_be_visible()  # double-blind
    for label in (
        "Relevance to customs",
        "Originality",
        "Rigour",
        "Practical value",
        "Clarity",
        "Your confidence",
    ):
        page.get_by_label(label).select_option("4")
    page.get_by_label("Comments to the authors").fill("A clear account of practice.")
    page.locator("#submit-review").click()
    expect(page.locator("#my-review")).to_contain_text("Submitted on")
    page.context.clear_cookies()

    # 5. The chair accepts.
    sign_in("secretariat")
    page.goto(submission.get_absolute_url())
    expect(page.locator("#score-summary")).to_contain_text("Average 4.0")
    page.locator("#decision-form select[name=status]").select_option("accepted_paper")
    page.locator("#decision-form button[type=submit]").click()
    expect(page.locator("#submission-status")).to_have_text("Accepted as paper")

    # 6. The paper is in the knowledge base, public, and found by search.
    page.locator("#published-link").click()
    expect(page.locator("h1")).to_have_text("Joint border posts in the Greater Mekong: a good practice")
    page.context.clear_cookies()
    page.goto("/knowledge/?q=joint+border+posts+Mekong")
    expect(page.locator("main")).to_contain_text("Joint border posts in the Greater Mekong")

    # 7. On the region's research-to-practice page it is proposed as reading for a workshop.
    sign_in("rocb.ap")
    page.goto("/conferences/research-to-practice/")
    gap = page.locator(".gap", has_text="Coordinated border management").first
    expect(gap).to_contain_text("Joint border posts in the Greater Mekong")
    gap.get_by_role("button", name="Propose a workshop").click()
    activity = Activity.objects.get(readings__submission=submission)
    assert activity.status == "proposed" and activity.region.code == "A/P"
    expect(page.locator("h1")).to_contain_text(activity.title[:30])
