"""FilterSets for conferences, calls, submissions, the reviewer pool, assignments and reviews: the
pages, their exports and the API share them. Ids are bounded number filters (core.filtersets), so a
non-numeric or out-of-range id is a form error (400 in the API), never a database error."""

import django_filters
from django.utils.translation import gettext_lazy as _

from activities.models import LANGUAGES
from conferences.models import (
    Assignment,
    Call,
    CallStatus,
    Conference,
    ConferenceKind,
    Review,
    Reviewer,
    ReviewerKind,
    Submission,
    SubmissionStatus,
)
from core.filtersets import FilterSet
from network.filtersets import RegionFilter, SearchFilterSet
from topics.models import Topic


def topic_filter(field_name: str = "topics") -> django_filters.ModelChoiceFilter:
    """A topic named by its slug (`pca`)."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name, queryset=Topic.objects.all(), to_field_name="slug", label=_("Topic")
    )


class ConferenceFilterSet(SearchFilterSet):
    search_fields = ("title", "theme", "city")
    kind = django_filters.ChoiceFilter(choices=ConferenceKind.choices, label=_("Kind"))
    year = django_filters.NumberFilter(label=_("Year"))
    region = RegionFilter(label=_("Hosting region"))

    class Meta:
        model = Conference
        fields = ["q", "kind", "year", "region"]


class CallFilterSet(FilterSet):
    conference = django_filters.NumberFilter(field_name="conference", label=_("Conference"))
    status = django_filters.ChoiceFilter(choices=CallStatus.choices, label=_("Status"))

    class Meta:
        model = Call
        fields = ["conference", "status"]


class SubmissionFilterSet(SearchFilterSet):
    search_fields = ("title", "abstract")
    call = django_filters.NumberFilter(field_name="call", label=_("Call for papers"))
    status = django_filters.ChoiceFilter(choices=SubmissionStatus.choices, label=_("Status"))
    topic = topic_filter()
    on_behalf_of = RegionFilter(label=_("On behalf of the research series of"))
    language = django_filters.ChoiceFilter(choices=LANGUAGES, label=_("Language"))

    class Meta:
        model = Submission
        fields = ["q", "call", "status", "topic", "on_behalf_of", "language"]


class ReviewerFilterSet(FilterSet):
    conference = django_filters.NumberFilter(field_name="conference", label=_("Conference"))
    kind = django_filters.ChoiceFilter(choices=ReviewerKind.choices, label=_("Background"))
    on_committee = django_filters.BooleanFilter(label=_("Programme committee"))
    topic = topic_filter()

    class Meta:
        model = Reviewer
        fields = ["conference", "kind", "on_committee", "topic"]


class AssignmentFilterSet(FilterSet):
    call = django_filters.NumberFilter(field_name="submission__call", label=_("Call for papers"))
    reviewer = django_filters.NumberFilter(field_name="reviewer", label=_("Reviewer"))
    submission = django_filters.NumberFilter(field_name="submission", label=_("Submission"))

    class Meta:
        model = Assignment
        fields = ["call", "reviewer", "submission"]


class ReviewFilterSet(FilterSet):
    submission = django_filters.NumberFilter(field_name="assignment__submission", label=_("Submission"))
    submitted = django_filters.BooleanFilter(
        field_name="submitted_at", lookup_expr="isnull", exclude=True, label=_("Submitted")
    )

    class Meta:
        model = Review
        fields = ["submission", "submitted"]
