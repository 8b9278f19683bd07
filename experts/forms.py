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
    Pool,
    Recommendation,
    Slot,
)
from experts.services import may_add_expert_of
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


class ExpertAddForm(ScopedModelForm):
    """A new expert in one page: who they are, where they come from, what they know. More languages,
    the CV, availability and conflicts are added on the profile afterwards."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=[])
    language = forms.ChoiceField(choices=LANGUAGES, label=_("Main working language"))
    level = forms.ChoiceField(choices=LanguageLevel.choices, label=_("Level"))
    pool = forms.ModelChoiceField(
        queryset=Pool.objects.order_by("name"),
        required=False,
        label=_("Put forward for a pool"),
        help_text=_("Optional: starts their accreditation in this pool."),
    )

    field_order = ["first_name", "last_name", "email", "gender", "home_member", "current_post"]

    class Meta:
        model = ExpertProfile
        fields = ["home_member", "current_post", "years_experience", "topics", "expertise", "instruments"]
        widgets = {
            "expertise": forms.Textarea(attrs={"rows": 4}),
            "instruments": forms.Textarea(attrs={"rows": 2}),
        }

    def setup_fields(self) -> None:
        from people.models import Gender

        # No answer is chosen for the person: the organisers count women and men from it.
        self.fields["gender"].choices = [("", _("Choose…")), *Gender.choices]
        home = self.fields["home_member"]
        home.required = True
        addable = [m.pk for m in Member.objects.only("pk", "region_id") if may_add_expert_of(self.user, m)]
        home.queryset = home.queryset.filter(pk__in=addable).order_by("name")

    def expert_fields(self) -> dict:
        """The cleaned data as experts.services.expert_add takes it."""
        data = self.cleaned_data
        profile = {
            name: data[name] for name in ("current_post", "years_experience", "expertise", "instruments")
        }
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"],
            "gender": data["gender"],
            "home_member": data["home_member"],
            "data": {**profile, "topics": list(data["topics"])},
            "languages": [(data["language"], data["level"])],
            "pools": [data["pool"]] if data["pool"] else [],
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
