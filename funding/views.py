"""Donors with their agreements, funding totals in euros, and the exchange-rate table."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from activities.models import Activity
from core.permissions import Action
from core.tables import Column
from core.views import ObjectDetailView, ObjectEditView, ObjectListView
from funding.filtersets import DonorFilterSet, RateFilterSet
from funding.models import Donor, ExchangeRate, FundingAgreement
from funding.services import activity_cost_totals, funding_totals


class DonorListView(ObjectListView):
    queryset = Donor.objects.all()
    filterset_class = DonorFilterSet
    export_name = "donors"
    columns = [Column(_("Donor"), "name"), Column(_("Kind"), "kind")]


class DonorDetailView(ObjectDetailView):
    model = Donor
    template_name = "funding/donor_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreements"] = self.object.agreements.restrict(self.request.user).select_related("programme")
        return context


class TotalsView(LoginRequiredMixin, TemplateView):
    template_name = "funding/totals.html"

    def get_context_data(self, **kwargs):
        from activities.dashboards import cached_dashboard_data

        context = super().get_context_data(**kwargs)
        # Kept for DASHBOARD_CACHE_SECONDS per role, scope and language, as the dashboards' figures are.
        context.update(cached_dashboard_data(self.request.user, "totals", None, compute=funding_totals_data))
        return context


def funding_totals_data(user, _scope, _target) -> dict:
    agreements = FundingAgreement.objects.restrict(user, Action.VIEW).select_related("donor", "programme")
    activities = Activity.objects.restrict(user, Action.VIEW)
    return {
        "by_donor": funding_totals(agreements, by="donor").rows(),
        "by_programme": funding_totals(agreements, by="programme").rows(),
        "by_region": activity_cost_totals(activities, by="region").rows(),
    }


class RateListView(LoginRequiredMixin, ObjectListView):
    queryset = ExchangeRate.objects.all()
    filterset_class = RateFilterSet
    export_name = "exchange-rates"
    add_url = reverse_lazy("funding:rate_add")
    columns = [
        Column(_("Currency"), "currency"),
        Column(_("Valid from"), "valid_from"),
        Column(_("Euros per unit"), "eur_per_unit"),
    ]


class RateEditView(ObjectEditView):
    model = ExchangeRate
    fields = ["currency", "valid_from", "eur_per_unit"]

    def get_form_class(self):
        from django import forms

        from core.forms import ScopedModelForm

        return forms.modelform_factory(
            ExchangeRate,
            form=ScopedModelForm,  # the edit views pass the user to their form
            fields=self.fields,
            widgets={"valid_from": forms.DateInput(attrs={"type": "date"})},
        )
