"""Programme results in a real browser: rocb.ap opens a programme, adds an outcome indicator computed
from "participants trained (women)" with a baseline and targets, and sees this year's actual fill in."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Programme, Project
from activities.tests.factories import ActivityFactory, ParticipationFactory, PersonFactory
from network.models import Office
from results import services
from results.models import Indicator, Level

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def programme(network_server):
    from accounts.models import User

    year = timezone.localdate().year
    programme = Programme.objects.create(
        code="ap-audit",
        title="Audit programme, Asia/Pacific",
        lead_office=Office.objects.get(code="rocb-ap"),
        start_date=datetime.date(year - 1, 1, 1),
        end_date=datetime.date(year + 1, 12, 31),
    )
    project = Project.objects.create(programme=programme, code="ap-audit-1", title="Phase 1")
    workshop = ActivityFactory(
        project=project,
        status="delivered",
        start_date=datetime.date(year, 1, 10),
        end_date=datetime.date(year, 1, 12),
    )
    for gender in ("female", "female", "female", "male"):
        ParticipationFactory(activity=workshop, person=PersonFactory(gender=gender), attendance="attended")
    rocb = User.objects.get(username="rocb.ap")
    goal = services.result_save(
        user=rocb, programme=programme, data={"level": Level.GOAL, "statement_en": "Audit works"}
    )
    services.result_save(
        user=rocb,
        programme=programme,
        data={"level": Level.OUTCOME, "parent": goal, "code": "1", "statement_en": "Officers audit better"},
    )
    return programme


def test_an_outcome_indicator_computed_from_women_trained_fills_in(page, sign_in, programme):
    year = timezone.localdate().year
    outcome = programme.results.get(level=Level.OUTCOME)
    sign_in("rocb.ap")
    page.goto(f"/results/programmes/{programme.pk}/")
    page.locator(f"#add-indicator-{outcome.pk}").click()
    form = page.locator("#main-form")
    form.get_by_label("Indicator (English)").fill("Women trained")
    form.get_by_label("Computed from").select_option("participants_trained")
    form.get_by_label("Gender").select_option("female")
    form.get_by_label("Baseline", exact=True).fill("0")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    indicator = Indicator.objects.get(title_en="Women trained")
    for target_year, value in ((year - 1, "2"), (year, "3"), (year + 1, "6")):
        target = page.locator("#target-form")
        target.get_by_label("Year").fill(str(target_year))
        target.get_by_label("Target").fill(value)
        with page.expect_navigation():
            target.locator("button[type=submit]").click()
    expect(page.locator(f"#year-{year} .actual")).to_have_text("3")
    expect(page.locator(f"#year-{year}")).to_contain_text("on track")
    assert indicator.targets.count() == 3
    page.goto(f"/results/programmes/{programme.pk}/")
    expect(page.locator(f"#indicator-{indicator.pk}")).to_contain_text("3 / 3")
