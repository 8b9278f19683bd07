"""Registry pages: lists with filters and export, detail pages with sources, edit and history."""

from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.i18n import in_french
from core.permissions import Action
from core.tables import Column
from core.views import ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from network import filtersets, forms
from network.filtersets import RegionChoiceField, visible_regions
from network.map import network_map
from network.models import Committee, Member, Office, OfficeKind, Region, Source


class SourcesMixin:
    """Adds the record's cited sources, with their addresses, for curators to check."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        keys = self.object.source_keys
        found = {
            s.key: s for s in Source.objects.restrict(self.request.user, Action.VIEW).filter(key__in=keys)
        }
        context["sources"] = [(key, found.get(key)) for key in keys]
        return context


# Regions


class InReadersOrder:
    """Lists of named rows sorted by the name the reader sees ("Afrique du Sud" among the A's)."""

    name_ordering: tuple[str, ...] = ("{name}",)

    def base_queryset(self):
        name = "name_fr" if in_french() else "name"
        return super().base_queryset().order_by(*(part.format(name=name) for part in self.name_ordering))


class RegionListView(InReadersOrder, ObjectListView):
    queryset = Region.objects.all()
    filterset_class = filtersets.RegionFilterSet
    export_name = "regions"
    columns = [
        Column(_("Name"), "label"),
        Column(_("Code"), "code"),
        Column(_("Official name"), "official_long_name"),
        Column(_("Confidence"), "confidence"),
    ]


class RegionDetailView(SourcesMixin, ObjectDetailView):
    model = Region
    template_name = "network/region_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["offices"] = self.object.offices.restrict(user).select_related("host_member")
        context["members"] = (
            self.object.members.restrict(user)
            .only("pk", "name", "name_fr", "iso_alpha2", "region_id")
            .order_by("name_fr" if in_french() else "name")
        )
        return context


class RegionEditView(ObjectEditView):
    model = Region
    form_class = forms.RegionForm


class RegionHistoryView(ObjectHistoryView):
    model = Region


# Offices


class OfficeListView(InReadersOrder, ObjectListView):
    queryset = Office.objects.select_related("region", "host_member")
    name_ordering = ("kind", "{name}")
    filterset_class = filtersets.OfficeFilterSet
    export_name = "offices"
    add_url = reverse_lazy("network:office_add")
    columns = [
        Column(_("Name"), "label"),
        Column(_("Kind"), "kind"),
        Column(_("Region"), "region.label"),
        Column(_("City"), "city"),
        Column(_("Host administration"), "host_member.label"),
        Column(_("Established"), "year_established"),
        Column(_("Confidence"), "confidence"),
    ]


class OfficeDetailView(SourcesMixin, ObjectDetailView):
    queryset = Office.objects.select_related("region", "host_member")
    template_name = "network/office_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["locations"] = self.object.locations.restrict(self.request.user)
        context["seats"] = self.object.committee_seats.restrict(self.request.user).select_related("committee")
        return context


class OfficeEditView(ObjectEditView):
    model = Office
    form_class = forms.OfficeForm


class OfficeHistoryView(ObjectHistoryView):
    model = Office


# Members


class MemberListView(InReadersOrder, ObjectListView):
    queryset = Member.objects.select_related("region")
    filterset_class = filtersets.MemberFilterSet
    export_name = "members"
    add_url = reverse_lazy("network:member_add")
    columns = [
        Column(_("Name"), "label"),
        Column(_("ISO alpha-2"), "iso_alpha2"),
        Column(_("ISO alpha-3"), "iso_alpha3"),
        Column(_("Region"), "region.label"),
        Column(_("Joined"), "joined_display"),
        Column(_("Confidence"), "confidence"),
    ]


class MemberDetailView(SourcesMixin, ObjectDetailView):
    queryset = Member.objects.select_related("region")
    template_name = "network/member_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["hosted_offices"] = self.object.hosted_offices.restrict(self.request.user)
        context["seats"] = self.object.committee_seats.restrict(self.request.user).select_related("committee")
        return context


class MemberEditView(ObjectEditView):
    model = Member
    form_class = forms.MemberForm


class MemberHistoryView(ObjectHistoryView):
    model = Member


# Committees


class CommitteeListView(ObjectListView):
    queryset = Committee.objects.all()
    filterset_class = filtersets.CommitteeFilterSet
    export_name = "committees"
    columns = [
        Column(_("Name"), "name"),
        Column(_("Acronym"), "acronym"),
        Column(_("Relation"), "relation"),
        Column(_("Confidence"), "confidence"),
    ]


class CommitteeDetailView(SourcesMixin, ObjectDetailView):
    model = Committee
    template_name = "network/committee_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["seats"] = self.object.memberships.restrict(self.request.user).select_related(
            "member", "office"
        )
        return context


class CommitteeHistoryView(ObjectHistoryView):
    model = Committee


# Map


class MapView(TemplateView):
    template_name = "network/map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        field = RegionChoiceField(queryset=visible_regions(self.request), required=False)
        region, error = None, ""
        try:
            region = field.clean(self.request.GET.get("region"))
        except ValidationError as invalid:  # a bad ?region= shows the whole map with the reason
            error = " ".join(invalid.messages)
        context.update(
            map=network_map(self.request.user, region=region),
            regions=visible_regions(self.request),
            selected_region=region,
            region_error=error,
            kinds=OfficeKind,
        )
        return context
