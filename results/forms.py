"""Forms of the results pages. Numbers are read as text and checked by the services, so a value that
is not a number gets the services' message."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ActivityKind
from core.forms import ScopedForm
from knowledge.models import Document
from network.models import Office
from people.models import Gender, Person
from results.evaluations import TEXT_LIMIT
from results.measures import measure_choices
from results.models import (
    Direction,
    Disaggregation,
    EvaluationKind,
    FollowUpStatus,
    Level,
    Response,
    Result,
    RiskStatus,
)
from results.reports import NARRATIVE_MAX
from topics.models import Topic

YEAR = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


def _text(label, required=True, rows=3):
    return forms.CharField(
        label=label, required=required, max_length=5000, widget=forms.Textarea(attrs={"rows": rows})
    )


class ResultForm(ScopedForm):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    parent = forms.ModelChoiceField(queryset=Result.objects.none(), required=False, label=_("Serves"))
    code = forms.CharField(label=_("Code"), max_length=20, required=False)
    statement_en = _text(_("Statement (English)"))
    statement_fr = _text(_("Statement (French)"), required=False)
    assumptions = _text(_("Assumptions"), required=False)
    is_published = forms.BooleanField(label=_("Published (public)"), required=False)

    def __init__(self, *args, programme=None, **kwargs):
        self.programme = programme
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        if self.programme is not None:
            self.fields["parent"].queryset = Result.objects.filter(
                programme=self.programme, level__in=[Level.GOAL, Level.OUTCOME]
            )


class IndicatorForm(ScopedForm):
    title_en = forms.CharField(label=_("Indicator (English)"), max_length=300)
    title_fr = forms.CharField(label=_("Indicator (French)"), max_length=300, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    disaggregation = forms.ChoiceField(
        label=_("Disaggregated by"), choices=Disaggregation.choices, required=False
    )
    measure = forms.ChoiceField(label=_("Computed from"), choices=(), required=False)
    measure_kind = forms.ChoiceField(
        label=_("Kind of activity"), choices=[("", "—"), *ActivityKind.choices], required=False
    )
    measure_topic = forms.ModelChoiceField(queryset=Topic.objects.none(), required=False, label=_("Topic"))
    measure_gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    baseline_value = forms.CharField(label=_("Baseline"), max_length=30, required=False)
    baseline_date = forms.DateField(
        label=_("Baseline date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    means_of_verification = _text(_("Means of verification"), required=False)
    on_track_from = forms.DecimalField(
        label=_("On track from (share of target)"), initial=0.9, min_value=0, max_value=2, decimal_places=2
    )
    at_risk_from = forms.DecimalField(
        label=_("At risk from (share of target)"), initial=0.6, min_value=0, max_value=2, decimal_places=2
    )

    def setup_fields(self) -> None:
        self.fields["measure"].choices = measure_choices()
        self.fields["measure_topic"].queryset = Topic.objects.filter(parent__isnull=False).order_by(
            "position", "slug"
        )

    def clean_baseline_value(self):
        value = self.cleaned_data["baseline_value"].strip()
        return value or None


class TargetForm(forms.Form):
    year = YEAR
    value = forms.CharField(label=_("Target"), max_length=30)


class ActualForm(ScopedForm):
    year = YEAR
    value = forms.CharField(label=_("Actual"), max_length=30)
    note = _text(_("Note"), required=False, rows=2)
    evidence_document = forms.ModelChoiceField(
        queryset=Document.objects.none(), required=False, label=_("Evidence (document)")
    )
    evidence_activity = forms.ModelChoiceField(
        queryset=Activity.objects.none(), required=False, label=_("Evidence (activity)")
    )

    def __init__(self, *args, programme=None, **kwargs):
        self.programme = programme
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        # The 200 newest documents the user may see: the knowledge base holds thousands.
        recent = (
            Document.objects.restrict(self.user).order_by("-created_at").values_list("pk", flat=True)[:200]
        )
        self.fields["evidence_document"].queryset = Document.objects.filter(pk__in=list(recent)).order_by(
            "title"
        )
        if self.programme is not None:
            self.fields["evidence_activity"].queryset = Activity.objects.filter(
                project__programme=self.programme
            ).order_by("-start_date")


# --- progress reports and the risk log -----------------------------------------------------------

QUARTERS = [
    ("", _("The whole year")),
    ("1", _("First quarter")),
    ("2", _("Second quarter")),
    ("3", _("Third quarter")),
    ("4", _("Fourth quarter")),
]
SCALE = [(value, str(value)) for value in range(1, 6)]


def _long_text(label, required=True, rows=4):
    return forms.CharField(
        label=label,
        required=required,
        max_length=NARRATIVE_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReportCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Period"), choices=QUARTERS, coerce=int, empty_value=None, required=False
    )


class NarrativeForm(forms.Form):
    narrative = _long_text(_("Narrative"), required=False, rows=12)


class ReturnForm(forms.Form):
    comments = _long_text(_("What must change"))


class RiskForm(ScopedForm):
    description = _long_text(_("Risk"), rows=3)
    likelihood = forms.TypedChoiceField(label=_("Likelihood (1–5)"), choices=SCALE, coerce=int)
    impact = forms.TypedChoiceField(label=_("Impact (1–5)"), choices=SCALE, coerce=int)
    mitigation = _long_text(_("Mitigation"), required=False, rows=3)
    owner = forms.ModelChoiceField(queryset=Office.objects.order_by("name"), required=False, label=_("Owner"))
    status = forms.ChoiceField(label=_("Status"), choices=RiskStatus.choices)


# --- evaluations -------------------------------------------------------------------------------

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


def _evaluation_text(label, required=False, rows=4):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class EvaluationForm(ScopedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvaluationKind.choices)
    evaluators = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("Evaluators"),
        help_text=_("Experts of the roster you may see."),
    )
    terms_of_reference = _evaluation_text(_("Terms of reference"), rows=6)
    findings = _evaluation_text(_("Findings"), rows=8)
    completed_on = forms.DateField(label=_("Completed on"), required=False, **DATE)

    def __init__(self, *args, evaluation=None, **kwargs):
        # The edited evaluation's evaluators stay among the choices (`core.forms` keeps its links).
        self.instance = evaluation
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        current = list(self.instance.evaluators.values_list("pk", flat=True)) if self.instance else []
        self.fields["evaluators"].queryset = Person.objects.filter(
            Q(expert_profile__isnull=False) | Q(pk__in=current)
        ).order_by("last_name", "first_name", "pk")


class RecommendationForm(forms.Form):
    text = _evaluation_text(_("Recommendation"), required=True, rows=3)


class ResponseForm(forms.Form):
    response = forms.ChoiceField(label=_("Management response"), choices=Response.choices)
    response_text = _evaluation_text(_("Response (the reason, when rejected)"), rows=3)


class FollowUpForm(ScopedForm):
    what = _evaluation_text(_("What must be done"), required=True, rows=2)
    owners = forms.ModelMultipleChoiceField(queryset=Office.objects.none(), label=_("Owner offices"))
    due_on = forms.DateField(label=_("Due on"), **DATE)

    def setup_fields(self) -> None:
        self.fields["owners"].queryset = Office.objects.order_by("kind", "code")


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)
    reason = _evaluation_text(_("Reason (when dropped)"), rows=2)
