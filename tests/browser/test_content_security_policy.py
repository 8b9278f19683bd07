"""The key pages under the Content-Security-Policy in a real browser: each renders and works (charts
drawn, lists filtered in place, the map's region picker, the API docs) with no violation reported in
the console. The `page` fixture fails any browser test whose pages break the policy."""

import pytest
from playwright.sync_api import expect

from activities.demo import Volume, demo_data_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY_PAGES = [
    "/",
    "/network/members/",
    "/network/offices/",
    "/network/map/",
    "/activities/",
    "/activities/calendar/",
    "/activities/dashboard/",
    "/knowledge/",
    "/search/?q=customs",
    "/accounts/login/",
]
SIGNED_IN_PAGES = ["/people/", "/activities/participations/", "/activities/requests/", "/knowledge/upload/"]


@pytest.fixture
def demo(network_server):
    demo_data_create(Volume(activities=30, participations=120, years=2), progress=lambda *args: None)


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")


def test_no_violation_on_the_key_pages(page, sign_in, demo, csp_violations):
    for url in KEY_PAGES:
        visit(page, url)
    for username in ("secretariat", "focal.kenya"):
        sign_in(username)
        for url in KEY_PAGES + SIGNED_IN_PAGES:
            visit(page, url)
        page.get_by_role("button", name="Sign out").click()
    assert csp_violations == []


def test_scripts_still_work_under_the_policy(page, sign_in, demo, csp_violations):
    # Chart.js draws the dashboard from the static script.
    visit(page, "/activities/dashboard/")
    expect(page.locator("canvas[data-chart]").first).to_be_visible()
    assert page.locator("canvas[data-chart]").first.evaluate("canvas => Chart.getChart(canvas) !== undefined")
    # The region picker submits itself (formerly an inline onchange handler).
    visit(page, "/network/map/")
    page.locator("#map-region").select_option(label="East and Southern Africa")
    page.wait_for_url("**region=esa**")
    # htmx filters the list in place.
    visit(page, "/network/members/")
    page.get_by_label("Region").select_option(label="Asia/Pacific")
    expect(page.locator("#results")).to_contain_text("Japan")
    # The API docs (Swagger UI) render their operations.
    visit(page, "/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible(timeout=60_000)  # the schema takes a while
    # The browsable API and the admin sign-in page.
    visit(page, "/api/network/regions/?format=api")
    sign_in("secretariat")
    visit(page, "/admin/")
    assert csp_violations == []


def test_the_check_catches_a_violation(page, csp_violations):
    """The console watch works: an inline script injected into a page is reported."""
    visit(page, "/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert any("Content Security Policy" in message for message in csp_violations)
    assert page.evaluate("() => window.x") is None
    csp_violations.clear()  # seen: the fixture's own check must not fail this test
