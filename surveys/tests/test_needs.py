"""A region's needs: ranked by the administrations behind them, with the trend and the activities
that answer them, and "plan from needs" creating a proposed activity that keeps the link."""

import pytest

from activities.models import Activity, Status
from activities.tests.factories import ActivityFactory
from network.models import Member, Region
from surveys.models import ActivityNeed, Need, Response, Wave
from surveys.needs import regional_needs
from surveys.tests.factories import template
from topics.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs():
    """Asia/Pacific: risk management asked by three administrations this year (one last year),
    e-commerce by one administration twice; Europe's needs are not the region's."""
    region = Region.objects.get(code="A/P")
    topics = list(Topic.objects.filter(parent__isnull=False).order_by("pk")[:3])
    wave = Wave.objects.create(
        questionnaire=template("regional_needs_yearly"),
        stage="yearly_needs",
        region=region,
        year=2026,
        audience="region_focal_points",
        opens_on="2026-01-10",
        closes_on="2026-03-10",
    )
    version = template("regional_needs_yearly").versions.get()
    members = list(Member.objects.filter(region=region).order_by("name")[:3])

    def need(member, topic, year, weight=1.0, region=region):
        response = Response.objects.create(
            wave=wave, version=version, role="focal_point", member=member, status="submitted"
        )
        Need.objects.create(
            region=region, year=year, member=member, topic=topic, weight=weight, response=response
        )

    for member in members:
        need(member, topics[0], 2026)
    need(members[0], topics[0], 2025)
    need(members[1], topics[1], 2026, weight=3)
    need(members[1], topics[1], 2026, weight=3)
    europe = Member.objects.filter(region__code="EUR").first()
    need(europe, topics[2], 2026, region=europe.region)
    return {"region": region, "topics": topics, "members": members}


def test_needs_are_ranked_by_how_many_administrations_named_them(needs):
    rows = regional_needs(Need.objects.all(), region_id=needs["region"].pk, year_from=2026, year_to=2026)
    assert [row.topic_id for row in rows] == [needs["topics"][0].pk, needs["topics"][1].pk]
    first, second = rows
    assert (first.administrations, first.previous_administrations, first.trend) == (3, 1, 2)
    assert (second.administrations, second.weight) == (1, 6.0)
    assert sorted(first.members) == sorted(member.name for member in needs["members"])


def test_a_need_is_marked_answered_by_the_regions_activities_that_year(needs):
    topic = needs["topics"][0]
    delivered = ActivityFactory(status=Status.DELIVERED, start_date="2026-05-01", end_date="2026-05-03")
    delivered.topics.add(topic)
    ActivityFactory(status=Status.CANCELLED, start_date="2026-06-01", end_date="2026-06-03").topics.add(topic)
    rows = regional_needs(Need.objects.all(), region_id=needs["region"].pk, year_from=2026, year_to=2026)
    assert (rows[0].delivered, rows[0].planned, rows[0].answered) == (1, 0, True)
    assert not rows[1].answered


def test_the_needs_page_for_each_role(needs, client_for):
    slug = needs["region"].slug
    page = client_for("rocb.ap").get("/surveys/needs/", {"region": slug, "from": "2026", "to": "2026"})
    assert page.status_code == 200 and needs["topics"][0].label_en in page.content.decode()
    assert 'id="plan-form"' in page.content.decode()
    # A focal point of another region sees no Asia/Pacific needs.
    other = client_for("focal.kenya").get("/surveys/needs/", {"region": slug, "from": "2026", "to": "2026"})
    assert needs["topics"][0].label_en not in other.content.decode()
    for bad in ({"from": "abc"}, {"from": "2030", "to": "2020"}, {"to": "99999999999999"}):
        assert client_for("rocb.ap").get("/surveys/needs/", {"region": slug, **bad}).status_code == 400


def test_plan_from_needs_creates_a_proposed_activity_that_keeps_the_link(needs, client_for):
    topic = needs["topics"][0]
    response = client_for("rocb.ap").post(
        "/surveys/needs/",
        {
            "region": needs["region"].slug,
            "year": "2026",
            "topic": [str(topic.pk)],
            "title": "Risk management for the region",
            "kind": "regional_workshop",
        },
    )
    activity = Activity.objects.get(title="Risk management for the region")
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    assert activity.status == Status.PROPOSED and list(activity.topics.all()) == [topic]
    assert set(activity.beneficiary_members.all()) == set(needs["members"])
    assert ActivityNeed.objects.get(activity=activity).topic == topic
    rows = regional_needs(Need.objects.all(), region_id=needs["region"].pk, year_from=2026, year_to=2026)
    assert rows[0].planned_from_needs == 1


def test_only_the_regions_rocb_plans_from_its_needs(needs, client_for):
    response = client_for("rtc.japan").post(
        "/surveys/needs/",
        {
            "region": needs["region"].slug,
            "year": "2026",
            "topic": [str(needs["topics"][0].pk)],
            "title": "Mine",
            "kind": "regional_workshop",
        },
    )
    assert response.status_code == 302 and not Activity.objects.filter(title="Mine").exists()
