"""The meeting pages run a fixed number of queries, however many items, decisions, actions and
updates, for each role they serve (organiser, owner office, participant, anonymous)."""

import datetime

import pytest

from core.tests.test_query_counts import count_queries
from meetings import services
from meetings.models import DecisionState, Meeting
from network.models import Committee, Office, Region

pytestmark = pytest.mark.django_db

PAGES = [
    ("rocb.ap", "/meetings/"),
    (None, "/meetings/"),
    ("rocb.ap", "/meetings/{meeting}/"),
    ("rtc.japan", "/meetings/{meeting}/"),
    (None, "/meetings/{meeting}/"),
    ("rocb.ap", "/meetings/{next_meeting}/"),
    ("rtc.japan", "/meetings/actions/"),
    ("rocb.ap", "/meetings/actions/"),
    ("rtc.japan", "/meetings/actions/{action}/"),
    ("secretariat", "/meetings/committees/{committee}/"),
    (None, "/meetings/committees/{committee}/"),
    (None, "/meetings/committees/{committee}/calendar.ics"),
    ("rocb.ap", "/meetings/regions/{region}/"),
    ("secretariat", "/api/meetings/decisions/"),
    (None, "/api/meetings/decisions/"),
    ("rtc.japan", "/api/meetings/actions/"),
    ("rtc.japan", "/"),
]


def meeting(user, *, region=None, committee=None, year=2025, title="Heads meeting"):
    return services.meeting_create(
        user=user,
        data={
            "region": region,
            "committee": committee,
            "series": title,
            "title": f"{title} {year}",
            "starts_on": datetime.date(year, 11, 10),
            "ends_on": datetime.date(year, 11, 12),
        },
    )


def outcomes(user, meeting_, owner, count):
    adopted = DecisionState.objects.get(code="adopted")
    proposed = DecisionState.objects.get(code="proposed")
    last = None
    for number in range(count):
        item = services.item_save(user=user, meeting=meeting_, data={"title": f"Item {number}"})
        decision = services.decision_add(
            user=user, item=item, data={"text_en": f"Decision {number}", "text_fr": "Décision"}
        )
        services.decision_move(user=user, decision=decision, state=proposed)
        services.decision_move(user=user, decision=decision, state=adopted)
        last = services.action_add(
            user=user,
            item=item,
            data={
                "what": f"Action {number}",
                "owners": [owner],
                "due_on": datetime.date(2026, 1, number + 1),
                "decision": decision,
            },
        )
        services.action_progress(
            user=user, action=last, text="Started", status="in_progress", on=datetime.date(2025, 12, 1)
        )
    return last


@pytest.mark.parametrize(("username", "template"), PAGES)
def test_query_count_does_not_grow_with_outcomes(client_for, user_named, username, template):
    rocb, secretariat = user_named("rocb.ap"), user_named("secretariat")
    region, japan = Region.objects.get(code="A/P"), Office.objects.get(code="rtc-japan")
    committee = Committee.objects.order_by("pk").first()
    first = meeting(rocb, region=region)
    action = outcomes(rocb, first, japan, 5)  # past the home panel's five, so its count is there too
    session = meeting(secretariat, committee=committee, title="Committee session")
    outcomes(secretariat, session, japan, 1)
    following = meeting(rocb, region=region, year=2026)
    client = client_for(username)
    url = template.format(
        meeting=first.pk,
        next_meeting=following.pk,
        action=action.pk,
        committee=committee.pk,
        region=region.slug,
    )
    client.get(url)
    before = count_queries(client, url)
    outcomes(rocb, first, japan, 6)
    outcomes(secretariat, session, japan, 6)
    assert Meeting.objects.count() == 3
    assert count_queries(client, url) == before, url
