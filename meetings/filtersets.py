"""FilterSets for meetings, their agenda items, decisions and action items: the pages, their exports
and the API share them. Ids and years are bounded number filters (core.filtersets), a region is
named by its slug or code, a state by its code and a status by its value: anything else is a form
error (400 in the API), never a database error."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filtersets import FilterSet
from meetings.models import (
    OPEN_ACTIONS,
    ActionItem,
    ActionStatus,
    AgendaItem,
    Decision,
    DecisionKind,
    DecisionState,
    ItemKind,
    Meeting,
    MeetingMode,
    MeetingStatus,
)
from network.filtersets import RegionFilter, SearchFilterSet


class MeetingFilterSet(SearchFilterSet):
    search_fields = ("title",)
    committee = django_filters.NumberFilter(field_name="committee", label=_("Committee or working group"))
    region = RegionFilter(label=_("Region"))
    year = django_filters.NumberFilter(field_name="starts_on", lookup_expr="year", label=_("Year"))
    mode = django_filters.ChoiceFilter(choices=MeetingMode.choices, label=_("Format"))
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("Status"))

    class Meta:
        model = Meeting
        fields = ["q", "committee", "region", "year", "mode", "status"]


class AgendaItemFilterSet(FilterSet):
    meeting = django_filters.NumberFilter(field_name="meeting", label=_("Meeting"))
    kind = django_filters.ChoiceFilter(choices=ItemKind.choices, label=_("Kind"))

    class Meta:
        model = AgendaItem
        fields = ["meeting", "kind"]


class DecisionFilterSet(SearchFilterSet):
    search_fields = ("text_en", "text_fr")
    meeting = django_filters.NumberFilter(field_name="meeting", label=_("Meeting"))
    committee = django_filters.NumberFilter(
        field_name="meeting__committee", label=_("Committee or working group")
    )
    state = django_filters.ModelChoiceFilter(
        queryset=DecisionState.objects.all(), to_field_name="code", label=_("State")
    )
    kind = django_filters.ChoiceFilter(choices=DecisionKind.choices, label=_("Kind"))
    year = django_filters.NumberFilter(field_name="meeting__starts_on", lookup_expr="year", label=_("Year"))

    class Meta:
        model = Decision
        fields = ["q", "meeting", "committee", "state", "kind", "year"]


class YesNoField(forms.NullBooleanField):
    """true or false (also 1/0, yes/no); anything else is an error, not silently ignored."""

    widget = forms.Select(choices=[("", "---------"), ("true", _("Yes")), ("false", _("No"))])
    TRUE, FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}

    def to_python(self, value):
        if value is None or isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text == "":
            return None
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(_("Use true or false."), code="invalid")

    def validate(self, value):
        pass


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


def overdue(today=None) -> Q:
    """Open or in progress, and due before today."""
    return Q(status__in=OPEN_ACTIONS, due_on__lt=today or timezone.localdate())


class ActionFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, label=_("Status"))
    owner = django_filters.NumberFilter(field_name="owners", label=_("Owner office"))
    overdue = YesNoFilter(method="filter_overdue", label=_("Overdue"))
    meeting = django_filters.NumberFilter(field_name="meeting", label=_("Meeting"))

    class Meta:
        model = ActionItem
        fields = ["status", "owner", "overdue", "meeting"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(overdue()) if value else queryset.exclude(overdue())
