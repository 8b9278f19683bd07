"""Research on the region's home and topic map: recent accepted papers on the topics the region works
on, the reviews an officer has to write, and "researched but not yet taught" named as a gap with the
way to a proposed workshop."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.tests.factories import ActivityFactory
from conferences import services as conferences
from conferences.models import Conference, ConferenceKind, SubmissionStatus
from conferences.tests.conftest import paper, person_with_account, picard, pool, reviewing, submitted  # noqa: F401 - fixtures
from network.models import Region
from topics.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(user_named):
    """An accepted paper on the topic of a planned A/P workshop, and one on a topic nobody teaches."""
    this_year = timezone.localdate().year
    conference = Conference.objects.create(
        kind=ConferenceKind.PICARD, number=91, title="91st PICARD", year=this_year
    )
    call = conferences.call_create(
        user=user_named("secretariat"),
        conference=conference,
        data={
            "title": "Call",
            "abstract_deadline": timezone.now(),
            "paper_deadline": timezone.now(),
            "camera_ready_deadline": timezone.now(),
            "languages": ["en"],
        },
    )
    needed, untaught = list(Topic.objects.filter(parent__isnull=False).order_by("position", "slug")[:2])
    region = Region.objects.get(code="A/P")
    ActivityFactory(
        region=region,
        status="proposed",
        start_date=datetime.date(this_year, 11, 2),
        end_date=datetime.date(this_year, 11, 4),
    ).topics.add(needed)
    papers = {}
    for topic, title in ((needed, "Audit units in small administrations"), (untaught, "Border AI pilots")):
        submission = call.submissions.create(
            title=title,
            abstract="A study.",
            status=SubmissionStatus.ACCEPTED_PAPER,
            decided_at=timezone.now(),
        )
        submission.topics.add(topic)
        papers[topic.slug] = submission
    return {"needed": needed, "untaught": untaught, "papers": papers, "region": region, "year": this_year}


def test_the_home_shows_recent_research_on_the_regions_topics(accepted, client_for):
    html = client_for("rocb.ap").get("/").content.decode()
    assert 'id="home-research"' in html
    assert "Audit units in small administrations" in html
    assert "Border AI pilots" not in html  # nobody in the region works on it or needs it
    other = client_for("focal.kenya").get("/").content.decode()
    assert "Audit units in small administrations" not in other


def test_researched_but_not_yet_taught_is_a_gap_with_the_way_to_a_workshop(accepted, client_for):
    rocb = client_for("rocb.ap")
    page = rocb.get(reverse("insights:topic_map"), {"region": accepted["region"].slug})
    assert page.status_code == 200
    rows = {row.topic.slug: row for row in page.context["rows"]}
    untaught = rows[accepted["untaught"].slug]
    assert untaught.research == 1 and "researched but not yet taught" in untaught.gaps
    html = page.content.decode()
    assert f"#gap-{accepted['untaught'].slug}" in html and 'class="research-gap"' in html
    # Once the region delivers an activity on it, the gap is gone.
    ActivityFactory(
        region=accepted["region"],
        status="delivered",
        start_date=datetime.date(accepted["year"], 1, 5),
        end_date=datetime.date(accepted["year"], 1, 6),
    ).topics.add(accepted["untaught"])
    again = rocb.get(reverse("insights:topic_map"), {"region": accepted["region"].slug})
    rows = {row.topic.slug: row for row in again.context["rows"]}
    assert "researched but not yet taught" not in rows[accepted["untaught"].slug].gaps
    exported = rocb.get(
        reverse("insights:topic_map"), {"region": accepted["region"].slug, "export": "csv"}
    ).content.decode()
    assert "Research papers" in exported.splitlines()[0]


def test_reviews_to_write_wait_on_an_officers_home(submitted, pool, reviewing, user_named, client_for):  # noqa: F811
    rocb = user_named("rocb.ap")
    person = person_with_account(rocb, "TH", first_name="Anong", last_name="Officer")
    reviewer = conferences.reviewer_add(
        user=user_named("secretariat"),
        conference=submitted.call.conference,
        person=person,
        data={"kind": "practitioner", "expertise": "Audit.", "languages": ["en"]},
    )
    conferences.assignment_add(user=user_named("secretariat"), submission=submitted, reviewer=reviewer)
    html = client_for("rocb.ap").get("/").content.decode()
    assert "Reviews to write" in html and reverse("conferences:my_reviews") in html
