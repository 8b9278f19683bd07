"""Forms for activities and requests: they shape input; activities.services holds the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import LANGUAGES, Activity, AssistanceRequest, ImportBatch, Status
from core.forms import ScopedForm, ScopedModelForm
from core.permissions import Action, is_secretariat, policy_for
from core.widgets import SearchableSelectsMixin
from network.models import Member, Office


class ActivityForm(SearchableSelectsMixin, ScopedModelForm):
    languages = forms.MultipleChoiceField(
        choices=LANGUAGES, required=False, label=_("Languages"), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "kind",
            "project",
            "lead_office",
            "organising_offices",
            "host_member",
            "beneficiary_members",
            "topics",
            "start_date",
            "end_date",
            "venue",
            "city",
            "delivery_mode",
            "languages",
            "objectives",
            "expected_results",
            "funding_agreement",
            "budget_amount",
            "budget_currency",
            "actual_cost",
            "actual_currency",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
        }

    def setup_fields(self):
        if self.instance.pk:
            self.initial["languages"] = self.instance.language_list
        self.fields["lead_office"].queryset = Office.objects.exclude(kind="").order_by("kind", "name")

    def clean_languages(self):
        return ",".join(self.cleaned_data["languages"])


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=Status.choices, label=_("New status"))
    comment = forms.CharField(
        required=False, label=_("Comment or reason"), widget=forms.Textarea(attrs={"rows": 2})
    )


def requestable_members(user):
    """The administrations `user` may request assistance for, read from the request policy: a focal
    point their own, an ROCB officer their region's, the Secretariat every one."""
    if is_secretariat(user):
        return Member.objects.all()
    grant = policy_for(AssistanceRequest).grants(Action.ADD).get(getattr(user, "role", None))
    if grant == "member" and user.member_id:
        return Member.objects.filter(pk=user.member_id)
    if grant == "region" and user.region_id:
        return Member.objects.filter(region_id=user.region_id)
    return Member.objects.none()


class RequestForm(SearchableSelectsMixin, ScopedModelForm):
    class Meta:
        model = AssistanceRequest
        fields = ["member", "service", "topics", "need_statement", "urgency"]
        widgets = {"need_statement": forms.Textarea(attrs={"rows": 5})}

    def setup_fields(self):
        member = self.fields["member"]
        member.queryset = requestable_members(self.user).order_by("name")
        if self.user.member_id and not is_secretariat(self.user):
            member.empty_label = None  # a focal point requests for their own administration only
            member.initial = self.user.member_id


class AcceptRequestForm(SearchableSelectsMixin, ScopedModelForm):
    """The activity an accepted request turns into."""

    class Meta:
        model = Activity
        fields = ["title", "kind", "lead_office", "start_date", "end_date", "delivery_mode"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }


class DeclineRequestForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class MergeRequestForm(ScopedForm):
    into = forms.ModelChoiceField(queryset=AssistanceRequest.objects.none(), label=_("Merge into request"))
    comment = forms.CharField(required=False, label=_("Comment"))


class NominateForm(SearchableSelectsMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=[])
    job_title = forms.CharField(label=_("Job title"), required=False)

    def __init__(self, *args, **kwargs):
        from people.models import Gender

        super().__init__(*args, **kwargs)
        # No answer is chosen for the person: the organisers count women and men from it.
        self.fields["gender"].choices = [("", _("Choose…")), *Gender.choices]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"), help_text=_("At most 5 MB and 5,000 rows."))
    kind = forms.ChoiceField(choices=ImportBatch.Kind.choices, widget=forms.HiddenInput)

    def clean_file(self):
        from activities.imports import MAX_BYTES
        from core.uploads import check_size

        upload = self.cleaned_data["file"]
        check_size(upload, MAX_BYTES)  # before a byte of it is read
        return upload
