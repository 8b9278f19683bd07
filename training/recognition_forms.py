"""Forms of the recognition pages. They shape input; training.recognition holds the rules (a retired
competency, a decision without reasons, a conflicted reviewer are refused there, with their message).

Every form that offers rows derives from `core.forms.ScopedForm` and takes `user=`."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedForm
from knowledge.models import Document
from meetings.forms import IdsField
from network.models import Member, Office, OfficeKind
from people.models import Person
from training.models import (
    DECIDED_STATUSES,
    Competency,
    CompetencyFramework,
    Institution,
    InstitutionKind,
    RecognitionStatus,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Document choices: the newest the user may see (a select of every document would not load).
DOCUMENT_CHOICES = 300
MAX_COURSES = 60

SCORE_CHOICES = [
    ("", _("Not scored yet")),
    (0, _("0 — not covered")),
    (1, _("1 — partly covered")),
    (2, _("2 — largely covered")),
    (3, _("3 — fully covered")),
]


def _text(label, rows=4, required=True, max_length=20000, help_text=""):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=required,
        max_length=max_length,
        help_text=help_text,
    )


class _CurrentCompetencies(ModelChoiceIterator):
    """The competencies a course may map to today: the field accepts a retired one too, so the
    service refuses it with its own message rather than "not one of the available choices"."""

    def __init__(self, field):
        super().__init__(field)
        self.queryset = self.queryset.filter(is_retired=False)
        if field.framework is not None:
            self.queryset = self.queryset.filter(area__framework=field.framework)


class CompetencyField(IdsField):
    iterator = _CurrentCompetencies

    def __init__(self, *args, framework=None, **kwargs):
        self.framework = framework
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        if self.framework is not None:
            return str(obj)
        return f"{obj.area.framework.code} · {obj}"


def _competencies(framework=None) -> CompetencyField:
    return CompetencyField(
        queryset=Competency.objects.select_related("area__framework").order_by(
            "area__framework__code", "area__position", "position", "code"
        ),
        framework=framework,
        required=False,
        label=_("Competencies it teaches"),
    )


class ApplicationForm(ScopedForm):
    """The application: the institution (picked, or registered here), the framework, the programme,
    its curriculum and documents. Editing a submitted application (`application=`) offers no new
    institution: it is picked from the list."""

    institution = forms.ModelChoiceField(
        queryset=Institution.objects.select_related("country"),
        required=False,
        label=_("Institution"),
        help_text=_("Pick the applying institution, or register a new one below."),
    )
    institution_name = forms.CharField(label=_("New institution: name"), max_length=250, required=False)
    institution_kind = forms.ChoiceField(
        label=_("New institution: kind"), choices=[("", "—"), *InstitutionKind.choices], required=False
    )
    institution_country = forms.ModelChoiceField(
        queryset=Member.objects.all(), required=False, label=_("New institution: country")
    )
    institution_office = forms.ModelChoiceField(
        queryset=Office.objects.filter(kind=OfficeKind.RTC),
        required=False,
        label=_("New institution: the RTC's office"),
        help_text=_("For a Regional Training Centre only; a coordinator's own centre is filled in."),
    )
    institution_website = forms.URLField(
        label=_("New institution: website"), required=False, max_length=200, assume_scheme="https"
    )
    framework = forms.ModelChoiceField(
        queryset=CompetencyFramework.objects.all(),
        label=_("Competency framework"),
        help_text=_("The standards the programme is designed against, e.g. the WCO Professional Standards."),
    )
    programme = forms.CharField(label=_("Programme"), max_length=250)
    curriculum = _text(
        _("Curriculum"), rows=8, help_text=_("The programme's structure, outcomes and assessment.")
    )
    documents = IdsField(
        queryset=Document.objects.all(),
        required=False,
        label=_("Documents"),
        help_text=_(
            "Documents of the knowledge base: the curriculum, syllabi, the institution's accreditation."
        ),
    )

    NEW_INSTITUTION = ("name", "kind", "country", "office", "website")

    def __init__(self, *args, application=None, **kwargs):
        self.application = application
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        keep = list(self.application.documents.values_list("pk", flat=True)) if self.application else []
        newest = list(
            Document.objects.restrict(self.user)
            .order_by("-pk")
            .values_list("pk", flat=True)[:DOCUMENT_CHOICES]
        )
        self.fields["documents"].queryset = Document.objects.filter(pk__in=newest + keep).order_by("-pk")
        if self.application is not None:
            for name in self.NEW_INSTITUTION:
                del self.fields[f"institution_{name}"]
            self.fields["institution"].required = True
            self.fields["institution"].help_text = ""

    def new_institution(self) -> dict | None:
        if "institution_name" not in self.fields:
            return None
        data = {name: self.cleaned_data.get(f"institution_{name}") for name in self.NEW_INSTITUTION}
        return data if any(value not in (None, "") for value in data.values()) else None

    def application_data(self) -> dict:
        names = ("institution", "framework", "programme", "curriculum", "documents")
        return {name: self.cleaned_data[name] for name in names}


class CourseForm(ScopedForm):
    """A course of the programme with the competencies it claims to teach."""

    title = forms.CharField(label=_("Course"), max_length=250)
    hours = forms.DecimalField(label=_("Hours"), max_digits=6, decimal_places=1, required=False)
    competencies = _competencies()

    def __init__(self, *args, framework=None, **kwargs):
        self.framework = framework
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        self.fields["competencies"] = _competencies(self.framework)

    def course_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in ("title", "hours", "competencies")}


class BaseCourseFormSet(forms.BaseFormSet):
    def courses(self) -> list[dict]:
        """The filled-in rows, in order (empty extra rows are skipped)."""
        return [form.course_data() for form in self.forms if form.has_changed() and form.cleaned_data]


CourseFormSet = forms.formset_factory(
    CourseForm, formset=BaseCourseFormSet, extra=4, max_num=MAX_COURSES, absolute_max=MAX_COURSES
)


class ReviewerAssignForm(ScopedForm):
    person = forms.ModelChoiceField(
        queryset=Person.objects.filter(user__isnull=False)
        .select_related("member")
        .order_by("last_name", "first_name"),
        label=_("Reviewer"),
        help_text=_("People with a cbhub account: they score through it."),
    )

    def __init__(self, *args, application=None, **kwargs):
        self.application = application
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        if self.application is not None:
            self.fields["person"].queryset = self.fields["person"].queryset.exclude(
                recognition_reviews__application=self.application
            )


class ReviewForm(ScopedForm):
    """A score (0–3) and a comment per competency the programme's courses map to, and the review's
    comments. `score_<id>` and `comment_<id>` name a competency's pair."""

    comments = _text(_("Comments on the programme"), rows=5, required=False)

    def __init__(self, *args, competencies=(), reviewer=None, **kwargs):
        self.competencies = list(competencies)
        self.reviewer = reviewer
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        saved = {}
        if self.reviewer is not None:
            saved = {row.competency_id: row for row in self.reviewer.scores.all()}
            self.fields["comments"].initial = self.reviewer.comments
        for competency in self.competencies:
            row = saved.get(competency.pk)
            self.fields[f"score_{competency.pk}"] = forms.TypedChoiceField(
                label=_("Score"),
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial=row.score if row else "",
            )
            self.fields[f"comment_{competency.pk}"] = forms.CharField(
                label=_("Comment"),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=5000,
                initial=row.comment if row else "",
            )
        self.order_fields([*(name for name in self.fields if name != "comments"), "comments"])

    def pairs(self):
        """(competency, score field, comment field) for the template."""
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.competencies]

    def scores(self) -> dict:
        return {
            competency: (
                self.cleaned_data.get(f"score_{competency.pk}"),
                self.cleaned_data.get(f"comment_{competency.pk}") or "",
            )
            for competency in self.competencies
        }


class DecisionForm(ScopedForm):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[(status, RecognitionStatus(status).label) for status in DECIDED_STATUSES],
        widget=forms.RadioSelect,
    )
    reasons = _text(
        _("Reasons"),
        rows=5,
        required=False,
        help_text=_("Always required: they are published with a recognition."),
    )
    conditions = _text(
        _("Conditions"), rows=4, required=False, help_text=_("Required for a recognition with conditions.")
    )
    decided_on = forms.DateField(
        label=_("Decided on"), required=False, widget=DATE, help_text=_("Today if empty.")
    )
    expires_on = forms.DateField(
        label=_("Recognised until"),
        required=False,
        widget=DATE,
        help_text=_("Five years after the decision if empty."),
    )

    def decision_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class WithdrawForm(forms.Form):
    reason = _text(_("Why the application is withdrawn"), rows=2, required=False, max_length=2000)
