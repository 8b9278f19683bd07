"""The knowledge base in a real browser: a focal point uploads a good-practice report, an ROCB officer
finds it with a paraphrased question, and a region-only mission report stays out of sight."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from jobs.queues import DatabaseQueue
from knowledge.ingestion import Incoming, ingest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = """# Good practice: post-clearance audit at the Kenya Revenue Authority

The authority created a post-clearance audit unit that examines the accounting records and commercial
documents of importers after their goods have been released. Companies are selected with risk profiles.
Recovered duties financed the training of forty auditors, and clearance at the border became faster
because fewer consignments are stopped for physical examination.
"""
MISSION = (
    "Mission report: diagnostic of the scanner unit of the Uganda Revenue Authority. The non-intrusive "
    "inspection equipment is under-used and image analysts need training."
)


class Sink:
    def item(self, *args, **kwargs):
        pass


@pytest.fixture
def mission_report(network_server):
    ingest(
        [
            Incoming(
                name="mission.txt",
                content=MISSION.encode(),
                metadata={
                    "kind": "mission_report",
                    "visibility": "region",
                    "region": "esa",
                    "title": "Scanner unit diagnostic mission",
                },
            )
        ],
        user=User.objects.get(username="secretariat"),
        progress=Sink(),
    )


def test_upload_find_and_not_find(page, sign_in, tmp_path, mission_report):
    report = tmp_path / "kra-post-clearance-audit.md"
    report.write_text(REPORT, encoding="utf-8")

    # 1. A member focal point uploads a good-practice report and watches the job.
    sign_in("focal.kenya")
    page.goto("/knowledge/upload/")
    page.get_by_label("Files").set_input_files(str(report))
    page.get_by_label("Title").fill("Post-clearance audit at the KRA")
    page.get_by_label("Kind").select_option("good_practice")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#job-status")).to_have_text("Queued")
    DatabaseQueue().work(burst=True)  # the worker process, run here
    expect(page.locator("#job-status")).to_have_text("Succeeded", timeout=10_000)  # htmx polls the job
    expect(page.locator("#job-outcomes")).to_contain_text("added")

    # 2. An ROCB officer finds it by a question that shares few words with it.
    page.context.clear_cookies()
    sign_in("rocb.ap")
    page.goto("/knowledge/")
    page.get_by_label("Ask a question or type words to find").fill(
        "how do customs verify company books once shipments are cleared?"
    )
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.locator(".search-results li").first).to_contain_text("Post-clearance audit at the KRA")

    # 3. The same officer (another region) looks for the region-only mission report: nothing, no hint.
    page.get_by_label("Ask a question or type words to find").fill("scanner unit diagnostic mission Uganda")
    page.get_by_role("button", name="Search", exact=True).last.click()
    results = page.locator("main")
    expect(results).not_to_contain_text("Scanner unit diagnostic mission")
    expect(page.locator('[data-facet="kind"]')).not_to_contain_text("Mission report")
    page.goto(page.url.replace("scanner+unit", "Uganda"))
    expect(results).not_to_contain_text("Uganda Revenue Authority")
