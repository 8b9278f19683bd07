"""Research into practice: the gaps of a region (topics with recent accepted papers and few of the
region's activities), a workshop proposed from a gap, who may see and propose, and the papers
closest to an activity on its page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.services import user_create
from activities.models import Activity, Status
from activities.tests.factories import ActivityFactory, PersonFactory
from conferences.bridge import Gap, closest_papers, research_gaps
from conferences.models import ActivityReading, Authorship, Submission, SubmissionStatus
from knowledge.embeddings import embed, to_bytes
from network.models import Member, Region
from topics.models import Topic

pytestmark = pytest.mark.django_db

URL = "/conferences/research-to-practice/"
PROPOSE = "/conferences/research-to-practice/propose/"


def accepted_paper(call, title, *topic_slugs, decided_days_ago=10, author=None, embedding=False):
    paper = Submission.objects.create(
        call=call,
        title=title,
        abstract=f"{title}: an abstract.",
        status=SubmissionStatus.ACCEPTED_PAPER,
        decided_at=timezone.now() - datetime.timedelta(days=decided_days_ago),
    )
    paper.topics.set(Topic.objects.filter(slug__in=topic_slugs))
    person = author or PersonFactory(member=Member.objects.get(iso_alpha2="TH"))
    Authorship.objects.create(submission=paper, person=person, affiliation_kind="administration")
    if embedding:
        paper.embedding = to_bytes(embed([f"{paper.title}\n\n{paper.abstract}"])[0])
        paper.save(update_fields=["embedding"])
    return paper


def gap_for(gaps, slug) -> Gap | None:
    return next((gap for gap in gaps if gap.topic.slug == slug), None)


@pytest.fixture
def ap():
    return Region.objects.get(code="A/P")


@pytest.fixture
def rocb_esa(db):
    return user_create(
        username="rocb.esa",
        password=None,
        role="rocb_officer",
        email="rocb.esa@example.org",
        region=Region.objects.get(code="ESA"),
    )


def test_a_topic_with_an_accepted_paper_and_no_workshop_is_a_gap(picard, ap):
    author = PersonFactory(first_name="Ana", last_name="Author", member=Member.objects.get(iso_alpha2="TH"))
    paper = accepted_paper(picard, "Joint border posts in the Mekong", "cbm", author=author)
    gap = gap_for(research_gaps(ap), "cbm")
    assert gap is not None
    assert gap.papers == [paper] and gap.workshops == 0 and gap.paper_count == 1
    assert author in gap.speakers


def test_a_topic_with_enough_workshops_is_no_gap(picard, ap):
    accepted_paper(picard, "Audit units in small administrations", "pca")
    workshop = ActivityFactory(region=ap, start_date=timezone.localdate() - datetime.timedelta(days=100))
    workshop.topics.add(Topic.objects.get(slug="pca"))
    assert gap_for(research_gaps(ap), "pca") is None
    # Another region's workshop, or a cancelled one, covers nothing here.
    workshop.status = Status.CANCELLED
    workshop.save()
    assert gap_for(research_gaps(ap), "pca").workshops == 0


def test_gaps_are_most_needed_first_and_old_papers_are_out_of_the_window(picard, ap):
    for n in range(3):
        accepted_paper(picard, f"Risk paper {n}", "risk-management")
    accepted_paper(picard, "Audit paper", "pca")
    accepted_paper(picard, "An old valuation paper", "valuation", decided_days_ago=365 * 5)
    gaps = research_gaps(ap)
    slugs = [gap.topic.slug for gap in gaps]
    assert slugs.index("risk-management") < slugs.index("pca")
    assert "valuation" not in slugs
    assert [paper.title for paper in gap_for(gaps, "risk-management").papers][0] == "Risk paper 2"
    assert len(research_gaps(ap, limit=1)) == 1


def test_gaps_run_a_fixed_number_of_queries(picard, ap, pool):
    from conferences.models import Assignment

    first = accepted_paper(picard, "Risk paper", "risk-management")
    Assignment.objects.create(submission=first, reviewer=pool[0])
    with CaptureQueriesContext(connection) as before:
        research_gaps(ap)
    for n in range(8):
        paper = accepted_paper(picard, f"More paper {n}", "risk-management", "pca", "cbm")
        Assignment.objects.create(submission=paper, reviewer=pool[n % 4])
    with CaptureQueriesContext(connection) as after:
        gaps = research_gaps(ap)
        speakers = [str(person) for gap in gaps for person in gap.speakers]
    assert len(after) == len(before)
    assert len(gap_for(gaps, "risk-management").papers) == 5 and len(speakers) <= 6 * len(gaps)


def test_the_rocb_sees_its_regions_gaps_and_proposes_a_workshop(picard, ap, client_for):
    paper = accepted_paper(picard, "Joint border posts in the Mekong", "cbm")
    client = client_for("rocb.ap")
    page = client.get(URL).content.decode()
    assert 'class="gap"' in page and "Joint border posts in the Mekong" in page
    assert "Propose a workshop" in page
    topic = Topic.objects.get(slug="cbm")
    response = client.post(PROPOSE, {"topic": topic.pk})
    activity = Activity.objects.get(readings__submission=paper)
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert activity.status == Status.PROPOSED and activity.region == ap
    assert list(activity.topics.all()) == [topic]
    assert ActivityReading.objects.filter(activity=activity, submission=paper).exists()
    assert "Joint border posts in the Mekong" in activity.objectives
    # The proposed workshop now covers the topic.
    assert gap_for(research_gaps(ap), "cbm") is None


def test_an_rocb_officer_of_another_region_can_neither_see_nor_propose_for_it(picard, rocb_esa, client):
    accepted_paper(picard, "Joint border posts in the Mekong", "cbm")
    client.force_login(rocb_esa)
    assert client.get(URL, {"region": "A/P"}).status_code == 403
    topic = Topic.objects.get(slug="cbm")
    assert client.post(PROPOSE, {"topic": topic.pk, "region": "A/P"}).status_code == 403
    assert not Activity.objects.filter(region__code="A/P", readings__isnull=False).exists()
    page = client.get(URL)
    assert page.status_code == 200 and page.context["region"].code == "ESA"
    # Proposing from their own page makes their own region's workshop.
    response = client.post(PROPOSE, {"topic": topic.pk})
    assert response.status_code == 302
    assert Activity.objects.get(readings__isnull=False).region.code == "ESA"


def test_the_secretariat_picks_a_region_and_bad_input_is_a_404(picard, client_for):
    accepted_paper(picard, "Joint border posts in the Mekong", "cbm")
    client = client_for("secretariat")
    response = client.get(URL, {"region": "A/P"})
    assert response.status_code == 200 and response.context["region"].code == "A/P"
    assert response.context["gaps"] and 'id="region-form"' in response.content.decode()
    assert client.get(URL).context["region"] == Region.objects.order_by("name", "pk").first()
    assert client.get(URL, {"region": "NOPE"}).status_code == 404
    assert client.post(PROPOSE, {"topic": "abc", "region": "A/P"}).status_code == 404
    assert client.post(PROPOSE, {"topic": "99999999", "region": "A/P"}).status_code == 404
    assert client.post(PROPOSE, {"topic": "1" * 40, "region": "A/P"}).status_code == 404
    assert (
        client.post(PROPOSE, {"topic": Topic.objects.get(slug="cbm").pk, "region": "NOPE"}).status_code == 404
    )
    # A topic that is no gap is refused with a message, nothing created.
    valuation = Topic.objects.get(slug="valuation")
    response = client.post(PROPOSE, {"topic": valuation.pk, "region": "A/P"}, follow=True)
    assert response.status_code == 200 and "already covered" in response.content.decode()
    assert not Activity.objects.filter(readings__isnull=False).exists()


def test_others_get_a_clear_message(picard, client_for):
    accepted_paper(picard, "Joint border posts in the Mekong", "cbm")
    for username in (None, "researcher", "expert"):
        response = client_for(username).get(URL)
        body = response.content.decode()
        assert response.status_code == 200 and 'id="not-for-you"' in body and 'class="gap"' not in body
    assert client_for("researcher").post(PROPOSE, {"topic": 1}).status_code == 403
    assert client_for(None).post(PROPOSE, {"topic": 1}).status_code == 302  # to sign in


def test_closest_papers_by_embedding(picard):
    activity = ActivityFactory(
        title="Regional workshop on post-clearance audit",
        objectives="Set up post-clearance audit units and select importers for audit after release.",
    )
    assert closest_papers(activity) == []
    accepted_paper(picard, "Post-clearance audit units in small administrations", "pca", embedding=True)
    accepted_paper(picard, "Gender equality in customs careers", "gender-diversity", embedding=True)
    accepted_paper(picard, "A paper with no embedding yet", "pca")
    draft = accepted_paper(picard, "A rejected audit paper", "pca", embedding=True)
    draft.status = SubmissionStatus.REJECTED
    draft.save()
    found = closest_papers(activity)
    titles = [paper.title for paper, _similarity in found]
    assert titles[0] == "Post-clearance audit units in small administrations"
    assert "A paper with no embedding yet" not in titles and "A rejected audit paper" not in titles
    assert found[0][1] > found[1][1] and -1 <= found[1][1] <= 1
    assert len(closest_papers(activity, limit=1)) == 1


def test_the_activity_page_shows_readings_and_closest_papers(picard, client_for, user_named):
    from conferences import services

    activity = ActivityFactory(
        title="Regional workshop on post-clearance audit", objectives="Post-clearance audit units."
    )
    close = accepted_paper(
        picard, "Post-clearance audit units in small administrations", "pca", embedding=True
    )
    reading = accepted_paper(picard, "Audit and risk: a reading", "pca", embedding=True)
    services.reading_add(user=user_named("secretariat"), activity=activity, submission=reading)
    client = client_for("secretariat")
    with CaptureQueriesContext(connection) as captured:
        body = client.get(activity.get_absolute_url()).content.decode()
    panel = body.split('id="activity-research"', 1)[1]
    assert "Audit and risk: a reading" in panel.split("Closest conference papers")[0]
    assert close.title in panel.split("Closest conference papers")[1]
    research = [query for query in captured if "conferences_" in query["sql"]]
    assert len(research) <= 3


def test_reviewers_are_speakers_only_for_those_who_may_know_them(picard, ap, pool, user_named):
    from conferences.models import Assignment

    paper = accepted_paper(picard, "Joint border posts in the Mekong", "cbm")
    Assignment.objects.create(submission=paper, reviewer=pool[1])
    reviewer = pool[1].person
    assert reviewer in gap_for(research_gaps(ap), "cbm").speakers
    assert reviewer in gap_for(research_gaps(ap, user=user_named("secretariat")), "cbm").speakers
    # The PICARD conference is the Secretariat's: an ROCB officer does not see who reviewed.
    speakers = gap_for(research_gaps(ap, user=user_named("rocb.ap")), "cbm").speakers
    assert reviewer not in speakers and paper.authorships.get().person in speakers
