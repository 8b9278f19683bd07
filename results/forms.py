"""Forms of the results pages. Numbers are read as text and checked by the services, so a value that
is not a number gets the services' message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ActivityKind
from core.forms import ScopedForm
from knowledge.models import Document
from people.models import Gender
from results.measures import measure_choices
from results.models import Direction, Disaggregation, Level, Result
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
