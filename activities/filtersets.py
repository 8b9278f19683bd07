"""FilterSets for activities, requests and participations: list pages, exports, calendar and API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Activity,
    ActivityKind,
    AssistanceRequest,
    Attendance,
    DeliveryMode,
    Participation,
    Programme,
    RequestStatus,
    ServiceItem,
    Status,
    Urgency,
)
from network.filtersets import RegionFilter, SearchFilterSet
from network.models import Office
from people.models import Gender
from topics.models import Topic

# The years an activity's dates may fall in: the year filter's and the calendar's bounds.
FIRST_YEAR, LAST_YEAR = 1950, 2200


def visible_offices(request):
    from django.contrib.auth.models import AnonymousUser

    return Office.objects.restrict(request.user if request else AnonymousUser()).order_by("kind", "name")


class ActivityFilterSet(SearchFilterSet):
    search_fields = ("title", "city", "venue")
    kind = django_filters.MultipleChoiceFilter(choices=ActivityKind.choices, label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label=_("Status"))
    region = RegionFilter(label=_("Region"))
    office = django_filters.ModelChoiceFilter(
        field_name="lead_office", queryset=visible_offices, to_field_name="code", label=_("Lead office")
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics", queryset=Topic.objects.all(), to_field_name="slug", label=_("Topic")
    )
    year = django_filters.NumberFilter(
        field_name="start_date__year", label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    start_after = django_filters.DateFilter(
        field_name="start_date",
        lookup_expr="gte",
        label=_("Starts on or after"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    start_before = django_filters.DateFilter(
        field_name="start_date",
        lookup_expr="lte",
        label=_("Starts on or before"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    delivery_mode = django_filters.ChoiceFilter(choices=DeliveryMode.choices, label=_("Delivery mode"))

    class Meta:
        model = Activity
        fields = [
            "q",
            "kind",
            "status",
            "region",
            "office",
            "topic",
            "year",
            "start_after",
            "start_before",
            "delivery_mode",
        ]


class RequestFilterSet(SearchFilterSet):
    search_fields = ("need_statement", "member__name")
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices, label=_("Status"))
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, label=_("Urgency"))
    region = RegionFilter(label=_("Region"))

    class Meta:
        model = AssistanceRequest
        fields = ["q", "status", "urgency", "region"]


class ParticipationFilterSet(SearchFilterSet):
    search_fields = ("person__first_name", "person__last_name", "activity__title")
    attendance = django_filters.ChoiceFilter(choices=Attendance.choices, label=_("Attendance"))
    gender = django_filters.ChoiceFilter(choices=Gender.choices, label=_("Gender"))
    region = RegionFilter(field_name="activity__region", label=_("Region"))
    year = django_filters.NumberFilter(field_name="activity__start_date__year", label=_("Year"))

    class Meta:
        model = Participation
        fields = ["q", "attendance", "gender", "region", "year"]


class ServiceFilterSet(SearchFilterSet):
    search_fields = ("name_en", "name_fr", "category")

    class Meta:
        model = ServiceItem
        fields = ["q"]


class ProgrammeFilterSet(SearchFilterSet):
    search_fields = ("title", "code", "description")

    class Meta:
        model = Programme
        fields = ["q"]
