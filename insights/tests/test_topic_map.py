"""The topic map: each topic's figures equal what the lists show, the gaps are named, a gap becomes a
proposed workshop in one click, and bad years are refused clearly."""

import csv
import datetime
import io

import pytest

from activities.models import Activity, Status
from activities.tests.factories import ActivityFactory, ParticipationFactory
from core.tests.test_query_counts import count_queries
from network.models import Member, Region
from surveys.models import Need, Response, Wave
from surveys.tests.factories import template
from topics.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    """In Asia/Pacific, 2025: the first topic needed by two administrations and never delivered; the
    second delivered twice (three participants attended one) with no accredited expert."""
    region = Region.objects.get(code="A/P")
    needed, taught = list(Topic.objects.filter(parent__isnull=False).order_by("position", "slug")[:2])
    wave = Wave.objects.create(
        questionnaire=template("regional_needs_yearly"),
        stage="yearly_needs",
        region=region,
        year=2025,
        audience="region_focal_points",
        opens_on="2025-01-10",
        closes_on="2025-03-10",
    )
    for code in ("JP", "TH"):
        member = Member.objects.get(iso_alpha2=code)
        response = Response.objects.create(
            wave=wave,
            version=wave.questionnaire.versions.get(),
            role="focal_point",
            member=member,
            status="submitted",
        )
        Need.objects.create(region=region, year=2025, member=member, topic=needed, response=response)
    for month in (3, 6):
        activity = ActivityFactory(
            status=Status.DELIVERED,
            start_date=datetime.date(2025, month, 1),
            end_date=datetime.date(2025, month, 3),
        )
        activity.topics.add(taught)
    for _ in range(3):
        ParticipationFactory(activity=activity, attendance="attended")
    ParticipationFactory(activity=activity, attendance="absent")
    return {"region": region, "needed": needed, "taught": taught}


def rows_of(client, topics, **query):
    page = client.get(
        "/insights/topics/", {"region": topics["region"].slug, "from": "2025", "to": "2025", **query}
    )
    assert page.status_code == 200
    return page, {row.topic.pk: row for row in page.context["rows"]}


def test_the_figures_of_each_topic(topics, client_for):
    page, rows = rows_of(client_for("rocb.ap"), topics)
    needed, taught = rows[topics["needed"].pk], rows[topics["taught"].pk]
    assert (needed.needs, needed.delivered, needed.levels["needs"]) == (2, 0, 4)
    assert (taught.delivered, taught.trained, taught.experts) == (2, 3, 0)
    # The cell's figure is the count of the list it links to.
    activities = Activity.objects.filter(
        region=topics["region"],
        topics=topics["taught"],
        start_date__year=2025,
        status__in=[Status.DELIVERED, Status.EVALUATED, Status.CLOSED],
    )
    assert activities.count() == taught.delivered


def test_the_gaps_are_named_in_words(topics, client_for):
    _page, rows = rows_of(client_for("rocb.ap"), topics)
    assert rows[topics["needed"].pk].gaps == ["needed but not delivered"]
    assert "taught but no expert of the region accredited on it" in rows[topics["taught"].pk].gaps


def test_a_gap_becomes_a_proposed_workshop_in_one_click(topics, client_for):
    client = client_for("rocb.ap")
    page, _rows = rows_of(client, topics)
    assert "Propose a workshop" in page.content.decode()
    response = client.post(
        "/surveys/needs/",
        {
            "region": topics["region"].slug,
            "year": "2025",
            "topic": str(topics["needed"].pk),
            "kind": "regional_workshop",
            "title": f"Regional workshop on {topics['needed'].label_en}",
        },
    )
    activity = Activity.objects.get(title=f"Regional workshop on {topics['needed'].label_en}")
    assert response.url == activity.get_absolute_url() and activity.status == Status.PROPOSED
    assert {member.iso_alpha2 for member in activity.beneficiary_members.all()} == {"JP", "TH"}


def test_the_csv_has_a_row_per_topic(topics, client_for):
    response = client_for("rocb.ap").get(
        "/insights/topics/", {"region": topics["region"].slug, "from": "2025", "to": "2025", "export": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == Topic.objects.filter(parent__isnull=False).count() + 1
    assert [row for row in rows if row[0] == topics["needed"].label_en][0][1] == "2"


def test_other_regions_and_roles(topics, client_for):
    # An ROCB officer sees only their region's map; a donor none.
    page = client_for("rocb.ap").get("/insights/topics/", {"region": Region.objects.get(code="EUR").slug})
    assert page.context["region"].code == "A/P"
    assert client_for("donor").get("/insights/topics/").context["rows"] == []
    assert client_for(None).get("/insights/topics/").status_code == 302
    # A focal point of Kenya sees East and Southern Africa's map: no Asia/Pacific need in it.
    kenya = client_for("focal.kenya").get("/insights/topics/", {"from": "2025", "to": "2025"})
    assert kenya.context["region"].code == "ESA"
    assert all(row.needs == 0 for row in kenya.context["rows"])


@pytest.mark.parametrize(
    "query",
    [{"from": "abc"}, {"to": "99999999999"}, {"from": "2030", "to": "2020"}, {"from": "1900", "to": "2026"}],
)
def test_bad_years_get_a_clear_message(topics, client_for, query):
    page = client_for("rocb.ap").get("/insights/topics/", query)
    assert page.status_code == 400 and 'role="alert"' in page.content.decode()


def test_the_topic_map_runs_a_fixed_number_of_queries(topics, client_for):
    client = client_for("rocb.ap")
    url = f"/insights/topics/?region={topics['region'].slug}&from=2025&to=2025"
    before = count_queries(client, url)
    for month in (8, 9, 10):
        activity = ActivityFactory(
            status=Status.DELIVERED,
            start_date=datetime.date(2025, month, 1),
            end_date=datetime.date(2025, month, 2),
        )
        activity.topics.add(topics["needed"])
        ParticipationFactory(activity=activity, attendance="attended")
    assert count_queries(client, url) <= before
