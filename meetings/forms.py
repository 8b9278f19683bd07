"""Forms for the meetings' pages. They shape input; meetings.services holds the rules.

Every form that offers rows derives from `core.forms.ScopedForm`: its model choices are narrowed to
what the user may view after `setup_fields()`.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from conferences.models import Submission
from core.filtersets import YEAR_MAX, YEAR_MIN
from core.forms import ScopedForm
from knowledge.models import Document
from meetings.models import (
    ActionStatus,
    Decision,
    DecisionKind,
    DecisionState,
    InvitationStatus,
    ItemKind,
    Meeting,
    MeetingMode,
    MeetingStatus,
)
from network.models import Committee, Member, Office, Region
from people.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("pt", _("Portuguese")),
    ("ru", _("Russian")),
]
# Evidence choices: the most recent rows the user may see (a select of every activity would not load).
EVIDENCE_CHOICES = 300


class IdsField(forms.ModelMultipleChoiceField):
    """Several rows by id; an id no database column can hold is an invalid choice, not an overflow."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                try:
                    number = int(str(pk).strip())
                except ValueError:
                    number = 0
                if not 0 < number < 2**63:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


def _text(label, rows=4, required=True, max_length=20000):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=required,
        max_length=max_length,
    )


def _recent(queryset, user, order: str, keep=None):
    """The newest EVIDENCE_CHOICES rows of `queryset` the user may view (plus `keep`), as a queryset
    that can still be filtered (a sliced one cannot validate a choice)."""
    newest = queryset.restrict(user).order_by(order, "-pk").values_list("pk", flat=True)[:EVIDENCE_CHOICES]
    chosen = queryset.model.objects.filter(pk__in=list(newest))
    if keep is not None:
        chosen = chosen | queryset.model.objects.filter(pk=keep)
    return chosen.order_by(order, "-pk")


class MeetingFilterForm(ScopedForm):
    committee = forms.ModelChoiceField(
        queryset=Committee.objects.order_by("name"), required=False, label=_("Committee")
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.order_by("name"), to_field_name="slug", required=False, label=_("Region")
    )


class MeetingForm(ScopedForm):
    committee = forms.ModelChoiceField(
        queryset=Committee.objects.order_by("name"),
        required=False,
        label=_("Committee or working group"),
        help_text=_("Leave empty for a regional coordination meeting."),
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.order_by("name"),
        required=False,
        label=_("Region"),
        help_text=_("For a regional coordination meeting: the region whose ROCB organises it."),
    )
    series = forms.CharField(max_length=120, required=False, label=_("Series"))
    number = forms.IntegerField(min_value=1, max_value=32767, required=False, label=_("Session number"))
    title = forms.CharField(max_length=200, label=_("Title"))
    starts_on = forms.DateField(widget=DATE, label=_("Starts on"))
    ends_on = forms.DateField(widget=DATE, label=_("Ends on"))
    mode = forms.ChoiceField(choices=MeetingMode.choices, initial=MeetingMode.IN_PERSON, label=_("Format"))
    venue = forms.CharField(max_length=200, required=False, label=_("Venue"))
    host_member = forms.ModelChoiceField(
        queryset=Member.objects.order_by("name"), required=False, label=_("Host administration")
    )
    host_office = forms.ModelChoiceField(
        queryset=Office.objects.order_by("name"), required=False, label=_("Host office")
    )
    organisers = IdsField(queryset=Office.objects.order_by("name"), required=False, label=_("Co-organisers"))
    languages = forms.MultipleChoiceField(
        choices=LANGUAGE_CHOICES, initial=["en", "fr"], required=False, label=_("Languages")
    )
    status = forms.ChoiceField(
        choices=MeetingStatus.choices, initial=MeetingStatus.PLANNED, label=_("Status")
    )

    def __init__(self, *args, instance: Meeting | None = None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        if self.instance is None:
            del self.fields["status"]
        else:
            # A meeting stays with its committee or region.
            del self.fields["committee"]
            del self.fields["region"]

    def clean_languages(self):
        return self.cleaned_data.get("languages") or ["en"]  # a meeting is held in one language at least

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A meeting ends on or after the day it starts."))
        return data


def meeting_initial(meeting: Meeting) -> dict:
    fields = (
        "series", "number", "title", "starts_on", "ends_on", "mode", "venue",
        "host_member", "host_office", "languages", "status",
    )  # fmt: skip
    initial = {name: getattr(meeting, name) for name in fields}
    initial["organisers"] = list(meeting.organisers.all())
    return initial


class InvitationAddForm(ScopedForm):
    member = forms.ModelChoiceField(
        queryset=Member.objects.order_by("name"), required=False, label=_("Administration")
    )
    office = forms.ModelChoiceField(
        queryset=Office.objects.order_by("name"), required=False, label=_("Office")
    )
    # A named person by their email: the registry holds tens of thousands of people, too many to list.
    person_email = forms.EmailField(
        required=False, label=_("Person (email)"), help_text=_("A person of the registry, by their email.")
    )

    def clean(self):
        data = super().clean()
        email = (data.get("person_email") or "").strip()
        data["person"] = None
        if email:
            data["person"] = (
                Person.objects.restrict(self.user).filter(email__iexact=email).order_by("pk").first()
            )
            if data["person"] is None:
                self.add_error("person_email", _("No person with this email that you may see."))
        chosen = [name for name in ("member", "office", "person") if data.get(name)]
        if len(chosen) != 1 and not self.errors:
            raise forms.ValidationError(_("Invite one administration, one office or one person."))
        return data


ATTENDANCE_CHOICES = [("unknown", "—"), ("true", _("Yes")), ("false", _("No"))]


class InvitationUpdateForm(forms.Form):
    """Validates a row of the attendance table (the meeting page draws its controls itself)."""

    status = forms.ChoiceField(choices=InvitationStatus.choices, label=_("Registration"))
    delegates = forms.IntegerField(min_value=0, max_value=999, initial=0, label=_("Delegates"))
    attended = forms.NullBooleanField(
        required=False, label=_("Attended"), widget=forms.Select(choices=ATTENDANCE_CHOICES)
    )


class ItemForm(ScopedForm):
    title = forms.CharField(max_length=300, label=_("Title"))
    kind = forms.ChoiceField(choices=ItemKind.choices, initial=ItemKind.REGULAR, label=_("Kind"))
    presenters = forms.CharField(max_length=300, required=False, label=_("Presenters"))
    starts_at = forms.TimeField(widget=TIME, required=False, label=_("Time"))
    minutes = forms.IntegerField(min_value=1, max_value=1440, required=False, label=_("Minutes allowed"))
    documents = IdsField(queryset=Document.objects.none(), required=False, label=_("Documents"))
    summary = _text(_("Summary of the discussion"), required=False)

    def setup_fields(self) -> None:
        # The newest documents the user may see (the knowledge base holds thousands; the select
        # searches as one types), not the whole base on every meeting page.
        self.fields["documents"].queryset = _recent(Document.objects.all(), self.user, "-created_at")


class ItemSummaryForm(forms.Form):
    summary = _text(_("Summary of the discussion"), rows=5, required=False)


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(choices=DecisionKind.choices, initial=DecisionKind.DECISION, label=_("Kind"))
    text_en = _text(_("Text (English)"))
    text_fr = _text(_("Text (French)"), required=False)
    is_public = forms.BooleanField(required=False, initial=True, label=_("Public once adopted"))


class DecisionMoveForm(ScopedForm):
    state = forms.ModelChoiceField(queryset=DecisionState.objects.all(), label=_("State"))


class ActionForm(ScopedForm):
    what = _text(_("What must be done"), rows=3)
    owners = IdsField(
        queryset=Office.objects.select_related("region").order_by("name"), label=_("Owner offices")
    )
    due_on = forms.DateField(widget=DATE, required=False, label=_("Due on"))
    decision = forms.ModelChoiceField(queryset=Decision.objects.none(), required=False, label=_("Decision"))

    def __init__(self, *args, item=None, **kwargs):
        self.item = item
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        if self.item is not None:
            self.fields["decision"].queryset = Decision.objects.filter(item=self.item).select_related(
                "meeting"
            )


class MinutesForm(forms.Form):
    text = _text(_("Text of the minutes"), rows=12, required=False, max_length=200000)


class MinutesApproveForm(ScopedForm):
    at = forms.ModelChoiceField(queryset=Meeting.objects.none(), label=_("Approved at"))

    def __init__(self, *args, meeting: Meeting | None = None, **kwargs):
        self.meeting = meeting
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        if self.meeting is None:
            return
        later = Meeting.objects.filter(starts_on__gte=self.meeting.starts_on).exclude(pk=self.meeting.pk)
        if self.meeting.committee_id:
            later = later.filter(committee=self.meeting.committee_id)
        else:
            later = later.filter(region=self.meeting.region_id, committee__isnull=True)
        if self.meeting.series:
            later = later.filter(series=self.meeting.series)
        self.fields["at"].queryset = later.order_by("starts_on", "pk")


class AmendmentForm(forms.Form):
    passage = _text(
        _("Passage it replaces"),
        rows=2,
        required=False,
    )
    text = _text(_("Proposed amendment"), rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["passage"].help_text = _(
            "Copy the words of the minutes to change; leave empty to add a paragraph."
        )


class AmendmentDecideForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", _("Accept")), ("0", _("Decline"))], coerce=lambda value: value == "1"
    )


class ProgressForm(forms.Form):
    text = _text(_("Progress"), rows=3)
    status = forms.ChoiceField(choices=ActionStatus.choices, label=_("Status after"))
    on = forms.DateField(widget=DATE, required=False, label=_("Date"))
    reason = forms.CharField(max_length=300, required=False, label=_("Reason for dropping"))

    def clean(self):
        data = super().clean()
        if data.get("status") == ActionStatus.DROPPED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the action is dropped."))
        return data


class EvidenceForm(ScopedForm):
    activity = forms.ModelChoiceField(queryset=Activity.objects.none(), required=False, label=_("Activity"))
    document = forms.ModelChoiceField(queryset=Document.objects.none(), required=False, label=_("Document"))
    submission = forms.ModelChoiceField(
        queryset=Submission.objects.none(), required=False, label=_("Conference paper")
    )

    def __init__(self, *args, action=None, **kwargs):
        self.action = action
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        action = self.action
        self.fields["activity"].queryset = _recent(
            Activity.objects.all(), self.user, "-start_date", keep=getattr(action, "activity_id", None)
        )
        self.fields["document"].queryset = _recent(
            Document.objects.all(), self.user, "-created_at", keep=getattr(action, "document_id", None)
        )
        self.fields["submission"].queryset = _recent(
            Submission.objects.all(), self.user, "-created_at", keep=getattr(action, "submission_id", None)
        )

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(name) for name in ("activity", "document", "submission")):
            raise forms.ValidationError(_("Choose an activity, a document or a conference paper."))
        return data


class RegisterFilterForm(ScopedForm):
    """The decisions register's filters (search in both languages, year, state)."""

    q = forms.CharField(max_length=200, required=False, label=_("Search"))
    year = forms.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX, required=False, label=_("Year"))
    state = forms.ModelChoiceField(
        queryset=DecisionState.objects.order_by("position"),
        to_field_name="code",
        required=False,
        label=_("State"),
        empty_label=_("Adopted"),
    )
