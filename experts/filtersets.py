"""FilterSets for experts' lists: the roster page, its exports and the API share them."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from activities.models import LANGUAGES
from core.filtersets import FilterSet
from experts.models import (
    Deployment,
    DeploymentStatus,
    ExpertLanguage,
    ExpertProfile,
    Pool,
    PoolKind,
    Unavailability,
)
from experts.services import accredited_filter
from network.filtersets import RegionFilter, SearchFilterSet
from topics.models import Topic


class ExpertFilterForm(forms.Form):
    """The roster's filter form: an availability window that ends before it starts is an error."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("available_from"), cleaned.get("available_to")
        if start and end and end < start:
            self.add_error("available_to", _("The end date is before the start date."))
        return cleaned


class ExpertFilterSet(SearchFilterSet):
    search_fields = ("person__first_name", "person__last_name", "current_post", "expertise", "instruments")
    region = RegionFilter(label=_("Region"))
    pool = django_filters.ModelChoiceFilter(
        field_name="accreditations__pool",
        queryset=Pool.objects.all(),
        to_field_name="code",
        label=_("Pool"),
        distinct=True,
    )
    accredited = django_filters.BooleanFilter(label=_("Accredited now"), method="filter_accredited")
    language = django_filters.ChoiceFilter(choices=LANGUAGES, label=_("Language"), method="filter_language")
    topic = django_filters.ModelChoiceFilter(
        field_name="topics", queryset=Topic.objects.all(), to_field_name="slug", label=_("Topic")
    )
    available_from = django_filters.DateFilter(
        label=_("Available from"), method="filter_available", widget=forms.DateInput(attrs={"type": "date"})
    )
    available_to = django_filters.DateFilter(
        label=_("Available to"), method="filter_noop", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = ExpertProfile
        fields = ["q", "region", "pool", "accredited", "language", "topic", "available_from", "available_to"]
        form = ExpertFilterForm

    def filter_accredited(self, queryset, name, value):
        from experts.models import Accreditation

        accredited = Accreditation.objects.filter(accredited_filter(), profile=OuterRef("pk"))
        return queryset.filter(Exists(accredited)) if value else queryset.exclude(Exists(accredited))

    def filter_language(self, queryset, name, value):
        return queryset.filter(Exists(ExpertLanguage.objects.filter(profile=OuterRef("pk"), language=value)))

    def filter_available(self, queryset, name, value):
        end = self.form.cleaned_data.get("available_to") or value
        overlapping = Q(start_date__lte=end) & Q(end_date__gte=value)
        away = Unavailability.objects.filter(overlapping, profile=OuterRef("pk"))
        booked = Deployment.objects.filter(
            overlapping,
            profile=OuterRef("pk"),
            status__in=[
                DeploymentStatus.INVITED,
                DeploymentStatus.ACCEPTED,
                DeploymentStatus.RELEASED,
                DeploymentStatus.CONFIRMED,
            ],
        )
        return queryset.exclude(Exists(away)).exclude(Exists(booked))

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_available


class PoolFilterSet(SearchFilterSet):
    search_fields = ("name", "name_fr", "description")
    kind = django_filters.ChoiceFilter(choices=PoolKind.choices, label=_("Kind"))
    region = RegionFilter(label=_("Region"))

    class Meta:
        model = Pool
        fields = ["q", "kind", "region"]


class DeploymentFilterSet(FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=DeploymentStatus.choices, label=_("Status"))

    class Meta:
        model = Deployment
        fields = ["status"]
