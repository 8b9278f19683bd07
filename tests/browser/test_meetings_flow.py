"""A regional coordination meeting in a real browser, from decision to done: rocb.ap creates the next
A/P RTC heads meeting, adds an agenda item with a document, records a decision that tasks RTC
Japan; rtc.japan sees it in "our actions", links a workshop as evidence and marks it done; the next
meeting's matters arising show it done."""

import datetime

import pytest
from playwright.sync_api import expect

from activities.tests.factories import ActivityFactory
from knowledge.models import Document, Visibility
from meetings.models import ActionItem, Meeting
from network.models import Office, Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page, select_id: str, text: str) -> None:
    """Pick an option of a searchable select (Tom Select) as a user does: click, type, choose."""
    page.locator(f"#{select_id} + .ts-wrapper .ts-control").click()
    expect(page.locator(f"#{select_id}-ts-dropdown")).to_be_visible()
    page.keyboard.type(text)
    page.locator(f"#{select_id}-ts-dropdown .option", has_text=text).first.click()
    page.locator("h1").click()  # closes the dropdown, as a click elsewhere does


@pytest.fixture
def setting(network_server):
    region = Region.objects.get(code="A/P")
    japan = Office.objects.get(code="rtc-japan")
    report = Document.objects.create(
        title="E-learning in the A/P RTCs: survey results",
        kind="study",
        status="ready",
        region=region,
        visibility=Visibility.REGION,
        language="en",
        text="Survey of e-learning platforms in the regional training centres. " * 5,
    )
    workshop = ActivityFactory(
        title="Regional e-learning workshop for RTC trainers",
        region=region,
        lead_office=japan,
        status="delivered",
        start_date=datetime.date(2026, 10, 5),
        end_date=datetime.date(2026, 10, 7),
    )
    return {"region": region, "japan": japan, "report": report, "workshop": workshop}


def test_a_decision_becomes_an_action_followed_to_done(page, sign_in, setting):
    # 1. rocb.ap creates the next A/P RTC heads meeting.
    sign_in("rocb.ap")
    page.goto("/meetings/add/")
    page.get_by_label("Title").fill("18th Meeting of Heads of the A/P RTCs")
    page.get_by_label("Series").fill("Meeting of Heads of the A/P RTCs")
    page.get_by_label("Starts on").fill("2026-11-10")
    page.get_by_label("Ends on").fill("2026-11-12")
    page.locator("#main-form button[type=submit]").click()
    meeting = Meeting.objects.get(title="18th Meeting of Heads of the A/P RTCs")
    page.wait_for_url(f"**{meeting.get_absolute_url()}")

    # 2. An agenda item with a document.
    page.get_by_text("Add an agenda item").click()
    form = page.locator("#add-item-form")
    form.get_by_label("Title").fill("E-learning in the regional training centres")
    choose(page, "id_item_documents", "E-learning in the A/P RTCs")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("#agenda")).to_contain_text("E-learning in the regional training centres")
    item = meeting.items.get(title="E-learning in the regional training centres")
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("E-learning in the A/P RTCs: survey results")

    # 3. A decision that tasks RTC Japan.
    page.locator(f"#item-{item.pk}").get_by_text("Add a decision").click()
    decision_form = page.locator(f"#add-decision-form-{item.pk}")
    decision_form.get_by_label("Text (English)").fill(
        "The heads task RTC Japan to run an e-learning workshop."
    )
    decision_form.locator("button[type=submit]").click()
    expect(page.locator("#agenda")).to_contain_text("The heads task RTC Japan")
    decision = item.decisions.get()
    page.locator(f"#decision-{decision.pk}").get_by_role("button", name="Proposed").click()
    expect(page.locator(f"#decision-{decision.pk}").get_by_role("button", name="Adopted")).to_be_visible()
    page.locator(f"#decision-{decision.pk}").get_by_role("button", name="Adopted").click()
    expect(page.locator(f"#decision-{decision.pk}")).to_contain_text("Adopted")
    page.locator(f"#item-{item.pk}").get_by_text("Add an action").click()
    action_form = page.locator(f"#add-action-form-{item.pk}")
    action_form.get_by_label("What must be done").fill("Run a regional e-learning workshop for RTC trainers")
    choose(page, f"id_a{item.pk}_owners", "RTC Japan")
    action_form.get_by_label("Due on").fill("2026-12-31")
    action_form.locator("button[type=submit]").click()
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("Run a regional e-learning workshop")
    action = ActionItem.objects.get(meeting=meeting)
    page.context.clear_cookies()

    # 4. rtc.japan sees it in "our actions".
    sign_in("rtc.japan")
    page.goto("/meetings/actions/")
    expect(page.locator("#our-actions")).to_contain_text("Run a regional e-learning workshop")
    page.locator("#our-actions").get_by_role(
        "link", name="Run a regional e-learning workshop", exact=False
    ).first.click()

    # 5. It links the workshop as evidence and marks the action done.
    evidence = page.locator("#evidence-form")
    evidence.get_by_label("Activity").select_option(str(setting["workshop"].pk))
    evidence.locator("button[type=submit]").click()
    progress = page.locator("#progress-form")
    progress.get_by_label("Progress").fill("Workshop delivered in October with 24 trainers.")
    progress.get_by_label("Status").select_option("done")
    progress.locator("button[type=submit]").click()
    expect(page.locator("#action-status")).to_have_text("Done")
    action.refresh_from_db()
    assert action.activity_id == setting["workshop"].pk
    page.context.clear_cookies()

    # 6. The next meeting's matters arising show it done.
    sign_in("rocb.ap")
    page.goto("/meetings/add/")
    page.get_by_label("Title").fill("19th Meeting of Heads of the A/P RTCs")
    page.get_by_label("Series").fill("Meeting of Heads of the A/P RTCs")
    page.get_by_label("Starts on").fill("2027-11-09")
    page.get_by_label("Ends on").fill("2027-11-11")
    page.locator("#main-form button[type=submit]").click()
    arising = page.locator("#matters-arising")
    expect(arising).to_contain_text("Run a regional e-learning workshop for RTC trainers")
    expect(arising).to_contain_text("Done")
