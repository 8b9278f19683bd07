"""Playwright driving Debian's Chromium against a live cbhub server."""

import os

import pytest
from playwright.sync_api import sync_playwright

from accounts.demo import demo_users_create
from activities.catalogue import service_catalogue_seed
from activities.models import ServiceItem
from network.reference import SHIPPED_REFERENCE_DIR, reference_load
from topics.reference import topics_load

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
    # there are ordinary synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def network_server(live_server):
    """A live server whose database holds the real network and the demo users."""
    reference_load(directory=SHIPPED_REFERENCE_DIR)
    topics_load(path=SHIPPED_REFERENCE_DIR / "topics.md")
    demo_users_create()
    # An earlier browser test's flush also emptied the catalogue its migration seeded.
    service_catalogue_seed(ServiceItem)
    return live_server


def is_csp_violation(text: str) -> bool:
    return "Content Security Policy" in text or "Content-Security-Policy" in text


@pytest.fixture
def csp_violations():
    """Console messages in which the browser reports a blocked script, style or handler."""
    return []


@pytest.fixture
def page(browser, network_server, csp_violations):
    context = browser.new_context(base_url=network_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)

    def watch(message):
        if is_csp_violation(message.text):
            csp_violations.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    yield page
    context.close()
    # Every browser test fails if a page it visited broke the Content-Security-Policy.
    assert csp_violations == [], "Content-Security-Policy violations:\n" + "\n".join(csp_violations)


@pytest.fixture
def sign_in(page):
    def sign_in_as(username: str, password: str = "cbhub-demo-2026"):
        page.goto("/accounts/login/")
        page.get_by_label("User name").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")

    return sign_in_as
