"""Experts' pages run a fixed number of queries, however many experts, pools and deployments."""

import pytest

from activities.tests.factories import PersonFactory
from core.tests.test_query_counts import count_queries
from experts.models import (
    AccreditationStatus,
    Deployment,
    DeploymentStatus,
    Evaluation,
    ExpertLanguage,
    SlotRole,
)
from experts.tests.factories import ExpertProfileFactory, MissionFactory, PoolFactory, SlotFactory
from network.models import Member

pytestmark = pytest.mark.django_db

PAGES = [
    "/experts/",
    "/experts/?accredited=true&language=en",
    "/experts/?export=csv",
    "/experts/{expert}/",
    "/experts/pools/",
    "/experts/pools/{pool}/",
    "/experts/slots/{slot}/",
    "/experts/deployments/{deployment}/",
    "/experts/waiting/",
    "/experts/add/",
    "/activities/{activity}/",
    "/api/experts/profiles/",
    "/api/experts/deployments/",
    "/api/experts/accreditations/",
    "/api/experts/slots/{slot}/shortlist/",
]


def add_experts(pool, mission, secretariat, count=12):
    members = list(Member.objects.filter(region__code="A/P").exclude(iso_alpha2="PH")[:6])
    for index in range(count):
        profile = ExpertProfileFactory(person=PersonFactory(member=members[index % len(members)]))
        ExpertLanguage.objects.create(profile=profile, language="en", level="fluent")
        ExpertLanguage.objects.create(profile=profile, language="fr", level="working")
        profile.accreditations.create(
            pool=pool, status=AccreditationStatus.ACCREDITED, nominated_by=secretariat
        )
        slot = SlotFactory(activity=mission, role=SlotRole.CO_FACILITATOR)
        deployment = Deployment.objects.create(
            slot=slot,
            profile=profile,
            status=DeploymentStatus.EVALUATED,
            proposed_by=secretariat,
            start_date=mission.start_date,
            end_date=mission.end_date,
        )
        Evaluation.objects.create(
            deployment=deployment,
            kind="organiser",
            evaluator=secretariat,
            technical=4,
            communication=4,
            preparation=4,
            fit=4,
            recommendation="same",
        )
    return profile


@pytest.mark.parametrize("template", PAGES)
def test_query_count_does_not_grow_with_experts(client_for, user_named, template):
    secretariat = user_named("secretariat")
    pool = PoolFactory(code="qc-pool")
    mission = MissionFactory()
    open_slot = SlotFactory(activity=mission, role=SlotRole.LEAD, pool=pool)
    expert = add_experts(pool, mission, secretariat, count=2)
    deployment = Deployment.objects.filter(profile=expert).first()
    url = template.format(
        expert=expert.pk, pool=pool.pk, slot=open_slot.pk, deployment=deployment.pk, activity=mission.pk
    )
    client = client_for("secretariat")
    before = count_queries(client, url)
    add_experts(pool, mission, secretariat, count=12)
    assert count_queries(client, url) <= before, url


@pytest.mark.parametrize("username", ["rocb.ap", "focal.kenya"])
def test_profiles_api_reads_private_fields_with_the_rows(client_for, user_named, username):
    """Whether each profile's contact details may be shown is read with the rows, for the roles
    that see some profiles' private fields and not others' (was two queries per profile)."""
    secretariat = user_named("secretariat")
    pool = PoolFactory(code="qc-private")
    mission = MissionFactory()
    add_experts(pool, mission, secretariat, count=2)
    client = client_for(username)
    before = count_queries(client, "/api/experts/profiles/")
    add_experts(pool, mission, secretariat, count=12)
    assert count_queries(client, "/api/experts/profiles/") <= before
