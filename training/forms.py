"""Forms of the training pages. Rules (hours, retired competencies, who writes) are the services';
the forms only read what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from activities.models import LANGUAGES, Activity, DeliveryMode, Urgency
from core.forms import ScopedForm, ScopedModelForm
from network.models import Member, Office, OfficeKind
from surveys.models import Purpose, Questionnaire
from topics.models import Topic
from training.models import Competency, Product, ProductStatus

TEXT = {"rows": 3}


class ProductForm(ScopedModelForm):
    delivery_modes = forms.MultipleChoiceField(
        label=_("Delivery modes"), choices=DeliveryMode.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=LANGUAGES)

    class Meta:
        model = Product
        fields = [
            "owner_office",
            "title",
            "title_fr",
            "description",
            "description_fr",
            "kind",
            "level",
            "audience",
            "duration_hours",
            "delivery_modes",
            "languages",
            "objectives",
            "prerequisites",
            "topics",
            "competencies",
            "materials",
            "assessment",
        ]
        widgets = {
            "description": forms.Textarea(attrs=TEXT),
            "description_fr": forms.Textarea(attrs=TEXT),
            "objectives": forms.Textarea(attrs=TEXT),
            "prerequisites": forms.Textarea(attrs=TEXT),
        }

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {"delivery_modes": instance.delivery_mode_list, "languages": instance.language_list},
            )
        super().__init__(*args, instance=instance, **kwargs)

    def setup_fields(self) -> None:
        self.fields["owner_office"].queryset = Office.objects.filter(
            kind__in=[OfficeKind.RTC, OfficeKind.ROCB, OfficeKind.SECRETARIAT]
        ).order_by("kind", "name")
        if self.user.role == Role.RTC_COORDINATOR:
            self.fields["owner_office"].queryset = Office.objects.filter(pk=self.user.office_id)
            self.fields["owner_office"].initial = self.user.office_id
            self.fields["owner_office"].required = False  # the centre's own, whether posted or not
        if self.instance.pk:
            self.fields.pop("owner_office")
        self.fields["competencies"].queryset = Competency.objects.filter(is_retired=False).select_related(
            "area"
        )
        self.fields["assessment"].queryset = Questionnaire.objects.filter(purpose=Purpose.KNOWLEDGE_TEST)

    def clean_owner_office(self):
        office = self.cleaned_data.get("owner_office")
        if office is None and self.user.role == Role.RTC_COORDINATOR:
            return Office.objects.filter(pk=self.user.office_id).first()
        return office

    def clean_delivery_modes(self):
        return ",".join(self.cleaned_data["delivery_modes"])

    def clean_languages(self):
        return ",".join(self.cleaned_data["languages"])


class CompletionFileForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"), help_text=_("An LMS export: at most 20 MB and 100,000 rows.")
    )


class ModuleForm(ScopedForm):
    title = forms.CharField(label=_("Title"), max_length=250)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=250, required=False)
    hours = forms.DecimalField(label=_("Hours"), min_value=0.5, max_value=2000, decimal_places=1)
    objectives = forms.CharField(
        label=_("Objectives"), required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )
    competencies = forms.ModelMultipleChoiceField(
        label=_("Competencies"), queryset=Competency.objects.none(), required=False
    )

    def setup_fields(self) -> None:
        self.fields["competencies"].queryset = Competency.objects.filter(is_retired=False).select_related(
            "area"
        )


class MoveForm(forms.Form):
    to_status = forms.ChoiceField(choices=ProductStatus.choices)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )


class SessionForm(ScopedForm):
    """Name the product an activity delivers (on the activity's page)."""

    product = forms.ModelChoiceField(label=_("Training product"), queryset=Product.objects.none())

    def __init__(self, *args, activity=None, **kwargs):
        self.activity = activity
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        from django.db.models import Q

        from core.permissions import Action

        # The products the user's office may plan sessions of (its own, or its region's), offered
        # in the activity's region: the Secretariat's choice of every product would be hundreds.
        products = Product.objects.restrict(self.user, Action.CHANGE).filter(
            status__in=[ProductStatus.ENDORSED, ProductStatus.OFFERED]
        )
        if self.activity is not None:
            products = products.filter(
                Q(owner_office=self.activity.lead_office_id) | Q(owner_office__region=self.activity.region_id)
            )
        self.fields["product"].queryset = products.select_related("owner_office").order_by("title")


class ScheduleForm(ScopedForm):
    """Link one of the user's activities to this product (on the product's page)."""

    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.objects.none())

    def __init__(self, *args, product=None, **kwargs):
        self.product = product
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        import datetime

        from django.utils import timezone

        from core.permissions import Action

        # The activities the product's centre leads, from two years ago onwards, not yet linked to a
        # product: every activity the Secretariat may change would be thousands of options.
        since = timezone.localdate() - datetime.timedelta(days=730)
        activities = Activity.objects.restrict(self.user, Action.CHANGE).filter(
            training_session__isnull=True, start_date__gte=since
        )
        if self.product is not None:
            activities = activities.filter(lead_office=self.product.owner_office_id)
        self.fields["activity"].queryset = activities.order_by("-start_date", "-pk")


class SessionRequestForm(ScopedForm):
    member = forms.ModelChoiceField(label=_("Administration"), queryset=Member.objects.none())
    for_region = forms.BooleanField(label=_("For the whole region"), required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.MEDIUM)
    need_statement = forms.CharField(
        label=_("What the session should answer"), max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )

    def setup_fields(self) -> None:
        members = Member.objects.all()
        if self.user.role == Role.FOCAL_POINT:
            members = members.filter(pk=self.user.member_id)
            self.fields["member"].initial = self.user.member_id
        self.fields["member"].queryset = members


class InvitationForm(ScopedForm):
    office = forms.ModelChoiceField(label=_("Training centre"), queryset=Office.objects.none())
    title = forms.CharField(label=_("Working title"), max_length=250)
    topics = forms.ModelMultipleChoiceField(label=_("Topics"), queryset=Topic.objects.all(), required=False)
    needs = forms.CharField(
        label=_("The needs behind the invitation"), max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )

    def __init__(self, *args, region=None, **kwargs):
        self.region = region
        super().__init__(*args, **kwargs)

    def setup_fields(self) -> None:
        offices = Office.objects.filter(kind=OfficeKind.RTC).order_by("name")
        if self.region is not None:
            offices = offices.filter(region=self.region)
        self.fields["office"].queryset = offices
