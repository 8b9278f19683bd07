"""The rules of meetings and their follow-up. Every write goes through one of these functions
(keyword-only, atomic, `full_clean()`); views, forms and serializers hold no rule.

Selectors that pages share are here too: `matters_arising` (the open and recently finished actions
of a series' earlier sessions, with their latest progress) and `our_actions` (an office's open
actions, overdue first).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from core.permissions import Action, is_secretariat, require, require_related_visible
from meetings.models import (
    OPEN_ACTIONS,
    ActionItem,
    ActionStatus,
    AgendaItem,
    Amendment,
    Decision,
    DecisionState,
    Invitation,
    ItemKind,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    ProgressUpdate,
)

MEETING_FIELDS = (
    "committee", "region", "series", "number", "title", "starts_on", "ends_on", "mode", "venue",
    "host_member", "host_office", "languages", "status",
)  # fmt: skip


def _saved(instance, **clean):
    instance.full_clean(**clean)
    instance.save()
    return instance


def _mail(addresses, subject: str, body: str) -> None:
    """Send once the write is committed (a rolled-back write tells no one)."""
    addresses = sorted({address for address in addresses if address})
    if addresses:
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True)
        )


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}" if getattr(settings, "SITE_URL", "") else path


# --- who organises -------------------------------------------------------------------------------


def is_organiser(user, meeting: Meeting) -> bool:
    """The Secretariat organises every meeting; an ROCB officer their region's coordination meetings."""
    if is_secretariat(user):
        return True
    return bool(
        user.is_authenticated
        and user.role == Role.ROCB_OFFICER
        and meeting.region_id
        and meeting.region_id == user.region_id
    )


def require_organiser(user, meeting: Meeting) -> None:
    if not is_organiser(user, meeting):
        raise PermissionDenied(_("Only the meeting's organisers may do this."))


def offices_in_reach(user, meeting: Meeting):
    """The offices a meeting's organisers may give actions to: every office for the Secretariat;
    for a regional meeting, the region's own offices (its ROCB and RTCs)."""
    from network.models import Office

    if is_secretariat(user) and not meeting.region_id:
        return Office.objects.all()
    return Office.objects.filter(region=meeting.region_id)


# --- meetings ------------------------------------------------------------------------------------


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The session before this one in its series (same committee or region and series)."""
    earlier = Meeting.objects.filter(starts_on__lt=meeting.starts_on).exclude(pk=meeting.pk)
    if meeting.committee_id:
        earlier = earlier.filter(committee=meeting.committee_id)
    else:
        earlier = earlier.filter(region=meeting.region_id, committee__isnull=True)
    if meeting.series:
        earlier = earlier.filter(series=meeting.series)
    return earlier.exclude(status=MeetingStatus.CANCELLED).order_by("-starts_on", "-pk").first()


@transaction.atomic
def meeting_create(*, user, data: dict[str, Any]) -> Meeting:
    """A new session. Its number follows the series' last one; when an earlier session exists, the
    agenda starts with approving its minutes and the matters arising from it."""
    data = dict(data)
    organisers = list(data.pop("organisers", []) or [])
    if user.role == Role.ROCB_OFFICER and not data.get("committee"):
        data.setdefault("region", user.region)
    require_related_visible(user, Meeting, {**data, "organisers": organisers})
    meeting = Meeting(created_by=user if user.is_authenticated else None)
    for key in MEETING_FIELDS:
        if key in data:
            setattr(meeting, key, data[key])
    meeting.languages = list(meeting.languages or ["en"])
    require(user, Action.ADD, meeting)
    previous = previous_meeting(meeting) if meeting.starts_on else None
    if meeting.number is None and previous is not None and previous.number:
        meeting.number = previous.number + 1
    _saved(meeting)
    meeting.organisers.set(organisers)
    if previous is not None:
        AgendaItem.objects.create(
            meeting=meeting,
            position=1,
            kind=ItemKind.MINUTES,
            title=_("Approval of the minutes of %(meeting)s") % {"meeting": previous},
        )
        AgendaItem.objects.create(
            meeting=meeting, position=2, kind=ItemKind.MATTERS_ARISING, title=_("Matters arising")
        )
    return meeting


@transaction.atomic
def meeting_update(*, user, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    require_organiser(user, meeting)
    data = dict(data)
    organisers = data.pop("organisers", None)
    require_related_visible(user, Meeting, data, instance=meeting)
    for key in MEETING_FIELDS:
        if key in data and key not in ("committee", "region"):
            setattr(meeting, key, data[key])
    _saved(meeting)
    if organisers is not None:
        meeting.organisers.set(organisers)
    return meeting


@transaction.atomic
def invitation_add(*, user, meeting: Meeting, member=None, office=None, person=None) -> Invitation:
    require_organiser(user, meeting)
    require_related_visible(user, Invitation, {"member": member, "office": office, "person": person})
    existing = Invitation.objects.filter(meeting=meeting, member=member, office=office, person=person).first()
    if existing:
        return existing
    invitation = _saved(Invitation(meeting=meeting, member=member, office=office, person=person))
    email = getattr(person, "email", "") if person else ""
    if email:
        _mail(
            [email],
            _("Invitation: %(meeting)s") % {"meeting": meeting},
            _("You are invited to %(meeting)s (%(dates)s): %(url)s")
            % {"meeting": meeting, "dates": meeting.starts_on, "url": _absolute(meeting.get_absolute_url())},
        )
    return invitation


@transaction.atomic
def invitation_update(*, user, invitation: Invitation, data: dict[str, Any]) -> Invitation:
    """Organisers record registration and attendance."""
    require_organiser(user, invitation.meeting)
    for key in ("status", "delegates", "attended"):
        if key in data:
            setattr(invitation, key, data[key])
    return _saved(invitation)


# --- the agenda ----------------------------------------------------------------------------------


@transaction.atomic
def item_save(*, user, meeting: Meeting, data: dict[str, Any], item: AgendaItem | None = None) -> AgendaItem:
    require_organiser(user, meeting)
    data = dict(data)
    documents = data.pop("documents", None)
    if documents is not None:
        require_related_visible(user, AgendaItem, {"documents": documents}, instance=item)
    if item is None:
        item = AgendaItem(meeting=meeting)
        last = meeting.items.aggregate(last=Max("position"))["last"] or 0
        item.position = data.pop("position", None) or last + 1
    for key in ("position", "kind", "title", "presenters", "starts_at", "minutes", "summary"):
        if key in data and data[key] is not None:
            setattr(item, key, data[key])
    _saved(item)
    if documents is not None:
        item.documents.set(documents)
    return item


@transaction.atomic
def item_delete(*, user, item: AgendaItem) -> None:
    require_organiser(user, item.meeting)
    if item.decisions.exists() or item.actions.exists():
        raise ValidationError(_("This item has outcomes; remove them first."))
    item.delete()


# --- decisions -----------------------------------------------------------------------------------


def initial_state() -> DecisionState:
    state = DecisionState.objects.filter(is_initial=True).order_by("position").first()
    if state is None:  # a database emptied after its migrations ran
        from meetings.workflow import workflow_seed

        workflow_seed(DecisionState)
        state = DecisionState.objects.filter(is_initial=True).order_by("position").first()
    return state


@transaction.atomic
def decision_add(*, user, item: AgendaItem, data: dict[str, Any]) -> Decision:
    require_organiser(user, item.meeting)
    decision = Decision(item=item, meeting=item.meeting, state=initial_state())
    for key in ("kind", "text_en", "text_fr", "is_public"):
        if key in data:
            setattr(decision, key, data[key])
    return _saved(decision)


@transaction.atomic
def decision_update(*, user, decision: Decision, data: dict[str, Any]) -> Decision:
    require_organiser(user, decision.meeting)
    if decision.state.is_final:
        raise ValidationError(
            _("This decision is %(state)s; its text is kept as it was.") % {"state": decision.state}
        )
    for key in ("kind", "text_en", "text_fr", "is_public"):
        if key in data:
            setattr(decision, key, data[key])
    return _saved(decision)


@transaction.atomic
def decision_move(*, user, decision: Decision, state: DecisionState) -> Decision:
    """Along the workflow only (the states that may follow the current one); reaching a numbering
    state gives the decision the meeting's next number."""
    require_organiser(user, decision.meeting)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not decision.state.next_states.filter(pk=state.pk).exists():
        raise ValidationError(
            _("A decision that is %(current)s cannot become %(state)s.")
            % {"current": decision.state, "state": state}
        )
    decision.state = state
    if state.numbers and decision.number is None:
        last = Decision.objects.filter(meeting=decision.meeting_id).aggregate(last=Max("number"))["last"] or 0
        decision.number = last + 1
    return _saved(decision)


# --- minutes -------------------------------------------------------------------------------------


@transaction.atomic
def minutes_save(*, user, meeting: Meeting, text: str) -> Minutes:
    require_organiser(user, meeting)
    minutes, created = Minutes.objects.get_or_create(meeting=meeting)
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError(_("Approved minutes are locked."))
    if minutes.text != text:
        minutes.version += 0 if created else 1  # each saved text is a version (see `history`)
        minutes.text = text
    return _saved(minutes)


@transaction.atomic
def minutes_circulate(*, user, minutes: Minutes) -> Minutes:
    require_organiser(user, minutes.meeting)
    if minutes.status != MinutesStatus.DRAFT:
        raise ValidationError(_("Only draft minutes are circulated."))
    minutes.status = MinutesStatus.CIRCULATED
    _saved(minutes)
    emails = Invitation.objects.filter(meeting=minutes.meeting, person__isnull=False).values_list(
        "person__email", flat=True
    )
    _mail(
        emails,
        _("Draft minutes of %(meeting)s for comments") % {"meeting": minutes.meeting},
        _("Propose your amendments: %(url)s") % {"url": _absolute(minutes.get_absolute_url())},
    )
    return minutes


@transaction.atomic
def amendment_propose(*, user, minutes: Minutes, text: str, passage: str = "") -> Amendment:
    from meetings.policies import participating

    if minutes.status != MinutesStatus.CIRCULATED:
        raise ValidationError(_("Amendments are proposed while the minutes are circulated."))
    if not (
        is_organiser(user, minutes.meeting)
        or Meeting.objects.filter(pk=minutes.meeting_id, pk__in=participating(user)).exists()
    ):
        raise PermissionDenied(_("The meeting's participants propose amendments."))
    if not text.strip():
        raise ValidationError({"text": _("Write the amendment.")})
    passage = passage.strip()
    if passage and passage not in minutes.text:
        raise ValidationError({"passage": _("Copy the passage exactly as it stands in the minutes.")})
    return _saved(Amendment(minutes=minutes, author=user, passage=passage, text=text.strip()))


STALE_PASSAGE = gettext_lazy(
    "The passage this amendment replaces is no longer in the minutes: edit them by hand, then decline it."
)


@transaction.atomic
def amendment_decide(*, user, amendment: Amendment, accept: bool) -> Amendment:
    """Accepting writes the amendment into the minutes, in place of its passage (or as a paragraph
    added at the end), as a new version; declining leaves the text as it is."""
    minutes = Minutes.objects.select_for_update().get(pk=amendment.minutes_id)
    require_organiser(user, minutes.meeting)
    if minutes.status != MinutesStatus.CIRCULATED:
        raise ValidationError(_("Amendments are decided while the minutes are circulated."))
    if amendment.accepted is not None:
        raise ValidationError(_("This amendment is already decided."))
    if accept:
        if amendment.passage:
            if amendment.passage not in minutes.text:
                raise ValidationError(STALE_PASSAGE)
            minutes.text = minutes.text.replace(amendment.passage, amendment.text, 1)
        else:
            minutes.text = minutes.text.rstrip() + "\n\n" + amendment.text
        minutes.version += 1
        _saved(minutes)
    amendment.accepted = accept
    return _saved(amendment)


@transaction.atomic
def minutes_approve(*, user, minutes: Minutes, at: Meeting) -> Minutes:
    """Approved at a later session (the item "Approval of the minutes"), then locked."""
    require_organiser(user, at)
    if minutes.status == MinutesStatus.APPROVED:
        raise ValidationError(_("These minutes are already approved."))
    if minutes.status != MinutesStatus.CIRCULATED:
        raise ValidationError(_("Minutes are circulated to the participants before they are approved."))
    if minutes.amendments.filter(accepted__isnull=True).exists():
        raise ValidationError(
            _("Accept or decline every proposed amendment before the minutes are approved.")
        )
    meeting = minutes.meeting
    same_series = (
        at.committee_id == meeting.committee_id
        and at.region_id == meeting.region_id
        and (not meeting.series or at.series == meeting.series)
    )
    if not same_series or at.starts_on <= meeting.starts_on or at.pk == meeting.pk:
        raise ValidationError(_("Minutes are approved at a later session of the same series."))
    minutes.status, minutes.approved_at = MinutesStatus.APPROVED, at
    return _saved(minutes)


# --- actions -------------------------------------------------------------------------------------


@transaction.atomic
def action_add(*, user, item: AgendaItem, data: dict[str, Any]) -> ActionItem:
    """An action given to offices within the organisers' reach (a regional meeting tasks its own
    region's offices; the Secretariat's committees task any office)."""
    meeting = item.meeting
    require_organiser(user, meeting)
    owners = list(data.get("owners") or [])
    if not owners:
        raise ValidationError({"owners": _("Name the office or offices that own the action.")})
    reach = set(offices_in_reach(user, meeting).values_list("pk", flat=True))
    outside = [office for office in owners if office.pk not in reach]
    if outside:
        raise ValidationError(
            {
                "owners": _(
                    "%(offices)s cannot be tasked by this meeting: its organisers reach only %(scope)s."
                )
                % {
                    "offices": ", ".join(str(office) for office in outside),
                    "scope": _("the offices of %(region)s") % {"region": meeting.region}
                    if meeting.region_id
                    else _("WCO offices"),
                }
            }
        )
    decision = data.get("decision")
    if decision is not None and decision.meeting_id != meeting.pk:
        raise ValidationError({"decision": _("The decision must be of this meeting.")})
    action = ActionItem(
        meeting=meeting, item=item, decision=decision, what=data.get("what", ""), due_on=data.get("due_on")
    )
    _saved(action)
    action.owners.set(owners)
    _mail(
        _owner_emails([action]).get(action.pk, []),
        _("New action for your office: %(what)s") % {"what": action.what[:80]},
        _("%(meeting)s asks your office: %(what)s\nDue: %(due)s\n%(url)s")
        % {
            "meeting": meeting,
            "what": action.what,
            "due": action.due_on or "—",
            "url": _absolute(action.get_absolute_url()),
        },
    )
    return action


@transaction.atomic
def action_progress(
    *, user, action: ActionItem, text: str, status: str, on: datetime.date | None = None, reason: str = ""
) -> ProgressUpdate:
    """A dated update by an owner office or an organiser; it sets the action's status."""
    require(user, Action.CHANGE, action)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if not text.strip():
        raise ValidationError({"text": _("Say what was done.")})
    on = on or timezone.localdate()
    if on > timezone.localdate() + datetime.timedelta(days=1):
        raise ValidationError({"on": _("Progress is reported up to today.")})
    action.status = status
    action.reason = reason.strip() if status == ActionStatus.DROPPED else ""
    _saved(action)
    return _saved(ProgressUpdate(action=action, on=on, text=text.strip(), status=status, author=user))


@transaction.atomic
def action_evidence(*, user, action: ActionItem, activity=None, document=None, submission=None) -> ActionItem:
    """Link what shows the action was carried out; only what the user may see."""
    require(user, Action.CHANGE, action)
    links = {"activity": activity, "document": document, "submission": submission}
    require_related_visible(
        user, ActionItem, {key: value for key, value in links.items() if value is not None}
    )
    for key, value in links.items():
        if value is not None:
            setattr(action, key, value)
    return _saved(action)


@transaction.atomic
def action_to_activity(*, user, action: ActionItem, kind: str = "regional_workshop", title: str = ""):
    """One click: a proposed activity (or a planned study) for the action, linked both ways."""
    from activities.models import ActivityKind
    from activities.services import activity_create

    require(user, Action.CHANGE, action)
    if action.activity_id:
        raise ValidationError(_("This action already has its activity."))
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": _("Unknown kind of activity.")})
    lead = action.owners.order_by("pk").first()
    reference = action.decision.reference if action.decision_id else str(action.meeting)
    activity = activity_create(
        user=user,
        data={
            "title": (title or action.what)[:200],
            "kind": kind,
            "lead_office": lead,
            "region": lead.region if lead else action.meeting.region,
            "objectives": _("Asked for by %(reference)s of %(meeting)s: %(what)s")
            % {"reference": reference, "meeting": action.meeting, "what": action.what},
        },
    )
    action.activity = activity
    if action.status == ActionStatus.OPEN:
        action.status = ActionStatus.IN_PROGRESS
    _saved(action)
    return activity


# --- selectors -----------------------------------------------------------------------------------


def with_latest_update(actions, user):
    """The actions with their owners and the progress updates `user` may read, newest first."""
    updates = ProgressUpdate.objects.restrict(user).order_by("-on", "-pk")
    return actions.prefetch_related("owners", Prefetch("updates", updates, to_attr="recent_updates"))


def matters_arising(meeting: Meeting, user, *, previous: Meeting | None = None):
    """The actions of the series' earlier sessions still open, and those finished since the
    previous session (`previous`, found when not given), each with its latest progress."""
    previous = previous or previous_meeting(meeting)
    if previous is None:
        return ActionItem.objects.none()
    earlier = Meeting.objects.filter(starts_on__lt=meeting.starts_on)
    if meeting.committee_id:
        earlier = earlier.filter(committee=meeting.committee_id)
    else:
        earlier = earlier.filter(region=meeting.region_id, committee__isnull=True)
    if meeting.series:
        earlier = earlier.filter(series=meeting.series)
    actions = ActionItem.objects.restrict(user).filter(meeting__in=earlier.values("pk"))
    actions = actions.filter(
        Q(status__in=OPEN_ACTIONS) | Q(meeting=previous) | Q(updates__on__gte=previous.starts_on)
    )
    return with_latest_update(
        actions.distinct().select_related("meeting", "decision__meeting"), user
    ).order_by("meeting__starts_on", F("due_on").asc(nulls_last=True), "pk")


def our_actions(user):
    """The open actions of the user's office across all meetings, overdue first."""
    from meetings.policies import owned

    actions = ActionItem.objects.restrict(user).filter(owned(user), status__in=OPEN_ACTIONS).distinct()
    return with_latest_update(actions.select_related("meeting", "decision__meeting"), user).order_by(
        F("due_on").asc(nulls_last=True), "pk"
    )


# --- reminders -----------------------------------------------------------------------------------

REMIND_DAYS_BEFORE = 14


def _owner_emails(actions) -> dict[int, list[str]]:
    """Per action: the e-mail addresses of its owner offices' users (an RTC's coordinators, an
    ROCB's officers), in two queries however many actions and offices."""
    from accounts.models import User

    owners = list(
        ActionItem.owners.through.objects.filter(actionitem__in=[a.pk for a in actions]).select_related(
            "office"
        )
    )
    offices = {row.office.pk for row in owners}
    rocb_regions = {row.office.region_id for row in owners if row.office.kind == "rocb"}
    by_office: dict[int, set[str]] = {}
    by_region: dict[int, set[str]] = {}
    for office_id, role, region_id, email in (
        User.objects.filter(is_active=True)
        .filter(Q(office__in=offices) | Q(role=Role.ROCB_OFFICER, region__in=rocb_regions))
        .exclude(email="")
        .values_list("office_id", "role", "region_id", "email")
    ):
        if office_id in offices:
            by_office.setdefault(office_id, set()).add(email)
        if role == Role.ROCB_OFFICER and region_id in rocb_regions:
            by_region.setdefault(region_id, set()).add(email)
    emails: dict[int, list[str]] = {}
    for row in owners:
        found = set(by_office.get(row.office.pk, set()))
        if row.office.kind == "rocb":
            found |= by_region.get(row.office.region_id, set())
        emails.setdefault(row.actionitem_id, []).extend(sorted(found))
    return emails


def send_action_reminders(today: datetime.date | None = None) -> int:
    """Remind owners of open actions due within REMIND_DAYS_BEFORE days, and of overdue ones (once a
    week). Returns how many actions were reminded."""
    today = today or timezone.localdate()
    due = ActionItem.objects.filter(
        status__in=OPEN_ACTIONS,
        due_on__isnull=False,
        due_on__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE),
    )
    due = due.filter(Q(reminded_on__isnull=True) | Q(reminded_on__lte=today - datetime.timedelta(days=7)))
    actions = list(due.select_related("meeting"))
    emails = _owner_emails(actions)
    for action in actions:
        overdue = action.due_on < today
        subject = (_("Overdue action: %(what)s") if overdue else _("Action due on %(due)s: %(what)s")) % {
            "what": action.what[:80],
            "due": action.due_on,
        }
        body = _("%(meeting)s asked your office: %(what)s\nDue: %(due)s\nUpdate it: %(url)s") % {
            "meeting": action.meeting,
            "what": action.what,
            "due": action.due_on,
            "url": _absolute(action.get_absolute_url()),
        }
        for address in sorted(set(emails.get(action.pk, []))):
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)
    ActionItem.objects.filter(pk__in=[action.pk for action in actions]).update(reminded_on=today)
    return len(actions)
