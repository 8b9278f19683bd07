"""Key pages run a fixed number of queries, however many rows they show (no N+1)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.tests.factories import ActivityFactory, ParticipationFactory
from network.models import Committee, CommitteeMembership, Office, Region
from network.tests.factories import MemberFactory, OfficeFactory
from topics.models import Topic

pytestmark = pytest.mark.django_db

PAGES = [
    "/network/members/",
    "/network/offices/",
    "/network/regions/",
    "/network/committees/",
    "/network/map/",
    "/network/regions/{region}/",
    "/network/committees/{committee}/",
    "/accounts/users/",
    "/search/?q=e",  # matches every group before rows are added
    "/api/network/members/",
    "/api/network/offices/",
    "/api/network/committees/",
    "/api/accounts/users/",
    "/activities/",
    "/activities/?region=ap&kind=regional_workshop",
    "/activities/{activity}/",
    "/activities/calendar/?month=2027-03",
    "/activities/calendar/?month=2027-03&view=list",
    "/activities/dashboard/?scope=region:ap",
    "/activities/dashboard/",
    "/activities/services/",
    "/activities/programmes/",
    "/activities/participations/",
    "/activities/requests/",
    "/people/",
    "/topics/",
    "/api/activities/activities/",
    "/api/activities/participations/",
    "/api/people/people/",
]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def add_rows(region, committee, activity):
    for _ in range(15):
        member = MemberFactory(region=region, name="Test member")
        office = OfficeFactory(region=region, host_member=member, name="Test office")
        CommitteeMembership.objects.create(committee=committee, office=office)
        other = ActivityFactory(
            start_date=activity.start_date, end_date=activity.end_date, host_member=member
        )
        other.topics.add(*activity.topics.all())
        other.beneficiary_members.add(member)
        ParticipationFactory(activity=activity, person__member=member)
        ParticipationFactory(activity=other, person__member=member)


@pytest.mark.parametrize("template", PAGES)
def test_query_count_does_not_grow_with_rows(client_for, template):
    client = client_for("secretariat")
    region = Region.objects.get(code="A/P")
    committee = Committee.objects.get(code="rtc-coordination-meeting")
    activity = ActivityFactory(start_date=datetime.date(2027, 3, 10), end_date=datetime.date(2027, 3, 12))
    activity.topics.add(Topic.objects.get(slug="pca"))
    ParticipationFactory(activity=activity)
    url = template.format(region=region.pk, committee=committee.pk, activity=activity.pk)
    before = count_queries(client, url)
    add_rows(region, committee, activity)
    assert Office.objects.filter(name="Test office").count() == 15
    assert count_queries(client, url) == before
