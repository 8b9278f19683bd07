"""The home page of each office: its part of the network at a glance, and nothing of anyone else's."""

import datetime

import pytest
from django.utils import timezone

from activities.models import Nomination, Status
from activities.tests.factories import ActivityFactory, PersonFactory
from core.tests.test_query_counts import count_queries
from network.models import Member, Office
from surveys.models import Need, Response, Wave
from surveys.tests.factories import template
from topics.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def region_year(user_named):
    """This year in Asia/Pacific: a delivered and a planned ROCB workshop, one led by RTC Japan, a
    pending nomination; Kenya's need of a topic in East and Southern Africa."""
    today = timezone.localdate()
    this_year = datetime.date(today.year, 1, 10)
    delivered = ActivityFactory(
        title="Delivered AP workshop",
        status=Status.DELIVERED,
        start_date=this_year,
        end_date=this_year + datetime.timedelta(days=2),
    )
    ActivityFactory(
        title="Planned AP workshop",
        status=Status.SCHEDULED,
        start_date=today + datetime.timedelta(days=3),
        end_date=today + datetime.timedelta(days=4),
    )
    ActivityFactory(
        title="Japan RTC course",
        status=Status.DELIVERED,
        lead_office=Office.objects.get(code="rtc-japan"),
        start_date=this_year,
        end_date=this_year,
    )
    Nomination.objects.create(
        activity=delivered,
        person=PersonFactory(),
        member=Member.objects.get(iso_alpha2="JP"),
        nominated_by=user_named("rocb.ap"),
    )
    kenya = Member.objects.get(iso_alpha2="KE")
    wave = Wave.objects.create(
        questionnaire=template("regional_needs_yearly"),
        stage="yearly_needs",
        region=kenya.region,
        year=today.year,
        audience="region_focal_points",
        opens_on=this_year,
        closes_on=this_year,
    )
    response = Response.objects.create(
        wave=wave,
        version=wave.questionnaire.versions.get(),
        role="focal_point",
        member=kenya,
        status="submitted",
    )
    Need.objects.create(
        region=kenya.region,
        year=today.year,
        member=kenya,
        topic=Topic.objects.filter(parent__isnull=False).first(),
        response=response,
    )
    return delivered


def test_an_rocb_officers_home_is_the_region_at_a_glance(region_year, client_for):
    page = client_for("rocb.ap").get("/")
    html = page.content.decode()
    assert page.status_code == 200 and page.templates[0].name == "insights/home.html"
    assert page.context["home"].delivered == 2 and page.context["home"].planned == 1
    assert "Planned AP workshop" in html  # coming
    assert 'id="waiting"' in html and "Nominations to decide" in html
    assert "RTC Japan" in html  # the region's offices


def test_an_rtc_coordinators_home_is_its_centre(region_year, client_for):
    home = client_for("rtc.japan").get("/").context["home"]
    assert home.delivered == 1 and home.planned == 0
    assert home.scope.office.code == "rtc-japan"


def test_a_focal_points_home_shows_nothing_of_another_administration(region_year, client_for):
    home = client_for("focal.kenya").get("/").context["home"]
    assert home.scope.member.iso_alpha2 == "KE"
    assert home.delivered == 0 and home.coming == []  # the Asia/Pacific activities are not Kenya's
    assert [need.members for need in home.needs] == [["Kenya"]]
    assert home.waiting == []


@pytest.mark.parametrize("username", ["secretariat", "expert", "researcher", "donor", None])
def test_other_roles_get_the_general_home_page(region_year, client_for, username):
    page = client_for(username).get("/")
    assert page.status_code == 200 and page.templates[0].name == "core/home.html"


@pytest.mark.parametrize("username", ["rocb.ap", "rtc.japan", "focal.kenya"])
def test_the_home_page_runs_a_fixed_number_of_queries(region_year, client_for, username):
    client = client_for(username)
    before = count_queries(client, "/")
    for index in range(5):
        ActivityFactory(
            title=f"More {index}",
            status=Status.DELIVERED,
            start_date=region_year.start_date,
            end_date=region_year.end_date,
        )
    assert count_queries(client, "/") <= before
