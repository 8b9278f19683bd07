"""The meetings' rules: sessions numbered along their series with the previous minutes and the
matters arising on the agenda, decisions along the workflow, actions given only within the
organisers' reach and updated by their owners, minutes drafted, circulated, approved and locked.
Each refusal is a clear ValidationError or PermissionDenied and leaves what was stored as it was."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from activities.models import Status
from activities.tests.factories import ActivityFactory
from knowledge.models import Document, Visibility
from meetings import services
from meetings.models import (
    ActionItem,
    ActionStatus,
    Amendment,
    Decision,
    DecisionState,
    ItemKind,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    ProgressUpdate,
)
from network.models import Committee, Member, Office, Region

pytestmark = pytest.mark.django_db

AP_SERIES = "Meeting of Heads of the A/P RTCs"


def office(code: str) -> Office:
    return Office.objects.get(code=code)


def state(code: str) -> DecisionState:
    return DecisionState.objects.get(code=code)


def heads_meeting(user, region_code="A/P", *, starts, number=None, **data):
    """A Meeting of Heads of the region's RTCs, its RTCs co-organising, three days long."""
    region = Region.objects.get(code=region_code)
    data = {
        "region": region,
        "series": f"Meeting of Heads of the {region_code} RTCs",
        "number": number,
        "title": f"Meeting of Heads of the {region_code} RTCs {starts.year}",
        "starts_on": starts,
        "ends_on": starts + datetime.timedelta(days=2),
        "status": MeetingStatus.HELD,
        "organisers": list(Office.objects.filter(region=region, kind="rtc")),
        **data,
    }
    return services.meeting_create(user=user, data=data)


def item(user, meeting, title="E-learning: the regional CLiKC! courses"):
    return services.item_save(user=user, meeting=meeting, data={"title": title})


def action(user, meeting, *owners, due_on=None, what="Add two regional e-learning courses to CLiKC!"):
    return services.action_add(
        user=user,
        item=meeting.items.filter(kind=ItemKind.REGULAR).first() or item(user, meeting),
        data={"what": what, "owners": [office(code) for code in owners], "due_on": due_on},
    )


def adopt(user, decision):
    decision = services.decision_move(user=user, decision=decision, state=state("proposed"))
    return services.decision_move(user=user, decision=decision, state=state("adopted"))


def days(count: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=count)


@pytest.fixture
def ap(user_named):
    """The 17th A/P Meeting, held by rocb.ap a year ago, with A/P offices invited and one item."""
    rocb = user_named("rocb.ap")
    meeting = heads_meeting(rocb, starts=days(-400), number=17)
    for code in ("rocb-ap", "rtc-japan", "rtc-china"):
        services.invitation_add(user=rocb, meeting=meeting, office=office(code))
    item(rocb, meeting)
    return meeting


# --- meetings ----------------------------------------------------------------------------------


def test_the_number_follows_the_series_and_the_agenda_starts_with_the_minutes_and_matters_arising(
    ap, user_named
):
    rocb = user_named("rocb.ap")
    workshop = heads_meeting(
        rocb, starts=days(-200), series="A/P e-learning focal points", title="E-learning"
    )
    assert workshop.number is None and not workshop.items.exists()  # another series
    nxt = heads_meeting(rocb, starts=days(-30))
    assert nxt.number == 18
    first, second = nxt.items.order_by("position")[:2]
    assert (first.position, first.kind) == (1, ItemKind.MINUTES) and str(ap) in first.title
    assert (second.position, second.kind) == (2, ItemKind.MATTERS_ARISING)
    assert item(rocb, nxt).position == 3
    esa = heads_meeting(user_named("secretariat"), "ESA", starts=days(-20), number=9)
    assert esa.number == 9 and not esa.items.exists()  # the ESA series is its own
    assert heads_meeting(rocb, starts=days(-10)).number == 19


def test_an_rocb_officer_organises_their_regions_meetings_only(user_named):
    rocb = user_named("rocb.ap")
    with pytest.raises(PermissionDenied):
        heads_meeting(rocb, "ESA", starts=days(-10))
    assert not Meeting.objects.exists()


def test_bad_dates_and_overlong_titles_are_refused_with_a_message(user_named):
    rocb = user_named("rocb.ap")
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            user=rocb,
            data={"title": "Backwards", "starts_on": days(10), "ends_on": days(8), "series": AP_SERIES},
        )
    assert "ends on or after the day it starts" in " ".join(error.value.message_dict["ends_on"])
    with pytest.raises(ValidationError) as error:
        heads_meeting(rocb, starts=days(10), title="x" * 201)
    assert "200 characters" in " ".join(error.value.message_dict["title"])
    assert not Meeting.objects.exists()


# --- decisions ---------------------------------------------------------------------------------


def test_decisions_move_only_along_the_workflow_and_are_numbered_once_adopted(ap, user_named):
    rocb = user_named("rocb.ap")
    point = ap.items.get()
    draft = services.decision_add(user=rocb, item=point, data={"text_en": "E-learning", "text_fr": "FR"})
    assert draft.state.code == "draft" and draft.number is None and draft.reference == "draft"
    with pytest.raises(ValidationError, match="cannot become"):
        services.decision_move(user=rocb, decision=draft, state=state("adopted"))  # not straight from draft
    draft.refresh_from_db()
    assert draft.state.code == "draft" and draft.number is None
    first = adopt(rocb, draft)
    second = adopt(rocb, services.decision_add(user=rocb, item=point, data={"text_en": "Strategy"}))
    refused = services.decision_add(user=rocb, item=point, data={"text_en": "A fee for accreditation"})
    refused = services.decision_move(user=rocb, decision=refused, state=state("proposed"))
    refused = services.decision_move(user=rocb, decision=refused, state=state("rejected"))
    assert (first.number, second.number, refused.number) == (1, 2, None)
    assert first.reference == "17/1" and second.reference == "17/2"
    with pytest.raises(ValidationError, match="cannot become"):
        services.decision_move(user=rocb, decision=first, state=state("proposed"))  # adopted is final
    secretariat = user_named("secretariat")
    other = heads_meeting(secretariat, "ESA", starts=days(-50), number=9)
    elsewhere = services.decision_add(
        user=secretariat, item=item(secretariat, other), data={"text_en": "ESA"}
    )
    assert adopt(secretariat, elsewhere).number == 1  # numbered within its own meeting
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=second.pk).update(number=1)
    with pytest.raises(PermissionDenied):
        services.decision_move(user=user_named("rtc.japan"), decision=refused, state=state("draft"))


def test_final_decisions_keep_their_text(ap, user_named):
    rocb = user_named("rocb.ap")
    decision = adopt(
        rocb, services.decision_add(user=rocb, item=ap.items.get(), data={"text_en": "Original"})
    )
    with pytest.raises(ValidationError, match="kept as it was"):
        services.decision_update(user=rocb, decision=decision, data={"text_en": "Rewritten"})
    withdrawn = services.decision_add(user=rocb, item=ap.items.get(), data={"text_en": "Biennial sessions"})
    withdrawn = services.decision_move(user=rocb, decision=withdrawn, state=state("withdrawn"))
    with pytest.raises(ValidationError, match="kept as it was"):
        services.decision_update(user=rocb, decision=withdrawn, data={"text_fr": "Réécrit"})
    decision.refresh_from_db()
    withdrawn.refresh_from_db()
    assert decision.text_en == "Original" and withdrawn.text_fr == ""


# --- actions -----------------------------------------------------------------------------------


def test_an_action_for_an_office_outside_the_organisers_reach_is_refused_and_nothing_saved(ap, user_named):
    with pytest.raises(ValidationError) as error:
        action(user_named("rocb.ap"), ap, "rtc-japan", "rtc-kenya")
    message = " ".join(error.value.message_dict["owners"])
    assert "RTC Kenya cannot be tasked by this meeting" in message and "Asia/Pacific" in message
    assert "RTC Japan" not in message
    assert not ActionItem.objects.exists()
    with pytest.raises(ValidationError, match="cannot be tasked"):  # the Secretariat neither, at this meeting
        action(user_named("secretariat"), ap, "rocb-esa")
    committee = Committee.objects.get(code="capacity-building-committee")
    session = services.meeting_create(
        user=user_named("secretariat"),
        data={"committee": committee, "title": "17th Session", "starts_on": days(-5), "ends_on": days(-3)},
    )
    given = action(user_named("secretariat"), session, "rtc-japan", "rocb-esa")  # a committee tasks anyone
    assert set(given.owners.values_list("code", flat=True)) == {"rtc-japan", "rocb-esa"}


def test_an_rtc_coordinator_updates_its_own_actions_only(ap, user_named):
    rocb, japan = user_named("rocb.ap"), user_named("rtc.japan")
    own, other = action(rocb, ap, "rtc-japan"), action(rocb, ap, "rtc-china")
    update = services.action_progress(user=japan, action=own, text="Module drafted.", status="in_progress")
    assert update.author == japan and update.on == timezone.localdate()
    own.refresh_from_db()
    assert own.status == ActionStatus.IN_PROGRESS
    with pytest.raises(PermissionDenied):
        services.action_progress(user=japan, action=other, text="Not ours.", status="done")
    other.refresh_from_db()
    assert other.status == ActionStatus.OPEN and not other.updates.exists()


def test_dropping_an_action_needs_a_reason(ap, user_named):
    rocb = user_named("secretariat")  # (acting for the owner)
    given = action(rocb, ap, "rtc-japan")
    with pytest.raises(ValidationError) as error:
        services.action_progress(user=rocb, action=given, text="Stopped.", status="dropped", reason="  ")
    assert "Say why the action is dropped." in error.value.message_dict["reason"]
    given.refresh_from_db()
    assert given.status == ActionStatus.OPEN and not ProgressUpdate.objects.exists()
    services.action_progress(
        user=rocb,
        action=given,
        text="Stopped.",
        status="dropped",
        reason="Merged into a WCO-wide initiative.",
    )
    given.refresh_from_db()
    assert given.status == ActionStatus.DROPPED and given.reason == "Merged into a WCO-wide initiative."


def test_progress_dated_in_the_future_is_refused(ap, user_named):
    rocb = user_named("secretariat")
    given = action(rocb, ap, "rtc-japan")
    with pytest.raises(ValidationError) as error:
        services.action_progress(user=rocb, action=given, text="Done soon.", status="done", on=days(5))
    assert "up to today" in " ".join(error.value.message_dict["on"])
    given.refresh_from_db()
    assert given.status == ActionStatus.OPEN and not given.updates.exists()
    services.action_progress(user=rocb, action=given, text="Started.", status="in_progress", on=days(-3))
    assert given.updates.get().on == days(-3)


def test_evidence_must_be_something_the_user_may_see(ap, user_named):
    japan = user_named("rtc.japan")
    given = action(user_named("rocb.ap"), ap, "rtc-japan")
    hidden = Document.objects.create(title="Internal audit report", visibility=Visibility.RESTRICTED)
    with pytest.raises(ValidationError) as error:
        services.action_evidence(user=japan, action=given, document=hidden)
    assert "document" in error.value.message_dict
    given.refresh_from_db()
    assert given.document is None
    delivered = ActivityFactory(status=Status.DELIVERED, lead_office=office("rtc-japan"))
    services.action_evidence(user=japan, action=given, activity=delivered)
    given.refresh_from_db()
    assert given.activity == delivered


def test_an_action_becomes_a_proposed_activity_linked_to_it(ap, user_named):
    japan = user_named("rtc.japan")
    given = action(user_named("rocb.ap"), ap, "rtc-japan", what="Pilot the e-learning module on audit")
    activity = services.action_to_activity(user=japan, action=given)
    given.refresh_from_db()
    assert activity.status == Status.PROPOSED and activity.title == "Pilot the e-learning module on audit"
    assert activity.lead_office.code == "rtc-japan" and activity.region.code == "A/P"
    assert given.activity == activity and list(activity.asked_by_actions.all()) == [given]
    assert given.status == ActionStatus.IN_PROGRESS
    with pytest.raises(ValidationError, match="already has its activity"):
        services.action_to_activity(user=japan, action=given)


# --- minutes -----------------------------------------------------------------------------------


def test_minutes_are_drafted_circulated_amended_by_participants_approved_later_and_locked(ap, user_named):
    rocb, japan, kenya = user_named("rocb.ap"), user_named("rtc.japan"), user_named("focal.kenya")
    minutes = services.minutes_save(user=rocb, meeting=ap, text="1. Opening")
    assert minutes.status == MinutesStatus.DRAFT
    with pytest.raises(ValidationError, match="while the minutes are circulated"):
        services.amendment_propose(user=japan, minutes=minutes, text="Too early")
    minutes = services.minutes_save(user=rocb, meeting=ap, text="1. Opening\n2. E-learning")
    assert minutes.version == 2
    minutes = services.minutes_circulate(user=rocb, minutes=minutes)
    assert minutes.status == MinutesStatus.CIRCULATED
    amendment = services.amendment_propose(user=japan, minutes=minutes, text="Item 2: RTC Japan presented.")
    assert amendment.author == japan
    with pytest.raises(PermissionDenied):
        services.amendment_propose(
            user=kenya, minutes=minutes, text="Not a participant"
        )  # an ESA focal point
    with pytest.raises(ValidationError, match="every proposed amendment"):
        services.minutes_approve(user=rocb, minutes=minutes, at=heads_meeting(rocb, starts=days(-60)))
    services.amendment_decide(user=rocb, amendment=amendment, accept=False)
    with pytest.raises(ValidationError, match="later session"):
        services.minutes_approve(user=rocb, minutes=minutes, at=ap)
    earlier = heads_meeting(rocb, starts=days(-800), number=16)
    with pytest.raises(ValidationError, match="later session"):
        services.minutes_approve(user=rocb, minutes=minutes, at=earlier)
    nxt = heads_meeting(rocb, starts=days(-30))
    minutes = services.minutes_approve(user=rocb, minutes=minutes, at=nxt)
    assert minutes.status == MinutesStatus.APPROVED and minutes.approved_at == nxt
    with pytest.raises(ValidationError, match="locked"):
        services.minutes_save(user=rocb, meeting=ap, text="Rewritten")
    with pytest.raises(ValidationError, match="while the minutes are circulated"):
        services.amendment_propose(user=japan, minutes=minutes, text="Too late")
    minutes.refresh_from_db()
    assert minutes.text == "1. Opening\n2. E-learning" and Amendment.objects.count() == 1


def test_an_accepted_amendment_is_written_into_the_minutes_as_a_new_version(ap, user_named):
    rocb, japan = user_named("rocb.ap"), user_named("rtc.japan")
    minutes = services.minutes_save(user=rocb, meeting=ap, text="1. Opening at 9.00\n2. E-learning")
    minutes = services.minutes_circulate(user=rocb, minutes=minutes)
    with pytest.raises(ValidationError, match="exactly as it stands"):
        services.amendment_propose(user=japan, minutes=minutes, passage="Opening at 10.00", text="x")
    replace = services.amendment_propose(
        user=japan, minutes=minutes, passage="Opening at 9.00", text="Opening at 9.30"
    )
    add = services.amendment_propose(user=japan, minutes=minutes, text="3. RTC Japan thanked the host.")
    stale = services.amendment_propose(user=japan, minutes=minutes, passage="9.00", text="9.15")
    with pytest.raises(PermissionDenied):
        services.amendment_decide(
            user=japan, amendment=replace, accept=True
        )  # a participant, not an organiser
    services.amendment_decide(user=rocb, amendment=replace, accept=True)
    services.amendment_decide(user=rocb, amendment=add, accept=True)
    minutes.refresh_from_db()
    assert minutes.text == "1. Opening at 9.30\n2. E-learning\n\n3. RTC Japan thanked the host."
    assert minutes.version == 3 and minutes.history.count() >= 3
    with pytest.raises(ValidationError, match="already decided"):
        services.amendment_decide(user=rocb, amendment=replace, accept=False)
    with pytest.raises(ValidationError, match="no longer in the minutes"):
        services.amendment_decide(user=rocb, amendment=stale, accept=True)
    services.amendment_decide(user=rocb, amendment=stale, accept=False)
    minutes.refresh_from_db()
    assert minutes.version == 3 and "9.15" not in minutes.text
    services.minutes_approve(user=rocb, minutes=minutes, at=heads_meeting(rocb, starts=days(-30)))


def test_minutes_are_approved_at_a_later_session_of_their_own_series(ap, user_named):
    secretariat = user_named("secretariat")
    minutes = services.minutes_circulate(
        user=secretariat, minutes=services.minutes_save(user=secretariat, meeting=ap, text="1. Opening")
    )
    esa = heads_meeting(secretariat, "ESA", starts=days(-30), number=10)
    try:
        services.minutes_approve(user=secretariat, minutes=minutes, at=esa)  # another region's meeting
    except ValidationError:
        pass
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.CIRCULATED, (
        "BUG (services.minutes_approve): the A/P minutes were approved at an ESA meeting; the session "
        "must be a later one of the same series (committee or region, and series)."
    )


def test_draft_minutes_are_circulated_before_they_are_approved(ap, user_named):
    rocb = user_named("rocb.ap")
    minutes = services.minutes_save(user=rocb, meeting=ap, text="1. Opening")
    nxt = heads_meeting(rocb, starts=days(-30))
    try:
        services.minutes_approve(user=rocb, minutes=minutes, at=nxt)
    except ValidationError:
        pass
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.DRAFT, (
        "BUG (services.minutes_approve): draft minutes were approved without being circulated to the "
        "participants for amendments; only circulated minutes should be approved."
    )


# --- selectors ---------------------------------------------------------------------------------


def test_matters_arising_lists_the_open_earlier_actions_with_their_latest_progress(user_named):
    rocb, secretariat = user_named("rocb.ap"), user_named("secretariat")
    m16 = heads_meeting(rocb, starts=days(-760), number=16)
    m17 = heads_meeting(rocb, starts=days(-400))
    m18 = heads_meeting(rocb, starts=days(-20))
    still_open = action(rocb, m16, "rtc-japan", what="Accreditation self-assessment")
    report = secretariat  # records the owners' progress
    services.action_progress(
        user=report, action=still_open, text="First", status="in_progress", on=days(-700)
    )
    services.action_progress(
        user=report, action=still_open, text="Latest", status="in_progress", on=days(-500)
    )
    finished_long_ago = action(rocb, m16, "rtc-china", what="Trainers' pool")
    services.action_progress(user=report, action=finished_long_ago, text="Done", status="done", on=days(-600))
    of_the_previous = action(rocb, m17, "rtc-china", what="PICARD research topic")
    services.action_progress(user=report, action=of_the_previous, text="Sent", status="done", on=days(-100))
    action(rocb, m18, "rtc-japan", what="This session's own")
    esa = heads_meeting(secretariat, "ESA", starts=days(-400), number=9)
    action(secretariat, esa, "rtc-kenya", what="Another region's")
    arising = list(services.matters_arising(m18, secretariat))
    assert arising == [still_open, of_the_previous]
    assert arising[0].recent_updates[0].text == "Latest"
    assert list(services.matters_arising(m16, secretariat)) == []  # the first session has none
    assert list(services.matters_arising(m18, user_named("rtc.japan"))) == [still_open, of_the_previous]


def test_our_actions_lists_the_offices_open_actions_overdue_first(ap, user_named):
    rocb, japan = user_named("rocb.ap"), user_named("rtc.japan")
    later = action(rocb, ap, "rtc-japan", due_on=days(40), what="Later")
    overdue = action(rocb, ap, "rtc-japan", due_on=days(-10), what="Overdue")
    soon = action(rocb, ap, "rtc-japan", "rtc-china", due_on=days(5), what="Soon, shared")
    finished = action(rocb, ap, "rtc-japan", due_on=days(-30), what="Done")
    services.action_progress(user=user_named("secretariat"), action=finished, text="Done", status="done")
    action(rocb, ap, "rtc-china", due_on=days(-40), what="Another office's")
    assert list(services.our_actions(japan)) == [overdue, soon, later]
    assert list(services.our_actions(rocb)) == []  # the ROCB owns none of them


def test_our_actions_puts_actions_without_a_due_date_after_the_overdue_ones(ap, user_named):
    rocb = user_named("rocb.ap")
    undated = action(rocb, ap, "rtc-japan", what="No date")
    overdue = action(rocb, ap, "rtc-japan", due_on=days(-10), what="Overdue")
    listed = list(services.our_actions(user_named("rtc.japan")))
    assert listed[0] == overdue, (
        "BUG (services.our_actions): order_by('due_on') puts actions without a due date first on "
        "SQLite (NULLs sort first ascending); use F('due_on').asc(nulls_last=True)."
    )
    assert listed == [overdue, undated]


def test_the_committee_invites_member_administrations(user_named):
    secretariat = user_named("secretariat")
    committee = Committee.objects.get(code="capacity-building-committee")
    session = services.meeting_create(
        user=secretariat,
        data={"committee": committee, "title": "17th Session", "starts_on": days(30), "ends_on": days(32)},
    )
    kenya = Member.objects.get(iso_alpha2="KE")
    first = services.invitation_add(user=secretariat, meeting=session, member=kenya)
    assert services.invitation_add(user=secretariat, meeting=session, member=kenya) == first  # once
    with pytest.raises(PermissionDenied):
        services.invitation_add(user=user_named("rocb.ap"), meeting=session, member=kenya)
