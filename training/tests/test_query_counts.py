"""The training pages run a fixed number of queries however many products, sessions, participants
and completions they show (no N+1), for the roles that use them, anonymous included."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.tests.factories import ActivityFactory, ParticipationFactory, PersonFactory
from network.models import Member
from topics.models import Topic
from training import services
from training.models import (
    Competency,
    CompetencyArea,
    CompetencyFramework,
    Completion,
    Institution,
    RecognitionApplication,
)
from training.tests.test_products import offered

pytestmark = pytest.mark.django_db

PAGES = [
    "/training/",
    "/training/?language=en&kind=technical",
    "/training/products/{product}/",
    "/training/regions/ap/matrix/?from=2015&to=2026",
    "/training/frameworks/{framework}/",
    "/training/completions/",
    "/api/training/products/",
    "/api/training/sessions/",
    "/api/training/completions/",
    "/training/recognition/",
    "/training/recognition/applications/",
    "/api/training/recognitions/",
    "/activities/{activity}/",
]
ROLES = ["secretariat", "rocb.ap", "rtc.japan", "focal.kenya", "researcher", None]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(captured)


@pytest.fixture
def world(user_named):
    framework = CompetencyFramework.objects.create(code="counts-ps", name="Standards")
    area = CompetencyArea.objects.create(
        framework=framework, code="OP.1", level="operational", name="Revenue"
    )
    competency = Competency.objects.create(area=area, code="OP.1.1", name="Classification")
    topic = Topic.objects.order_by("pk").first()
    product = offered(user_named, topics=[topic], competencies=[competency])
    return {"framework": framework, "competency": competency, "topic": topic, "product": product}


def add_rows(world, user_named, n):
    rtc = user_named("rtc.japan")
    thailand = Member.objects.get(iso_alpha2="TH")
    for index in range(n):
        other = offered(
            user_named,
            title=f"Another product {index}",
            topics=[world["topic"]],
            competencies=[world["competency"]],
        )
        for product in (world["product"], other):
            activity = ActivityFactory(
                lead_office=product.owner_office,
                status="delivered",
                start_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=index),
            )
            services.session_link(user=rtc, activity=activity, product=product)
            ParticipationFactory(
                activity=activity, person=PersonFactory(member=thailand), attendance="attended"
            )
        institution = Institution.objects.create(
            name=f"University {index}", kind="university", country=thailand
        )
        RecognitionApplication.objects.create(
            institution=institution,
            framework=world["framework"],
            programme=f"Customs programme {index}",
            curriculum="Courses",
            applicant=user_named("researcher"),
            status="recognised",
            reasons="Covers the standards.",
            decided_on=datetime.date(2025, 1, 1),
            expires_on=datetime.date(2035, 1, 1),
        )
        Completion.objects.create(
            person=PersonFactory(member=thailand),
            member=thailand,
            product=other,
            status="completed",
            source="import",
        )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("template", PAGES)
def test_query_count_does_not_grow(client_for, user_named, world, template, role):
    activity = ActivityFactory(lead_office=world["product"].owner_office, status="scheduled")
    url = template.format(product=world["product"].pk, framework=world["framework"].pk, activity=activity.pk)
    client = client_for(role)
    add_rows(world, user_named, 1)
    before = count_queries(client, url)
    add_rows(world, user_named, 4)
    assert count_queries(client, url) == before, url
