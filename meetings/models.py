"""Committee sessions and regional coordination meetings: invitations and attendance, the agenda
with its documents, outcomes (decisions and recommendations through a workflow of states kept as
data, as OpenSlides keeps motions), minutes, and the action items that decisions give to offices,
followed to completion with dated progress and evidence.

A meeting's organisers are not rows: the Secretariat for a committee of the registry, and for a
regional coordination meeting the region's ROCB (`meetings.policies`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import ScopedModel


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("Hybrid")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(ScopedModel):
    """One session of a committee or working group, or a regional coordination meeting (the
    region's ROCB and its RTCs)."""

    committee = models.ForeignKey(
        "network.Committee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("committee or working group"),
    )
    region = models.ForeignKey(
        "network.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("region"),
        help_text=_("For a regional coordination meeting: the region whose ROCB organises it."),
    )
    series = models.CharField(
        _("series"),
        max_length=120,
        blank=True,
        help_text=_("The meetings that follow one another, e.g. “Meeting of Heads of the A/P RTCs”."),
    )
    number = models.PositiveSmallIntegerField(_("session number"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"), db_index=True)
    ends_on = models.DateField(_("ends on"))
    mode = models.CharField(
        _("format"), max_length=10, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    host_member = models.ForeignKey(
        "network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host administration"),
    )
    host_office = models.ForeignKey(
        "network.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host office"),
    )
    organisers = models.ManyToManyField(
        "network.Office", blank=True, related_name="organised_meetings", verbose_name=_("co-organisers")
    )
    languages = models.JSONField(_("languages"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["committee", "starts_on"]),
            models.Index(fields=["region", "starts_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if bool(self.committee_id) == bool(self.region_id):
            raise ValidationError(
                _("A meeting belongs to a committee, or is a regional coordination meeting of one region.")
            )
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A meeting ends on or after the day it starts.")})

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    REGISTERED = "registered", _("Registered")
    DECLINED = "declined", _("Declined")


class Invitation(ScopedModel):
    """A delegation invited to a meeting: an administration, an office or a named person; its
    registration and whether it attended."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(
        "network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("administration"),
    )
    office = models.ForeignKey(
        "network.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_invitations",
        verbose_name=_("office"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_invitations",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("registration"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.INVITED
    )
    delegates = models.PositiveSmallIntegerField(_("delegates"), default=0)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return str(self.office or self.member or self.person)

    def clean(self) -> None:
        if sum(bool(value) for value in (self.member_id, self.office_id, self.person_id)) != 1:
            raise ValidationError(_("Invite one administration, one office or one person."))

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url()


class ItemKind(models.TextChoices):
    REGULAR = "regular", _("Item")
    MINUTES = "minutes", _("Approval of the previous minutes")
    MATTERS_ARISING = "matters_arising", _("Matters arising")


class AgendaItem(ScopedModel):
    """A point of a meeting's agenda, in order, with its presenters, time and documents, and the
    summary of its discussion; decisions and actions hang from it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices, default=ItemKind.REGULAR)
    title = models.CharField(_("title"), max_length=300)
    presenters = models.CharField(_("presenters"), max_length=300, blank=True)
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes allowed"), null=True, blank=True)
    documents = models.ManyToManyField(
        "knowledge.Document", blank=True, related_name="agenda_items", verbose_name=_("documents")
    )
    summary = models.TextField(_("summary of the discussion"), blank=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url() + f"#item-{self.pk}"


class DecisionState(ScopedModel):
    """A state of the decisions' workflow, as OpenSlides' motion states: which states may follow,
    whether reaching it gives the decision its number, and whether it is final."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=60)
    name_fr = models.CharField(_("name (French)"), max_length=60)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    next_states = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="previous_states"
    )
    numbers = models.BooleanField(_("gives the number"), default=False)
    is_final = models.BooleanField(_("final"), default=False)
    is_initial = models.BooleanField(_("initial"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("decision state")
        verbose_name_plural = _("decision states")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_fr if (get_language() or "").startswith("fr") and self.name_fr else self.name_en

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_list")


class DecisionKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    RECOMMENDATION = "recommendation", _("Recommendation")


class Decision(ScopedModel):
    """A decision or recommendation of an agenda item, in English and French; numbered within its
    meeting when adopted ("18/3")."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions", editable=False)
    kind = models.CharField(
        _("kind"), max_length=16, choices=DecisionKind.choices, default=DecisionKind.DECISION
    )
    text_en = models.TextField(_("text (English)"))
    text_fr = models.TextField(_("text (French)"), blank=True)
    state = models.ForeignKey(DecisionState, on_delete=models.PROTECT, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    is_public = models.BooleanField(_("public once adopted"), default=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["meeting", "number", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="one_decision_number_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.text_en[:80]}"

    @property
    def reference(self) -> str:
        if self.number is None:
            return str(_("draft"))
        return f"{self.meeting.number or self.meeting.starts_on.year}/{self.number}"

    @property
    def text(self) -> str:
        from django.utils.translation import get_language

        return self.text_fr if (get_language() or "").startswith("fr") and self.text_fr else self.text_en

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url() + f"#decision-{self.pk}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated for comments")
    APPROVED = "approved", _("Approved")


class Minutes(ScopedModel):
    """The meeting's minutes: drafted, circulated to the participants (who propose amendments),
    approved at the next session; then locked. Every saved text is a version (`history`)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(
        _("status"), max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    text = models.TextField(_("text"), blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    approved_at = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_minutes",
        verbose_name=_("approved at"),
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(_("Minutes of %(meeting)s") % {"meeting": self.meeting})

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url() + "#minutes"


class Amendment(ScopedModel):
    """A change to circulated minutes proposed by a participant: a passage of the minutes and the
    text to put in its place, or, with no passage, a paragraph to add. The organisers accept it, which
    writes it into the minutes as a new version, or decline it; every amendment is decided before the
    minutes are approved."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    passage = models.TextField(
        _("passage it replaces"),
        blank=True,
        help_text=_("Copy the words of the minutes to change; leave empty to add a paragraph."),
    )
    text = models.TextField(_("proposed amendment"))
    accepted = models.BooleanField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["minutes", "pk"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return self.minutes.get_absolute_url()


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_ACTIONS = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS]


class ActionItem(ScopedModel):
    """What a decision asks someone to do: owned by offices, due on a date, followed by dated
    updates until it is done (with evidence) or dropped (with a reason)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions", editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    decision = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    what = models.TextField(_("what must be done"))
    owners = models.ManyToManyField(
        "network.Office", related_name="meeting_actions", verbose_name=_("owner offices")
    )
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN, db_index=True
    )
    reason = models.CharField(_("reason for dropping"), max_length=300, blank=True)
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="asked_by_actions",
        verbose_name=_("activity"),
    )
    document = models.ForeignKey(
        "knowledge.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )
    submission = models.ForeignKey(
        "conferences.Submission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("conference paper"),
    )
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "reminded_on"])

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.what[:100]

    def clean(self) -> None:
        if self.status == ActionStatus.DROPPED and not self.reason.strip():
            raise ValidationError({"reason": _("Say why the action is dropped.")})

    def get_absolute_url(self) -> str:
        return reverse("meetings:action_detail", args=[self.pk])


class ProgressUpdate(ScopedModel):
    """A dated report on an action by its owner office or an organiser, with the status it leaves."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    status = models.CharField(_("status after"), max_length=12, choices=ActionStatus.choices)
    author = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["action", "-on", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.on}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return self.action.get_absolute_url()
