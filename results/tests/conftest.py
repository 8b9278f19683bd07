import datetime

import pytest

from activities.models import Programme, Project
from activities.tests.factories import ActivityFactory, ParticipationFactory, PersonFactory
from funding.models import Donor, FundingAgreement
from network.models import Member, Office
from results import services
from results.models import Level


@pytest.fixture
def programme(db, user_named):
    """ROCB A/P's programme of 2024–2027 funded by the demo donor, with a project whose 2025 workshop
    was delivered: five attended (three women), one absent; a 2025 workshop still proposed."""
    programme = Programme.objects.create(
        code="ap-pca",
        title="Post-clearance audit programme, Asia/Pacific",
        lead_office=Office.objects.get(code="rocb-ap"),
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    project = Project.objects.create(programme=programme, code="ap-pca-1", title="Phase 1")
    delivered = ActivityFactory(
        project=project,
        status="delivered",
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 3, 3),
    )
    delivered.beneficiary_members.set(
        [Member.objects.get(iso_alpha2="JP"), Member.objects.get(iso_alpha2="TH")]
    )
    for gender, attendance in (
        [("female", "attended")] * 3 + [("male", "attended")] * 2 + [("male", "absent")]
    ):
        ParticipationFactory(activity=delivered, person=PersonFactory(gender=gender), attendance=attendance)
    ActivityFactory(
        project=project,
        status="proposed",
        start_date=datetime.date(2025, 10, 1),
        end_date=datetime.date(2025, 10, 2),
    )
    donor = Donor.objects.get_or_create(name="Donor of the demo user")[0]
    FundingAgreement.objects.create(
        donor=donor,
        programme=programme,
        title="Grant",
        currency="EUR",
        amount_committed=100000,
        signed_on=datetime.date(2024, 1, 1),
    )
    donor_user = user_named("donor")
    donor_user.donor = donor
    donor_user.save(update_fields=["donor"])
    return programme


@pytest.fixture
def framework(programme, user_named):
    """A goal, an outcome with a computed indicator (women trained) and an output with a manual one."""
    rocb = user_named("rocb.ap")
    goal = services.result_save(
        user=rocb, programme=programme, data={"level": Level.GOAL, "statement_en": "Audit works"}
    )
    outcome = services.result_save(
        user=rocb,
        programme=programme,
        data={"level": Level.OUTCOME, "parent": goal, "code": "1", "statement_en": "Officers audit"},
    )
    output = services.result_save(
        user=rocb,
        programme=programme,
        data={"level": Level.OUTPUT, "parent": outcome, "code": "1.1", "statement_en": "Workshops"},
    )
    women = services.indicator_save(
        user=rocb,
        result=outcome,
        data={
            "title_en": "Women trained",
            "measure": "participants_trained",
            "measure_gender": "female",
            "baseline_value": 0,
        },
    )
    manual = services.indicator_save(
        user=rocb, result=output, data={"title_en": "Audit manuals adopted", "unit": "manuals"}
    )
    return {
        "goal": goal,
        "outcome": outcome,
        "output": output,
        "women": women,
        "manual": manual,
        "rocb": rocb,
    }
