"""Forms for the conferences' pages. They shape input; conferences.services holds the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import LANGUAGES
from conferences.models import (
    AffiliationKind,
    BidValue,
    Call,
    Conference,
    ConferenceKind,
    ConflictKind,
    OtherReviews,
    Reviewer,
    ReviewerKind,
    ReviewMode,
    SubmissionStatus,
)
from core.forms import ScopedForm
from network.models import Member, Region
from people.models import Person
from topics.models import Topic

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"})
LANGUAGE_CHOICES = [(code, label) for code, label in LANGUAGES]


def score_field(label):
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "—")] + [(value, str(value)) for value in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
    )


class ConferenceForm(ScopedForm):
    kind = forms.ChoiceField(choices=ConferenceKind.choices, label=_("Kind"))
    title = forms.CharField(max_length=200, label=_("Title"))
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("Year"))
    number = forms.IntegerField(min_value=1, max_value=999, required=False, label=_("Edition (PICARD)"))
    starts_on = forms.DateField(required=False, widget=DATE, label=_("Starts on"))
    ends_on = forms.DateField(required=False, widget=DATE, label=_("Ends on"))
    city = forms.CharField(max_length=100, required=False, label=_("City"))
    country = forms.CharField(max_length=100, required=False, label=_("Country"))
    format = forms.CharField(max_length=60, required=False, label=_("Format"), initial="in person")
    host = forms.CharField(max_length=300, required=False, label=_("Host or co-organiser"))
    theme = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Theme"))
    region = forms.ModelChoiceField(
        queryset=Region.objects.order_by("name"),
        required=False,
        label=_("Hosting region"),
        help_text=_("For a regional research conference; an ROCB officer's own region by default."),
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The conference ends after it starts."))
        if data.get("kind") == ConferenceKind.PICARD and data.get("region"):
            self.add_error("region", _("A PICARD conference has no hosting region."))
        return data


class CallForm(ScopedForm):
    title = forms.CharField(max_length=200, label=_("Title"))
    themes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Themes"))
    topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.all(), required=False, label=_("Topics"))
    abstract_deadline = forms.DateTimeField(widget=DATETIME, label=_("Abstract deadline"))
    paper_deadline = forms.DateTimeField(widget=DATETIME, label=_("Full paper deadline"))
    camera_ready_deadline = forms.DateTimeField(widget=DATETIME, label=_("Camera-ready deadline"))
    languages = forms.MultipleChoiceField(
        choices=LANGUAGE_CHOICES, initial=["en", "fr"], label=_("Languages")
    )
    abstract_max_words = forms.IntegerField(
        min_value=50, max_value=2000, initial=300, label=_("Abstract words at most")
    )
    paper_max_pages = forms.IntegerField(
        min_value=1, max_value=200, initial=25, label=_("Paper pages at most")
    )
    review_mode = forms.ChoiceField(
        choices=ReviewMode.choices, initial=ReviewMode.DOUBLE_BLIND, label=_("Review")
    )
    reviewers_per_paper = forms.IntegerField(
        min_value=1, max_value=10, initial=3, label=_("Reviewers per paper")
    )
    reviewer_load = forms.IntegerField(
        min_value=1, max_value=50, initial=8, label=_("Papers per reviewer at most")
    )


class CallStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Call._meta.get_field("status").choices, label=_("Status"))


class PhaseForm(forms.Form):
    name = forms.CharField(max_length=100, label=_("Name"))
    ends_at = forms.DateTimeField(widget=DATETIME, required=False, label=_("Reviews due"))
    may_review = forms.BooleanField(required=False, label=_("Reviewers may write reviews"))
    may_bid = forms.BooleanField(required=False, label=_("Reviewers may bid"))
    sees_all_papers = forms.BooleanField(required=False, label=_("Reviewers see every paper"))
    other_reviews = forms.ChoiceField(
        choices=OtherReviews.choices, label=_("Reviewers see the other reviews")
    )
    author_names_shown = forms.BooleanField(required=False, label=_("Author names shown to reviewers"))


class SubmissionForm(ScopedForm):
    title = forms.CharField(max_length=300, label=_("Title"))
    abstract = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label=_("Abstract"))
    topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.all(), required=False, label=_("Topics"))
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, label=_("Language"))

    def __init__(self, *args, call: Call | None = None, **kwargs):
        self.call = call
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        self.fields["language"].choices = [
            (code, label) for code, label in LANGUAGES if self.call is None or code in self.call.languages
        ]


class AuthorForm(ScopedForm):
    first_name = forms.CharField(max_length=100, label=_("First name"))
    last_name = forms.CharField(max_length=100, label=_("Last name"))
    email = forms.EmailField(required=False, label=_("Email"))
    affiliation_kind = forms.ChoiceField(choices=AffiliationKind.choices, label=_("Affiliation"))
    institution = forms.CharField(
        max_length=200,
        required=False,
        label=_("Institution"),
        help_text=_("A university, company or other body."),
    )
    member = forms.ModelChoiceField(
        queryset=Member.objects.all(), required=False, label=_("Customs administration")
    )


class FileForm(forms.Form):
    file = forms.FileField(label=_("Paper (PDF or DOCX)"))


class DeclareConflictForm(ScopedForm):
    person = forms.ModelChoiceField(queryset=Person.objects.all(), label=_("Person"))
    kind = forms.ChoiceField(choices=ConflictKind.choices, label=_("Type"))
    note = forms.CharField(max_length=300, required=False, label=_("Note"))

    def __init__(self, *args, conference: Conference | None = None, **kwargs):
        self.conference = conference
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        # Authors declare conflicts with the conference's reviewers; restriction of the choices to
        # people the user may see is skipped on purpose: the pool is listed by name to authors.
        self.fields["person"].queryset = Person.objects.filter(
            reviewer_roles__conference=self.conference
        ).order_by("last_name", "first_name")


class ReviewForm(forms.Form):
    relevance = score_field(_("Relevance to customs"))
    originality = score_field(_("Originality"))
    rigour = score_field(_("Rigour"))
    practical_value = score_field(_("Practical value"))
    clarity = score_field(_("Clarity"))
    confidence = score_field(_("Your confidence"))
    to_authors = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, label=_("Comments to the authors")
    )
    to_committee = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label=_("Comments to the committee (not shown to authors)"),
    )


class CommentForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, label=_("Comment"))


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (SubmissionStatus.ACCEPTED_PAPER, SubmissionStatus.ACCEPTED_PAPER.label),
            (SubmissionStatus.ACCEPTED_POSTER, SubmissionStatus.ACCEPTED_POSTER.label),
            (SubmissionStatus.REJECTED, SubmissionStatus.REJECTED.label),
        ],
        label=_("Decision"),
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Note to the authors")
    )


class PinForm(ScopedForm):
    reviewer = forms.ModelChoiceField(queryset=Reviewer.objects.none(), label=_("Reviewer"))
    is_conflict = forms.TypedChoiceField(
        choices=[("1", _("Conflict")), ("0", _("No conflict"))],
        coerce=lambda value: value == "1",
        label=_("Decision"),
    )
    kind = forms.ChoiceField(choices=ConflictKind.choices, label=_("Type"))
    justification = forms.CharField(max_length=500, label=_("Justification"))

    def __init__(self, *args, conference: Conference | None = None, **kwargs):
        self.conference = conference
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        self.fields["reviewer"].queryset = Reviewer.objects.filter(conference=self.conference).select_related(
            "person"
        )


class AssignForm(ScopedForm):
    reviewer = forms.ModelChoiceField(queryset=Reviewer.objects.none(), label=_("Reviewer"))

    def __init__(self, *args, conference: Conference | None = None, **kwargs):
        self.conference = conference
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        self.fields["reviewer"].queryset = Reviewer.objects.filter(conference=self.conference).select_related(
            "person"
        )


class BidForm(forms.Form):
    value = forms.TypedChoiceField(choices=BidValue.choices, coerce=int, label=_("Your bid"))


class ReviewerForm(ScopedForm):
    person = forms.ModelChoiceField(queryset=Person.objects.all(), label=_("Person"))
    kind = forms.ChoiceField(choices=ReviewerKind.choices, label=_("Background"))
    on_committee = forms.BooleanField(required=False, label=_("Programme committee"))
    institution = forms.CharField(max_length=200, required=False, label=_("Institution"))
    expertise = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Expertise")
    )
    topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.all(), required=False, label=_("Topics"))
    languages = forms.MultipleChoiceField(
        choices=LANGUAGE_CHOICES, initial=["en"], label=_("Working languages")
    )
    max_load = forms.IntegerField(min_value=1, max_value=50, required=False, label=_("Papers at most"))


class ReviewerProfileForm(ScopedForm):
    """What a reviewer changes on their own profile."""

    institution = forms.CharField(max_length=200, required=False, label=_("Institution"))
    expertise = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label=_("Expertise")
    )
    topics = forms.ModelMultipleChoiceField(queryset=Topic.objects.all(), required=False, label=_("Topics"))
    languages = forms.MultipleChoiceField(choices=LANGUAGE_CHOICES, label=_("Working languages"))
    max_load = forms.IntegerField(min_value=1, max_value=50, required=False, label=_("Papers at most"))


class StandingConflictForm(ScopedForm):
    kind = forms.ChoiceField(choices=ConflictKind.choices, label=_("Type"))
    other_person = forms.ModelChoiceField(queryset=Person.objects.all(), required=False, label=_("Person"))
    member = forms.ModelChoiceField(queryset=Member.objects.all(), required=False, label=_("Administration"))
    institution = forms.CharField(max_length=200, required=False, label=_("Institution"))
    note = forms.CharField(max_length=300, required=False, label=_("Note"))


class ConflictCheckForm(ScopedForm):
    people = forms.ModelMultipleChoiceField(queryset=Person.objects.all(), label=_("Suggested reviewers"))


class RecommendForm(ScopedForm):
    document = forms.ModelChoiceField(queryset=None, label=_("Report"))
    call = forms.ModelChoiceField(queryset=Call.objects.none(), label=_("Open call"))
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Message to the authors")
    )

    def setup_fields(self) -> None:
        from conferences.models import CallStatus
        from conferences.services import RECOMMENDABLE_KINDS
        from knowledge.models import Document

        documents = Document.objects.filter(kind__in=RECOMMENDABLE_KINDS)
        if getattr(self.user, "region_id", None):
            documents = documents.filter(region=self.user.region_id)
        self.fields["document"].queryset = documents.order_by("-date", "title")
        self.fields["call"].queryset = Call.objects.filter(status=CallStatus.OPEN).select_related(
            "conference"
        )


class SessionForm(ScopedForm):
    """A session of a conference's programme: its chair among the conference's reviewers, its
    papers among the conference's accepted papers."""

    title = forms.CharField(max_length=200, label=_("Title"))
    chair = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label=_("Chair"))
    starts_at = forms.DateTimeField(widget=DATETIME, label=_("Starts"))
    ends_at = forms.DateTimeField(widget=DATETIME, label=_("Ends"))
    room = forms.CharField(max_length=100, required=False, label=_("Room"))
    papers = forms.ModelMultipleChoiceField(queryset=None, required=False, label=_("Papers"))

    def __init__(self, *args, conference: Conference | None = None, **kwargs):
        self.conference = conference
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        from conferences.models import ACCEPTED, Submission

        self.fields["chair"].queryset = Person.objects.filter(
            reviewer_roles__conference=self.conference
        ).order_by("last_name", "first_name", "pk")
        self.fields["papers"].queryset = Submission.objects.filter(
            call__conference=self.conference, status__in=ACCEPTED
        ).order_by("title", "pk")

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("A session ends after it starts."))
        return data
