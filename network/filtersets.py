"""One FilterSet per registry model, shared by the list pages, their exports and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filtersets import FilterSet
from core.models import Confidence
from network.models import Committee, CommitteeRelation, Member, Office, OfficeKind, Region


def visible_regions(request):
    user = request.user if request is not None else None
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    return Region.objects.restrict(user)


class RegionChoiceField(forms.ModelChoiceField):
    """A region named by its slug (ap) or its WCO code (A/P), with a helpful error otherwise."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        match = self.queryset.filter(Q(slug__iexact=value) | Q(code__iexact=value)).first()
        if match is None:
            known = ", ".join(self.queryset.values_list("slug", flat=True))
            raise forms.ValidationError(
                _("Unknown region %(value)s. Use one of: %(known)s."),
                code="invalid_choice",
                params={"value": value, "known": known},
            )
        return match

    def label_from_instance(self, obj):
        return obj.label


class RegionFilter(django_filters.ModelChoiceFilter):
    field_class = RegionChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", visible_regions)
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


class SearchFilterSet(FilterSet):
    """Adds `q`: every word must appear in one of `search_fields`."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(method="filter_search", label=_("Search"), max_length=200)

    def filter_search(self, queryset, name, value):
        for word in value.split():
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset


class RegionFilterSet(SearchFilterSet):
    search_fields = ("name", "name_fr", "code", "official_long_name")
    confidence = django_filters.ChoiceFilter(choices=Confidence.choices, label=_("Confidence"))

    class Meta:
        model = Region
        fields = ["q", "confidence"]


class OfficeFilterSet(SearchFilterSet):
    search_fields = ("name", "name_fr", "city", "country", "institution")
    kind = django_filters.ChoiceFilter(choices=OfficeKind.choices, label=_("Kind"))
    region = RegionFilter(label=_("Region"))
    confidence = django_filters.ChoiceFilter(choices=Confidence.choices, label=_("Confidence"))

    class Meta:
        model = Office
        fields = ["q", "kind", "region", "confidence"]


class MemberFilterSet(SearchFilterSet):
    search_fields = ("name", "name_fr", "iso_alpha2", "iso_alpha3")
    region = RegionFilter(label=_("Region"))
    confidence = django_filters.ChoiceFilter(choices=Confidence.choices, label=_("Confidence"))
    joined_after = django_filters.NumberFilter(
        field_name="joined_year", lookup_expr="gte", label=_("Joined in or after (year)")
    )

    class Meta:
        model = Member
        fields = ["q", "region", "confidence", "joined_after"]


class CommitteeFilterSet(SearchFilterSet):
    search_fields = ("name", "acronym", "description")
    relation = django_filters.ChoiceFilter(choices=CommitteeRelation.choices, label=_("Relation"))

    class Meta:
        model = Committee
        fields = ["q", "relation"]
