"""Forms for experts' pages. They shape input; experts.services holds the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import LANGUAGES
from core.forms import ScopedForm, ScopedModelForm
from experts.models import (
    RATING_CHOICES,
    EvaluatorKind,
    ExpertProfile,
    LanguageLevel,
    Recommendation,
    Slot,
)
from network.models import Member


class ProfileForm(ScopedModelForm):
    class Meta:
        model = ExpertProfile
        fields = [
            "current_post",
            "topics",
            "expertise",
            "instruments",
            "years_experience",
            "phone",
            "max_deployments_per_year",
        ]
        widgets = {
            "expertise": forms.Textarea(attrs={"rows": 4}),
            "instruments": forms.Textarea(attrs={"rows": 2}),
        }


class CvForm(forms.Form):
    cv = forms.FileField(label=_("CV (PDF or DOCX)"))


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=LANGUAGES, label=_("Language"))
    level = forms.ChoiceField(choices=LanguageLevel.choices, label=_("Level"))


class UnavailabilityForm(forms.Form):
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)


class ConflictForm(ScopedForm):
    member = forms.ModelChoiceField(queryset=Member.objects.order_by("name"), label=_("Administration"))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)


class SlotForm(ScopedModelForm):
    class Meta:
        model = Slot
        fields = ["role", "pool", "language", "terms_of_reference"]
        widgets = {"terms_of_reference": forms.Textarea(attrs={"rows": 3})}


class EvaluationForm(forms.Form):
    kind = forms.ChoiceField(choices=EvaluatorKind.choices, label=_("You rate as"))
    technical = forms.TypedChoiceField(choices=RATING_CHOICES, coerce=int, label=_("Technical knowledge"))
    communication = forms.TypedChoiceField(choices=RATING_CHOICES, coerce=int, label=_("Communication"))
    preparation = forms.TypedChoiceField(choices=RATING_CHOICES, coerce=int, label=_("Preparation"))
    fit = forms.TypedChoiceField(choices=RATING_CHOICES, coerce=int, label=_("Fit with the administration"))
    recommendation = forms.ChoiceField(choices=Recommendation.choices, label=_("Future use"))
    comments = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class RosterForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"), help_text=_("At most 5 MB and 5,000 rows."))
