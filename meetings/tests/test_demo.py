"""The demo meetings hold together: eight years of the Meetings of Heads of the RTCs of the six
regions, numbered along their series, the Capacity Building Committee's sessions, decisions in both
languages through the workflow, actions in every status with dated progress and evidence, minutes
approved at the next session, and a second run that changes nothing."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from activities.models import Status
from activities.tests.factories import ActivityFactory
from meetings.demo import YEARS, demo_meetings_create
from meetings.models import (
    ActionItem,
    ActionStatus,
    Decision,
    ItemKind,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    ProgressUpdate,
)
from network.models import Office, Region

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo built once for the module, inside a transaction rolled back at its end (each test
    runs in a savepoint of it), with a few delivered Asia/Pacific activities to serve as evidence."""
    with django_db_blocker.unblock(), transaction.atomic():
        for year in range(2019, 2026):
            ActivityFactory(
                status=Status.DELIVERED,
                lead_office=Office.objects.get(code="rtc-japan"),
                start_date=datetime.date(year, 12, 1),
                end_date=datetime.date(year, 12, 4),
            )
        yield demo_meetings_create(progress=lambda _message: None)
        transaction.set_rollback(True)


def test_eight_years_of_heads_meetings_for_each_region_numbered_along_their_series(demo):
    regional = Meeting.objects.filter(region__isnull=False)
    assert regional.count() == 8 * 6 == len(YEARS) * Region.objects.count()
    for region in Region.objects.all():
        meetings = list(regional.filter(region=region).order_by("starts_on"))
        assert [meeting.starts_on.year for meeting in meetings] == list(YEARS), region
        assert {meeting.series for meeting in meetings} == {f"Meeting of Heads of the {region.code} RTCs"}
        numbers = [meeting.number for meeting in meetings]
        assert numbers == list(range(numbers[0], numbers[0] + 8)), region
        rtcs = set(Office.objects.filter(region=region, kind="rtc"))
        for meeting in meetings:
            assert set(meeting.organisers.all()) == rtcs and meeting.ends_on >= meeting.starts_on
            invited = set(meeting.invitations.values_list("office", flat=True))
            assert invited == set(Office.objects.filter(region=region).values_list("pk", flat=True))
    ap = regional.get(region__code="A/P", starts_on__year=2026)
    assert ap.number == 18 and ap.title == "18th Meeting of Heads of the A/P RTCs"
    assert regional.filter(starts_on__year__in=[2020, 2021], mode="virtual").count() == 12


def test_the_capacity_building_committee_meets_every_year_and_invites_administrations(demo):
    sessions = Meeting.objects.filter(committee__code="capacity-building-committee").order_by("starts_on")
    assert [session.starts_on.year for session in sessions][:8] == list(YEARS)
    assert sessions.last().status == MeetingStatus.PLANNED  # the next session
    for session in sessions:
        assert session.invitations.filter(member__isnull=False).count() >= 10


def test_agendas_start_with_the_minutes_and_matters_arising_and_have_four_to_six_items(demo):
    for meeting in Meeting.objects.prefetch_related("items"):
        items = list(meeting.items.all())
        assert 4 <= len(items) <= 6, meeting
        if meeting.starts_on.year > YEARS[0]:  # a later session of its series
            assert [item.kind for item in items[:2]] == [ItemKind.MINUTES, ItemKind.MATTERS_ARISING], meeting
    titles = " ".join(Meeting.objects.values_list("items__title", flat=True))
    for subject in ("E-learning", "RTC accreditation", "PICARD", "strategy", "Venue and date of the"):
        assert subject in titles


def test_decisions_in_both_languages_through_the_workflow(demo):
    states = Counter(Decision.objects.values_list("state__code", flat=True))
    assert {"adopted", "rejected", "withdrawn", "draft", "proposed"} <= set(states)
    assert states["adopted"] > states["rejected"] + states["withdrawn"]
    assert not Decision.objects.filter(text_fr="").exists()
    assert not Decision.objects.filter(state__code="adopted", number__isnull=True).exists()
    assert not Decision.objects.exclude(state__code="adopted").filter(number__isnull=False).exists()
    latest = [
        Meeting.objects.filter(series=series, status=MeetingStatus.HELD).latest("starts_on").pk
        for series in Meeting.objects.values_list("series", flat=True).distinct()
    ]
    pending = Decision.objects.filter(state__code__in=["draft", "proposed"])
    assert pending.exists()
    assert not pending.exclude(meeting__in=latest).exclude(meeting__status=MeetingStatus.PLANNED).exists()
    japan = Decision.objects.get(
        meeting__region__code="A/P", actions__owners__code="rtc-japan", text_en__contains="tasked RTC Japan"
    )
    assert japan.state.code == "adopted" and japan.text_fr.startswith("La Réunion a chargé le CRF Japon")


def test_actions_in_every_status_with_dated_progress_and_evidence(demo):
    statuses = set(ActionItem.objects.values_list("status", flat=True))
    assert statuses == set(ActionStatus.values)
    assert not ActionItem.objects.filter(status=ActionStatus.DROPPED, reason="").exists()
    for action in ActionItem.objects.exclude(status=ActionStatus.OPEN).prefetch_related("updates"):
        updates = list(action.updates.all())
        assert updates and updates[0].status == action.status, action
        assert all(action.meeting.ends_on <= update.on for update in updates), action
    with_evidence = ActionItem.objects.filter(status=ActionStatus.DONE, activity__isnull=False)
    assert with_evidence.exists()
    for action in with_evidence.select_related("activity", "meeting").prefetch_related("owners"):
        assert action.activity.region_id == action.owners.all()[0].region_id
        assert action.activity.start_date > action.meeting.ends_on
    for action in ActionItem.objects.prefetch_related("owners").select_related("meeting"):
        if action.meeting.region_id:  # a regional meeting tasks its own region's offices
            assert {owner.region_id for owner in action.owners.all()} == {action.meeting.region_id}
    assert ProgressUpdate.objects.filter(author__username="rtc.japan").exists()


def test_minutes_approved_at_the_next_session_and_the_last_ones_circulated(demo):
    for series in Meeting.objects.values_list("series", flat=True).distinct():
        held = list(Meeting.objects.filter(series=series, status=MeetingStatus.HELD).order_by("starts_on"))
        for meeting, following in zip(held, held[1:], strict=False):
            assert (
                meeting.minutes.status == MinutesStatus.APPROVED and meeting.minutes.approved_at == following
            )
        assert held[-1].minutes.status == MinutesStatus.CIRCULATED
        assert held[-1].minutes.amendments.filter(accepted__isnull=True).exists()
    assert not Minutes.objects.filter(meeting__status=MeetingStatus.PLANNED).exists()
    attended = Meeting.objects.filter(status=MeetingStatus.HELD, invitations__attended=True).distinct()
    assert attended.count() == Meeting.objects.filter(status=MeetingStatus.HELD).count()


def test_a_second_run_changes_nothing(demo):
    models = (Meeting, Decision, ActionItem, ProgressUpdate, Minutes)
    before = {model: model.objects.count() for model in models}
    history = Meeting.history.count() + Decision.history.count() + ActionItem.history.count()
    out = io.StringIO()
    call_command("demo_meetings", stdout=out)
    assert demo_meetings_create(progress=lambda _message: None) == demo
    assert {model: model.objects.count() for model in models} == before
    assert Meeting.history.count() + Decision.history.count() + ActionItem.history.count() == history
    assert "Demo meetings ready" in out.getvalue()
