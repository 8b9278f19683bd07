"""Dashboards per office, region and for the whole network: counts by kind, topic, status and year,
participants by member and gender, funding by donor. Charts are drawn by Chart.js in the browser;
each chart's data can also be downloaded as CSV."""

from __future__ import annotations

import csv
import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear, TruncMonth
from django.http import Http404, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from activities.models import Activity, ActivityKind, Participation, Status
from core.permissions import Action, is_secretariat, scope_value
from funding.services import RateTable
from network.models import Member, Office, Region
from people.models import Gender

TOP = 15


def scope_of(request) -> tuple[str, object | None]:
    """("all"|"region"|"office", object) from ?scope=region:ap|office:rtc-japan, else the user's own."""
    value = request.GET.get("scope", "")
    user = request.user
    if not value:
        if user.is_authenticated and user.role == "rocb_officer" and user.region_id:
            return "region", user.region
        if user.is_authenticated and user.role == "rtc_coordinator" and user.office_id:
            return "office", user.office
        return "all", None
    kind, _sep, key = value.partition(":")
    if kind == "region":
        region = Region.objects.restrict(user).filter(slug=key).first()
        if region:
            return "region", region
    if kind == "office":
        office = Office.objects.restrict(user).filter(code=key).first()
        if office:
            return "office", office
    if kind == "all":
        return "all", None
    raise Http404(_("Unknown dashboard scope."))


def _labelled(rows, key: str, labels: dict | None = None) -> dict:
    return {
        "labels": [str(labels.get(row[key], row[key]) if labels else row[key]) for row in rows],
        "values": [row["n"] for row in rows],
    }


def _top_members(participations) -> list[dict]:
    """The administrations with most participations; grouped by key first, named after."""
    top = list(
        participations.exclude(member=None).values("member").annotate(n=Count("pk")).order_by("-n")[:TOP]
    )
    names = dict(Member.objects.filter(pk__in=[row["member"] for row in top]).values_list("pk", "name"))
    return [{"member__name": names[row["member"]], "n": row["n"]} for row in top]


def _count_by(queryset, field: str):
    return queryset.values(field).annotate(n=Count("pk")).order_by("-n")


def dashboard_data(user, scope: str, target) -> dict[str, dict]:
    activities = Activity.objects.restrict(user, Action.VIEW)
    participations = Participation.objects.restrict(user, Action.VIEW)
    if scope == "region":
        activities = activities.filter(region=target)
        participations = participations.filter(activity__region=target)
    elif scope == "office":
        activities = activities.filter(lead_office=target)
        participations = participations.filter(activity__lead_office=target)
    kinds, statuses, genders = dict(ActivityKind.choices), dict(Status.choices), dict(Gender.choices)
    years = (
        activities.exclude(start_date=None)
        .annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    topics = (
        activities.values("topics__label_en")
        .exclude(topics=None)
        .annotate(n=Count("pk"))
        .order_by("-n")[:TOP]
    )
    members = _top_members(participations)
    return {
        "kind": {
            "title": _("Activities by kind"),
            "type": "bar",
            **_labelled(_count_by(activities, "kind"), "kind", kinds),
        },
        "status": {
            "title": _("Activities by status"),
            "type": "doughnut",
            **_labelled(_count_by(activities, "status"), "status", statuses),
        },
        "year": {"title": _("Activities by year"), "type": "line", **_labelled(years, "year")},
        "topic": {
            "title": _("Activities by topic (top 15)"),
            "type": "bar",
            **_labelled(topics, "topics__label_en"),
        },
        "member": {
            "title": _("Participants by member (top 15)"),
            "type": "bar",
            **_labelled(members, "member__name"),
        },
        "gender": {
            "title": _("Participants by gender"),
            "type": "doughnut",
            **_labelled(_count_by(participations, "gender"), "gender", genders),
        },
        "donor": {"title": _("Budgets by donor (EUR)"), "type": "bar", **_funding_by_donor(activities)},
    }


def _funding_by_donor(activities) -> dict:
    """Budgets in euros by donor, converting each month's sums at that month's rate."""
    rows = (
        activities.exclude(budget_amount=None)
        .exclude(start_date=None)
        .annotate(month=TruncMonth("start_date"))
        .values("funding_agreement__donor__name", "budget_currency", "month")
        .annotate(amount=Sum("budget_amount"))
    )
    rates, totals = RateTable(), defaultdict(Decimal)
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        converted = rates.to_eur(Decimal(row["amount"]), row["budget_currency"], month)
        if converted is not None:
            totals[row["funding_agreement__donor__name"] or _("Not funded by a donor")] += converted
    ordered = sorted(totals.items(), key=lambda item: -item[1])[:TOP]
    return {
        "labels": [label for label, _amount in ordered],
        "values": [float(amount) for _l, amount in ordered],
    }


def cached_dashboard_data(user, scope: str, target) -> dict[str, dict]:
    """dashboard_data, kept for DASHBOARD_CACHE_SECONDS per role, scope and language.

    The figures depend on what the user may see, which depends only on the role and its scope, so
    users who share both share the cached figures."""
    key = ":".join(
        str(part)
        for part in (
            "dashboard",
            user.role if user.is_authenticated else "anonymous",
            scope_value(user) if user.is_authenticated else "",
            is_secretariat(user),
            scope,
            getattr(target, "pk", ""),
            get_language(),
        )
    )
    data = cache.get(key)
    if data is None:
        data = dashboard_data(user, scope, target)
        cache.set(key, data, settings.DASHBOARD_CACHE_SECONDS)
    return data


class DashboardView(TemplateView):
    template_name = "activities/dashboard.html"

    def get(self, request, *args, **kwargs):
        self.scope, self.target = scope_of(request)
        chart = request.GET.get("chart")
        if chart:
            data = cached_dashboard_data(request.user, self.scope, self.target)
            if chart not in data:
                raise Http404(_("Unknown chart."))
            return self.csv(chart, data[chart])
        return super().get(request, *args, **kwargs)

    def csv(self, name: str, chart: dict) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="dashboard-{name}.csv"'
        writer = csv.writer(response)
        writer.writerow([_("Label"), _("Value")])
        writer.writerows(zip(chart["labels"], chart["values"], strict=True))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scopes = [("all", _("Whole network"))]
        scopes += [(f"region:{region.slug}", region.name) for region in Region.objects.restrict(user)]
        scopes += [
            (f"office:{office.code}", office.name)
            for office in Office.objects.restrict(user).order_by("kind", "name")
        ]
        current = (
            "all"
            if self.scope == "all"
            else (f"region:{self.target.slug}" if self.scope == "region" else f"office:{self.target.code}")
        )
        context.update(
            charts=cached_dashboard_data(user, self.scope, self.target),
            scopes=scopes,
            current_scope=current,
            target=self.target,
        )
        return context
