"""Training products in a real browser: rtc.japan drafts a product with two modules and proposes it;
rocb.ap endorses it and the centre offers it; focal.kenya finds it in the catalogue and requests a
session; the request becomes an activity that delivers the product; the product's page shows the
session and its participants; rocb.ap's regional matrix shows the product in RTC Japan's column."""

import datetime

import pytest
from playwright.sync_api import expect

from activities import services as activity_services
from activities.models import AssistanceRequest
from activities.tests.factories import ParticipationFactory, PersonFactory
from network.models import Member, Office
from training.models import Product, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Tariff classification for front-line officers"


def choose_in_searchable(page, select_id, text):
    """Open a searchable select as a user does, and click the option."""
    page.locator(f"#{select_id} + .ts-wrapper .ts-control").click()
    expect(page.locator(f"#{select_id}-ts-dropdown")).to_be_visible()
    page.locator(f"#{select_id}-ts-dropdown .option", has_text=text).first.click()
    page.locator("h1").click()  # closes the dropdown, as a click elsewhere does


def test_a_product_from_draft_to_a_delivered_session(page, sign_in):
    # 1. The centre drafts the product, with two modules, and proposes it.
    sign_in("rtc.japan")
    page.goto("/training/")
    page.get_by_role("link", name="Add", exact=True).click()
    page.wait_for_url("**/training/products/add/")
    page.locator("#id_title").fill(TITLE)
    page.get_by_label("Kind").select_option("technical")
    page.get_by_label("Level").select_option("foundation")
    page.get_by_label("Duration (hours)").fill("24")
    page.get_by_label("In person").check()
    choose_in_searchable(page, "id_languages", "English")
    choose_in_searchable(page, "id_topics", "(HS) classification")
    page.get_by_label("Learning objectives").fill(
        "Classify common goods with the General Interpretative Rules."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    product = Product.objects.get(title=TITLE)
    for title, hours in (
        ("The General Interpretative Rules", "12"),
        ("Classifying textiles and machinery", "10"),
    ):
        page.locator("#add-module summary").click()
        form = page.locator("#module-form")
        form.locator("#id_title").fill(title)
        form.get_by_label("Hours").fill(hours)
        with page.expect_navigation():
            form.get_by_role("button", name="Add the module").click()
    expect(page.locator("#modules tbody tr")).to_have_count(2)
    with page.expect_navigation():
        page.get_by_role("button", name="Propose to the ROCB").click()
    expect(page.locator("#product-status")).to_contain_text("Proposed")

    # 2. The ROCB endorses it (it waits on its home page); the centre offers it.
    sign_in("rocb.ap")
    expect(page.get_by_role("link", name="Training products to endorse")).to_be_visible()
    page.goto(product.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("button", name="Endorse").click()
    expect(page.locator("#product-status")).to_contain_text("Endorsed")
    sign_in("rtc.japan")
    page.goto(product.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("button", name="Offer").click()
    expect(page.locator("#product-status")).to_contain_text("Offered")

    # 3. A focal point finds it in the catalogue and requests a session.
    sign_in("focal.kenya")
    page.goto("/training/?language=en&centre=rtc-japan")
    page.get_by_role("link", name=TITLE).click()
    page.locator("#request-session").click()
    page.get_by_label("What the session should answer").fill("Fifteen new officers at the Mombasa port.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the request").click()
    request = AssistanceRequest.objects.get(member__iso_alpha2="KE")
    assert request.training_request.product == product

    # 4. The request becomes an activity that delivers the product.
    from accounts.models import User

    activity = activity_services.request_accept(
        user=User.objects.get(username="secretariat"),
        request=request,
        activity_data={
            "lead_office": Office.objects.get(code="rtc-japan"),
            "kind": "national_workshop",
            "start_date": datetime.date.today() - datetime.timedelta(days=10),
            "end_date": datetime.date.today() - datetime.timedelta(days=8),
        },
    )
    sign_in("rtc.japan")
    page.goto(activity.get_absolute_url())
    expect(page.locator("#activity-session-form select")).to_have_value(
        str(product.pk)
    )  # the request named it
    with page.expect_navigation():
        page.get_by_role("button", name="Count as a session of this product").click()
    assert Session.objects.get(activity=activity).product == product
    type(activity).objects.filter(pk=activity.pk).update(status="delivered")
    kenya = Member.objects.get(iso_alpha2="KE")
    for gender in ("female", "male", "female"):
        ParticipationFactory(
            activity=activity, person=PersonFactory(member=kenya, gender=gender), attendance="attended"
        )

    # 5. The product's page shows the session and its participants.
    page.goto(product.get_absolute_url())
    expect(page.locator("#session-list")).to_contain_text(activity.title)
    expect(page.locator("#sessions-held")).to_have_text("1")
    expect(page.locator("#people-trained")).to_have_text("3")
    expect(page.locator("#participants-by-member")).to_contain_text("Kenya")

    # 6. The ROCB's regional matrix shows the product in RTC Japan's column.
    sign_in("rocb.ap")
    page.goto("/training/regions/ap/matrix/")
    japan_column = page.locator("#training-matrix thead th").all_inner_texts().index("RTC Japan")
    cells = page.locator("#training-matrix tbody tr").filter(has_text=TITLE).locator("td")
    expect(cells.nth(japan_column - 1)).to_contain_text(TITLE)
