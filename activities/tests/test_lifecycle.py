"""The activity lifecycle: each move is a checked, recorded service call; illegal moves say why."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from activities.models import Status
from activities.services import activity_create, activity_transition, allowed_transitions
from activities.tests.factories import ActivityFactory
from network.models import Office

pytestmark = pytest.mark.django_db


def test_forward_path_is_recorded_with_who_and_comment(user_named):
    rocb = user_named("rocb.ap")
    activity = ActivityFactory()
    for status in (Status.APPROVED, Status.FUNDED, Status.SCHEDULED):
        activity = activity_transition(user=rocb, activity=activity, to_status=status, comment=f"to {status}")
    assert activity.status == Status.SCHEDULED
    moves = list(activity.transitions.values_list("from_status", "to_status", "user__username", "comment"))
    assert moves[0] == ("proposed", "approved", "rocb.ap", "to approved")
    assert [move[1] for move in moves] == ["approved", "funded", "scheduled"]


@pytest.mark.parametrize(
    ("start", "target", "message"),
    [
        (Status.PROPOSED, Status.SCHEDULED, "cannot become Scheduled"),
        (Status.CLOSED, Status.APPROVED, "cannot become Approved"),
        (Status.CANCELLED, Status.PROPOSED, "cannot become Proposed"),
        (Status.DELIVERED, Status.POSTPONED, "cannot become Postponed"),
    ],
)
def test_illegal_transitions_say_why(user_named, start, target, message):
    activity = ActivityFactory(status=start)
    with pytest.raises(ValidationError, match=message):
        activity_transition(user=user_named("rocb.ap"), activity=activity, to_status=target)
    activity.refresh_from_db()
    assert activity.status == start
    assert not activity.transitions.exists()


def test_missing_data_blocks_the_move_with_a_reason(user_named):
    rocb = user_named("rocb.ap")
    unfunded = ActivityFactory(status=Status.APPROVED, budget_amount=None, budget_currency="")
    with pytest.raises(ValidationError, match="budget"):
        activity_transition(user=rocb, activity=unfunded, to_status=Status.FUNDED)
    undated = ActivityFactory(status=Status.FUNDED, start_date=None, end_date=None)
    with pytest.raises(ValidationError, match="start and end dates"):
        activity_transition(user=rocb, activity=undated, to_status=Status.SCHEDULED)
    future = ActivityFactory(status=Status.SCHEDULED)
    with pytest.raises(ValidationError, match="not started"):
        activity_transition(user=rocb, activity=future, to_status=Status.DELIVERED)


def test_postpone_and_cancel_need_a_reason_and_postponed_resumes(user_named):
    rocb = user_named("rocb.ap")
    activity = ActivityFactory(status=Status.FUNDED)
    with pytest.raises(ValidationError, match="reason"):
        activity_transition(user=rocb, activity=activity, to_status=Status.POSTPONED)
    activity = activity_transition(
        user=rocb, activity=activity, to_status=Status.POSTPONED, comment="Host asked"
    )
    assert allowed_transitions(activity) == [Status.FUNDED, Status.CANCELLED]
    activity = activity_transition(user=rocb, activity=activity, to_status=Status.FUNDED)
    activity = activity_transition(
        user=rocb, activity=activity, to_status=Status.CANCELLED, comment="No venue"
    )
    assert allowed_transitions(activity) == []


@pytest.mark.parametrize("username", ["rtc.japan", "focal.kenya", "researcher", "donor", "expert"])
def test_only_organisers_move_an_activity(user_named, username):
    with pytest.raises(PermissionDenied):
        activity_transition(user=user_named(username), activity=ActivityFactory(), to_status=Status.APPROVED)


def test_the_lead_rtc_coordinator_moves_its_own_activities(user_named):
    activity = ActivityFactory(lead_office=Office.objects.get(code="rtc-japan"))
    activity = activity_transition(user=user_named("rtc.japan"), activity=activity, to_status=Status.APPROVED)
    assert activity.status == Status.APPROVED


def test_end_before_start_and_amount_without_currency_are_refused(user_named):
    data = {
        "title": "Workshop",
        "kind": "national_workshop",
        "lead_office": Office.objects.get(code="rocb-ap"),
        "start_date": datetime.date(2027, 5, 10),
        "end_date": datetime.date(2027, 5, 1),
    }
    with pytest.raises(ValidationError) as raised:
        activity_create(
            user=user_named("rocb.ap"), data={**data, "budget_amount": 1000, "budget_currency": ""}
        )
    assert "end_date" in raised.value.message_dict and "budget_currency" in raised.value.message_dict


def test_transition_through_the_api_and_its_400(user_named):
    api = APIClient()
    api.force_authenticate(user_named("rocb.ap"))
    activity = ActivityFactory()
    response = api.post(f"/api/activities/activities/{activity.pk}/transition/", {"to_status": "closed"})
    assert response.status_code == 400
    assert "cannot become Closed" in response.content.decode()
    response = api.post(f"/api/activities/activities/{activity.pk}/transition/", {"to_status": "approved"})
    assert response.status_code == 200 and response.json()["status"] == "approved"


def test_transition_through_the_page(client_for):
    activity = ActivityFactory()
    client = client_for("rocb.ap")
    response = client.post(f"/activities/{activity.pk}/transition/", {"to_status": "approved"}, follow=True)
    assert "The activity is now Approved." in response.content.decode()
    response = client.post(f"/activities/{activity.pk}/transition/", {"to_status": "closed"}, follow=True)
    assert "cannot become Closed" in response.content.decode()
