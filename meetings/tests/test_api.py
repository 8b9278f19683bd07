"""The read-only API under /api/meetings/, per role.

- the public sees the meetings and their agendas, and only the adopted decisions marked public;
- an RTC coordinator sees the actions their centre owns, not the other actions of a committee
  session they did not attend;
- malformed or out-of-range filter values answer 400, never 500;
- lists read their related rows in a fixed number of queries, however many rows there are.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import services
from meetings.models import DecisionState, Meeting
from network.models import Committee, Office

pytestmark = pytest.mark.django_db

API = "/api/meetings"


def get(client, path, **params):
    response = client.get(f"{API}/{path}", params)
    assert response.status_code == 200, response.content
    return response.json()


def ids(page) -> set[int]:
    return {row["id"] for row in page["results"]}


def adopt(user, decision):
    for code in ("proposed", "adopted"):
        decision = services.decision_move(
            user=user, decision=decision, state=DecisionState.objects.get(code=code)
        )
    return decision


@pytest.fixture
def session(user_named):
    """A committee session of the Secretariat's, which RTC Japan neither attends nor sits on: an
    adopted public decision, a draft, an adopted decision kept private, and two actions, one owned
    by RTC Japan and one by another centre."""
    secretariat = user_named("secretariat")
    japan = Office.objects.get(code="rtc-japan")
    other = Office.objects.filter(kind="rtc").exclude(pk=japan.pk).order_by("code").first()
    committee = Committee.objects.exclude(memberships__office=japan).order_by("pk").first()
    meeting = services.meeting_create(
        user=secretariat,
        data={
            "committee": committee,
            "title": "Capacity Building Committee, 18th session",
            "number": 18,
            "starts_on": datetime.date(2025, 3, 10),
            "ends_on": datetime.date(2025, 3, 12),
            "venue": "Brussels",
            "status": "held",
        },
    )
    item = services.item_save(user=secretariat, meeting=meeting, data={"title": "Regional strategies"})
    public = adopt(
        secretariat,
        services.decision_add(
            user=secretariat,
            item=item,
            data={"text_en": "The Committee endorses the strategies.", "text_fr": "Le Comité approuve."},
        ),
    )
    draft = services.decision_add(user=secretariat, item=item, data={"text_en": "A draft still discussed."})
    private = adopt(
        secretariat,
        services.decision_add(
            user=secretariat, item=item, data={"text_en": "An adopted private decision.", "is_public": False}
        ),
    )
    ours = services.action_add(
        user=secretariat,
        item=item,
        data={
            "what": "Report on the e-learning pilot",
            "owners": [japan],
            "due_on": datetime.date(2025, 6, 30),
            "decision": public,
        },
    )
    theirs = services.action_add(
        user=secretariat,
        item=item,
        data={"what": "Translate the guide", "owners": [other], "due_on": datetime.date(2999, 1, 1)},
    )
    services.action_progress(user=secretariat, action=ours, text="Pilot under way", status="in_progress")
    return {
        "meeting": meeting,
        "committee": committee,
        "item": item,
        "public": public,
        "draft": draft,
        "private": private,
        "ours": ours,
        "theirs": theirs,
        "japan": japan,
    }


def test_the_public_sees_the_meeting_and_only_adopted_public_decisions(client_for, session):
    anonymous = client_for(None)
    assert session["meeting"].pk in ids(get(anonymous, "meetings/"))
    assert session["item"].pk in ids(get(anonymous, "items/"))
    decisions = get(anonymous, "decisions/")
    assert ids(decisions) == {session["public"].pk}
    row = decisions["results"][0]
    assert row["reference"] == "18/1"
    assert row["state"] == "adopted"
    assert row["meeting"] == session["meeting"].pk
    assert row["text_en"] == "The Committee endorses the strategies."
    assert row["text_fr"] == "Le Comité approuve."
    assert get(anonymous, "actions/")["count"] == 0
    detail = anonymous.get(f"{API}/decisions/{session['draft'].pk}/")
    assert detail.status_code == 404


def test_the_secretariat_sees_every_decision(client_for, session):
    decisions = ids(get(client_for("secretariat"), "decisions/", meeting=session["meeting"].pk))
    assert decisions == {session["public"].pk, session["draft"].pk, session["private"].pk}
    drafts = ids(get(client_for("secretariat"), "decisions/", state="draft"))
    assert drafts == {session["draft"].pk}


def test_rtc_japan_sees_the_actions_rtc_japan_owns(client_for, session):
    page = get(client_for("rtc.japan"), "actions/")
    assert ids(page) == {session["ours"].pk}
    row = page["results"][0]
    assert row["owners"] == ["rtc-japan"]
    assert row["due_on"] == "2025-06-30"
    assert row["status"] == "in_progress"
    assert row["overdue"] is True
    assert row["decision_reference"] == "18/1"
    assert row["latest_update"]["text"] == "Pilot under way"
    detail = client_for("rtc.japan").get(f"{API}/actions/{session['theirs'].pk}/")
    assert detail.status_code == 404
    # Not a participant: the session's drafts stay hidden.
    assert session["draft"].pk not in ids(get(client_for("rtc.japan"), "decisions/"))


def test_action_filters(client_for, session):
    secretariat = client_for("secretariat")
    assert ids(get(secretariat, "actions/", owner=session["japan"].pk)) == {session["ours"].pk}
    assert ids(get(secretariat, "actions/", overdue="true")) == {session["ours"].pk}
    assert ids(get(secretariat, "actions/", overdue="false", meeting=session["meeting"].pk)) == {
        session["theirs"].pk
    }
    assert ids(get(secretariat, "actions/", status="open")) == {session["theirs"].pk}


def test_meeting_and_decision_filters(client_for, session):
    anonymous = client_for(None)
    meeting = session["meeting"]
    assert ids(get(anonymous, "meetings/", committee=session["committee"].pk, year=2025)) == {meeting.pk}
    assert ids(get(anonymous, "meetings/", q="capacity 18th", status="held")) == {meeting.pk}
    assert ids(get(anonymous, "meetings/", year=2024)) == set()
    assert ids(get(anonymous, "decisions/", q="approuve", year=2025)) == {session["public"].pk}
    assert ids(get(anonymous, "decisions/", committee=session["committee"].pk)) == {session["public"].pk}


@pytest.mark.parametrize(
    "path, params",
    [
        ("meetings/", {"year": "nineteen"}),
        ("meetings/", {"year": "99999999999999999999"}),
        ("meetings/", {"committee": "x"}),
        ("meetings/", {"committee": "9" * 30}),
        ("meetings/", {"region": "atlantis"}),
        ("meetings/", {"mode": "telepathy"}),
        ("meetings/", {"status": "maybe"}),
        ("decisions/", {"state": "enacted"}),
        ("decisions/", {"year": "0"}),
        ("decisions/", {"meeting": "1.5"}),
        ("actions/", {"overdue": "perhaps"}),
        ("actions/", {"owner": "rtc-japan"}),
        ("actions/", {"status": "finished"}),
        ("items/", {"meeting": "-"}),
    ],
)
def test_bad_filter_values_are_a_bad_request(client_for, path, params):
    response = client_for("secretariat").get(f"{API}/{path}", params)
    assert response.status_code == 400, response.content


def test_lists_read_in_a_fixed_number_of_queries(client_for, session, user_named):
    secretariat = user_named("secretariat")
    client = client_for("secretariat")

    def counts():
        result = {}
        for path in ("meetings/", "items/", "decisions/", "actions/"):
            with CaptureQueriesContext(connection) as queries:
                get(client, path)
            result[path] = len(queries)
        return result

    before = counts()
    meeting = Meeting.objects.get(pk=session["meeting"].pk)
    for number in range(3):
        item = services.item_save(user=secretariat, meeting=meeting, data={"title": f"More {number}"})
        adopt(
            secretariat, services.decision_add(user=secretariat, item=item, data={"text_en": f"D {number}"})
        )
        action = services.action_add(
            user=secretariat, item=item, data={"what": f"A {number}", "owners": [session["japan"]]}
        )
        services.action_progress(user=secretariat, action=action, text="Started", status="in_progress")
    assert counts() == before
