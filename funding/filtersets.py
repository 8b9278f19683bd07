import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtersets import FilterSet
from funding.currencies import currency_choices
from funding.models import Donor, DonorKind, ExchangeRate
from network.filtersets import SearchFilterSet


class DonorFilterSet(SearchFilterSet):
    search_fields = ("name",)
    kind = django_filters.ChoiceFilter(choices=DonorKind.choices, label=_("Kind"))

    class Meta:
        model = Donor
        fields = ["q", "kind"]


class RateFilterSet(FilterSet):
    currency = django_filters.ChoiceFilter(choices=currency_choices, label=_("Currency"))

    class Meta:
        model = ExchangeRate
        fields = ["currency"]
