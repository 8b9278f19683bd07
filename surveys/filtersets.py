"""FilterSets for questionnaires, waves, responses and needs: pages, exports and the API share them."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtersets import FilterSet
from network.filtersets import RegionFilter, SearchFilterSet
from surveys.models import BankQuestion, Purpose, Questionnaire, Response, ResponseStatus, Stage, Wave


class QuestionnaireFilterSet(SearchFilterSet):
    search_fields = ("code", "titles")
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices, label=_("Purpose"))
    is_template = django_filters.BooleanFilter(label=_("Template"))

    class Meta:
        model = Questionnaire
        fields = ["q", "purpose", "is_template"]


class WaveFilterSet(SearchFilterSet):
    search_fields = ("activity__title", "questionnaire__code", "questionnaire__titles")
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("Stage"))
    region = RegionFilter(label=_("Region"))
    year = django_filters.NumberFilter(label=_("Year"))
    activity = django_filters.NumberFilter(field_name="activity", label=_("Activity"))

    class Meta:
        model = Wave
        fields = ["q", "stage", "region", "year", "activity"]


class ResponseFilterSet(FilterSet):
    wave = django_filters.NumberFilter(field_name="wave", label=_("Wave"))
    status = django_filters.ChoiceFilter(choices=ResponseStatus.choices, label=_("Status"))

    class Meta:
        model = Response
        fields = ["wave", "status"]


class BankFilterSet(SearchFilterSet):
    search_fields = ("code", "labels")
    kind = django_filters.CharFilter(label=_("Type"), max_length=16)

    class Meta:
        model = BankQuestion
        fields = ["q", "kind"]
