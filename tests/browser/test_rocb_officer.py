"""An ROCB officer's main path in a real browser: sign in, map, an RTC's page, an edit, French."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rocb_officer_opens_the_map_an_rtc_and_switches_to_french(page, sign_in):
    sign_in("rocb.ap")
    expect(page.get_by_text("ROCB officer")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Map").click()
    expect(page.get_by_role("heading", name="Map of the network")).to_be_visible()
    expect(page.locator("#network-map path")).to_have_count(177)
    page.locator('a[data-office="rtc-japan"]').click()

    expect(page.get_by_role("heading", name="RTC Japan")).to_be_visible()
    expect(page.get_by_text("Kashiwa").first).to_be_visible()
    expect(page.get_by_role("link", name="Edit")).to_be_visible()  # a curator of the region

    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="CRF Japon")).to_be_visible()  # the WCO's French acronym
    expect(page.get_by_role("link", name="Carte")).to_be_visible()
    expect(page.get_by_role("link", name="Historique")).to_be_visible()


def test_rocb_officer_corrects_a_record_and_sees_it_in_the_history(page, sign_in):
    sign_in("rocb.ap")
    page.goto("/network/offices/?kind=rtc&region=ap")
    page.get_by_role("link", name="RTC Fiji").click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("City").fill("Suva")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved RTC Fiji.")).to_be_visible()
    page.get_by_role("link", name="History").click()
    # Who changed it: the office or role, never the account name (history pages are public).
    expect(page.locator("table")).to_contain_text("ROCB officer, Asia/Pacific")
    expect(page.locator("table")).not_to_contain_text("rocb.ap")
    expect(page.locator("table")).to_contain_text(re.compile(r"city.*Suva", re.S))


def test_filters_update_the_list_in_place(page):
    page.goto("/network/members/")
    page.get_by_label("Region").select_option(label="East and Southern Africa")
    expect(page.locator("#results")).to_contain_text("Kenya")
    expect(page.locator("#results")).not_to_contain_text("Japan")
    expect(page).to_have_url(re.compile(r"region=esa"))
