"""FilterSets for results and indicators: the API's filters (ids are bounded number filters)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtersets import FilterSet
from results.models import Indicator, Level, Result


class ResultFilterSet(FilterSet):
    programme = django_filters.NumberFilter(field_name="programme", label=_("Programme"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"))

    class Meta:
        model = Result
        fields = ["programme", "level"]


class IndicatorFilterSet(FilterSet):
    programme = django_filters.NumberFilter(field_name="result__programme", label=_("Programme"))
    result = django_filters.NumberFilter(field_name="result", label=_("Result"))

    class Meta:
        model = Indicator
        fields = ["programme", "result"]
