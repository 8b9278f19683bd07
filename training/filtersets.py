"""FilterSets of the training pages: the catalogue page, its CSV/XLSX export and the API share one."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models import LANGUAGES, Activity, DeliveryMode
from core.filtersets import FilterSet
from network.filtersets import RegionFilter, SearchFilterSet
from network.models import Member, Office, OfficeKind
from topics.models import Topic
from training.models import (
    Competency,
    CompetencyFramework,
    Completion,
    CompletionStatus,
    Module,
    Product,
    ProductKind,
    ProductLevel,
    ProductStatus,
    RecognitionApplication,
    RecognitionStatus,
    Session,
)


def _centres(request):
    return Office.objects.filter(kind__in=[OfficeKind.RTC, OfficeKind.ROCB, OfficeKind.SECRETARIAT]).order_by(
        "kind", "name"
    )


def _visible(request, model):
    from django.contrib.auth.models import AnonymousUser

    user = request.user if request is not None else AnonymousUser()
    return model.objects.restrict(user)


class ProductFilterSet(SearchFilterSet):
    search_fields = ("title", "title_fr", "description", "description_fr", "audience")
    topic = django_filters.ModelChoiceFilter(
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        label=_("Topic"),
        distinct=True,
    )
    kind = django_filters.ChoiceFilter(choices=ProductKind.choices, label=_("Kind"))
    level = django_filters.ChoiceFilter(choices=ProductLevel.choices, label=_("Level"))
    language = django_filters.ChoiceFilter(choices=LANGUAGES, label=_("Language"), method="filter_code_list")
    delivery_mode = django_filters.ChoiceFilter(
        choices=DeliveryMode.choices, label=_("Delivery mode"), method="filter_code_list"
    )
    centre = django_filters.ModelChoiceFilter(
        field_name="owner_office", queryset=_centres, to_field_name="code", label=_("Centre")
    )
    region = RegionFilter(field_name="owner_office__region", label=_("Region"))
    competency = django_filters.ModelChoiceFilter(
        field_name="competencies",
        queryset=Competency.objects.select_related("area"),
        label=_("Competency"),
        distinct=True,
    )
    status = django_filters.ChoiceFilter(choices=ProductStatus.choices, label=_("Status"))

    class Meta:
        model = Product
        fields = [
            "q",
            "topic",
            "kind",
            "level",
            "language",
            "delivery_mode",
            "centre",
            "region",
            "competency",
            "status",
        ]

    def filter_code_list(self, queryset, name, value):
        """Codes kept comma-separated ("en,fr"): match one whole code, not a part of another."""
        field = "languages" if name == "language" else "delivery_modes"
        return queryset.filter(
            Q(**{field: value})
            | Q(**{f"{field}__startswith": f"{value},"})
            | Q(**{f"{field}__endswith": f",{value}"})
            | Q(**{f"{field}__contains": f",{value},"})
        )


class CompletionFilterSet(SearchFilterSet):
    search_fields = ("person__first_name", "person__last_name", "product__title")
    status = django_filters.ChoiceFilter(choices=CompletionStatus.choices, label=_("Status"))
    product = django_filters.ModelChoiceFilter(
        queryset=lambda request: _visible(request, Product), label=_("Product")
    )
    region = RegionFilter(field_name="member__region", label=_("Region"))
    year = django_filters.NumberFilter(field_name="completed_on__year", label=_("Year"))

    class Meta:
        model = Completion
        fields = ["q", "status", "product", "region", "year"]


class ModuleFilterSet(FilterSet):
    """A product's modules; an id the caller may not see is refused like one that does not exist."""

    product = django_filters.ModelChoiceFilter(queryset=lambda request: _visible(request, Product))

    class Meta:
        model = Module
        fields = ["product"]


class SessionFilterSet(FilterSet):
    product = django_filters.ModelChoiceFilter(queryset=lambda request: _visible(request, Product))
    activity = django_filters.ModelChoiceFilter(queryset=lambda request: _visible(request, Activity))

    class Meta:
        model = Session
        fields = ["product", "activity"]


OPEN = "open"  # the Secretariat's queue: submitted or under review


class RecognisedFilterSet(SearchFilterSet):
    """Recognition applications by programme or institution, country and framework: the public list
    of recognised programmes, the applications' list (with their status) and the API share it."""

    search_fields = ("programme", "institution__name")
    country = django_filters.ModelChoiceFilter(
        field_name="institution__country",
        queryset=Member.objects.filter(institutions__isnull=False).distinct(),
        label=_("Country"),
    )
    framework = django_filters.ModelChoiceFilter(
        queryset=CompetencyFramework.objects.all(), label=_("Competency framework")
    )

    class Meta:
        model = RecognitionApplication
        fields = ["q", "country", "framework"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].label = _("Programme or institution")


class ApplicationFilterSet(RecognisedFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(OPEN, _("Submitted or under review")), *RecognitionStatus.choices],
        empty_label=_("Any"),
        method="filter_status",
    )

    class Meta(RecognisedFilterSet.Meta):
        fields = ["status", "q", "country", "framework"]

    def filter_status(self, queryset, name, value):
        from training.recognition import OPEN_STATUSES

        return queryset.filter(status__in=OPEN_STATUSES) if value == OPEN else queryset.filter(status=value)
