"""Staffing a diagnostic mission in a real browser: the ROCB picks from the shortlist, the expert
accepts, the home administration releases them, the beneficiary rates them, and the expert's
profile shows the mission and the rating."""

import datetime

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.services import user_create
from activities.models import ActivityKind, Status
from activities.tests.factories import ActivityFactory, PersonFactory
from experts.models import (
    AccreditationStatus,
    Deployment,
    ExpertLanguage,
    ExpertProfile,
    Pool,
    PoolKind,
    Slot,
)
from network.models import Member, Office

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mission(network_server):
    japan, philippines = Member.objects.get(iso_alpha2="JP"), Member.objects.get(iso_alpha2="PH")
    user_create(username="focal.japan", password="cbhub-demo-2026", role=Role.FOCAL_POINT, member=japan)
    user_create(
        username="focal.philippines", password="cbhub-demo-2026", role=Role.FOCAL_POINT, member=philippines
    )
    pool = Pool.objects.create(
        code="diagnostic-flow", name="Diagnostic facilitators", kind=PoolKind.DIAGNOSTIC
    )
    secretariat_user = user_create(username="sec.flow", password="x", role=Role.SECRETARIAT)
    for index, (last, years) in enumerate([("Sato", 20), ("Suzuki", 14), ("Takahashi", 9)]):
        account = user_create(username=f"expert.{last.lower()}", password="cbhub-demo-2026", role=Role.EXPERT)
        person = PersonFactory(member=japan, first_name="Ken", last_name=last, user=account)
        profile = ExpertProfile.objects.create(
            person=person,
            home_member=japan,
            region=japan.region,
            current_post="Head of risk management",
            expertise="Risk management and post-clearance audit diagnostics." if index < 2 else "Valuation.",
            years_experience=years,
        )
        ExpertLanguage.objects.create(profile=profile, language="en", level="fluent")
        profile.accreditations.create(
            pool=pool, status=AccreditationStatus.ACCREDITED, nominated_by=secretariat_user
        )
    activity = ActivityFactory(
        title="Diagnostic mission on risk management",
        kind=ActivityKind.DIAGNOSTIC_MISSION,
        status=Status.SCHEDULED,
        lead_office=Office.objects.get(code="rocb-ap"),
        host_member=philippines,
        start_date=datetime.date.today(),
        end_date=datetime.date.today() + datetime.timedelta(days=4),
        languages="en",
        objectives="Assess the risk management and post-clearance audit functions.",
    )
    Slot.objects.create(activity=activity, role="lead", pool=pool, language="en")
    return activity


def test_staffing_a_mission_from_shortlist_to_rating(page, sign_in, mission):
    # 1. rocb.ap opens the mission, then its slot, and picks the second candidate (reasons shown).
    sign_in("rocb.ap")
    page.goto(mission.get_absolute_url())
    page.locator("#expert-slots a").first.click()
    candidates = page.locator("#shortlist li.candidate")
    expect(candidates.nth(1)).to_be_visible()
    expect(candidates.nth(1).locator(".reasons")).not_to_be_empty()
    candidates.nth(1).get_by_role("button", name="Propose").click()
    page.get_by_role("button", name="Invite the expert").click()
    expect(page.locator("#deployment-status")).to_have_text("Invited")
    deployment = Deployment.objects.get()
    assert deployment.profile.person.last_name in {"Sato", "Suzuki", "Takahashi"}
    assert deployment.slot.picks.get().rank == 2
    expert = deployment.profile.person.user.username

    # 2. The expert accepts, from what waits for them.
    sign_in(expert)
    page.goto("/experts/waiting/")
    page.locator("#waiting a").first.click()
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("#deployment-status")).to_have_text("Accepted by the expert")

    # 3. The home administration's focal point releases them.
    sign_in("focal.japan")
    page.goto("/experts/waiting/")
    page.locator("#waiting a").first.click()
    page.get_by_role("button", name="Release the expert").click()
    expect(page.locator("#deployment-status")).to_have_text("Released by the administration")

    # The organisers confirm and record the delivery.
    sign_in("rocb.ap")
    page.goto(deployment.get_absolute_url())
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("button", name="Record the delivery").click()
    expect(page.locator("#deployment-status")).to_have_text("Delivered")

    # 4. After delivery, the beneficiary rates the expert.
    sign_in("focal.philippines")
    page.goto("/experts/waiting/")
    page.locator("#waiting a").first.click()
    form = page.locator("#rate-form")
    form.get_by_label("Technical knowledge").select_option("5")
    form.get_by_label("Communication").select_option("4")
    form.get_by_label("Preparation").select_option("4")
    form.get_by_label("Fit with the administration").select_option("5")
    form.get_by_label("Comments").fill("Clear findings; the team adopted the risk matrix.")
    form.get_by_role("button", name="Save the rating").click()
    expect(page.locator("#deployment-status")).to_have_text("Evaluated")

    # 5. The expert's profile shows the mission and the rating.
    sign_in(expert)
    page.goto("/experts/me/")
    table = page.locator("#deployments")
    expect(table).to_contain_text("Diagnostic mission on risk management")
    expect(table).to_contain_text("4.5/5")
