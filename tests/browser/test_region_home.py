"""The region's home in a real browser: rocb.ap opens it, goes to the topic map, and turns a
"needed but not delivered" gap into a proposed workshop in one click."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity, Status
from network.models import Member, Region
from surveys import services
from surveys.models import Need, Response, Wave
from surveys.tests.factories import template
from topics.models import Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def needed_topic(network_server):
    services.templates_load()
    region = Region.objects.get(code="A/P")
    year = timezone.localdate().year
    topic = Topic.objects.filter(parent__isnull=False).order_by("position", "slug").first()
    wave = Wave.objects.create(
        questionnaire=template("regional_needs_yearly"),
        stage="yearly_needs",
        region=region,
        year=year,
        audience="region_focal_points",
        opens_on=f"{year}-01-10",
        closes_on=f"{year}-03-10",
    )
    for code in ("JP", "TH", "VN"):
        member = Member.objects.get(iso_alpha2=code)
        response = Response.objects.create(
            wave=wave,
            version=wave.questionnaire.versions.get(),
            role="focal_point",
            member=member,
            status="submitted",
        )
        Need.objects.create(region=region, year=year, member=member, topic=topic, response=response)
    return topic


def test_a_gap_on_the_region_home_becomes_a_proposed_workshop(page, sign_in, needed_topic):
    sign_in("rocb.ap")
    expect(page.locator("#needs")).to_contain_text(needed_topic.label_en)
    expect(page.locator("#needs")).to_contain_text("not yet answered")
    page.locator("#topic-map-link").click()
    gap = page.locator("#gaps li", has_text=needed_topic.label_en)
    expect(gap).to_contain_text("needed but not delivered")
    gap.get_by_role("button", name="Propose a workshop").click()
    activity = Activity.objects.get(title=f"Regional workshop on {needed_topic.label_en}")
    expect(page).to_have_url(f"{page.url.split('/activities/')[0]}/activities/{activity.pk}/")
    assert activity.status == Status.PROPOSED
    assert set(activity.beneficiary_members.values_list("iso_alpha2", flat=True)) == {"JP", "TH", "VN"}
    # Back on the home page, the need now counts as answered by a planned activity.
    page.goto("/")
    expect(page.locator("#needs")).to_contain_text("answered by an activity")
