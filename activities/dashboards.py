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
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear, TruncMonth
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from activities.models import Activity, ActivityKind, Attendance, Participation, Status
from core.exports import spreadsheet_safe
from core.filtersets import year_from_text
from core.i18n import localised
from core.permissions import Action, is_secretariat, permission_filter, scope_value
from funding.models import Donor
from funding.services import RateTable
from network.models import Member, Office, Region
from people.models import Gender

TOP = 15


def scope_of(request) -> tuple[str, object | None]:
    """("all"|"region"|"office", object) from ?scope=region:ap|office:rtc-japan, else the user's own."""
    value = request.GET.get("scope", "")
    user = request.user
    if not value:
        # Each role opens on its own part of the network.
        if user.is_authenticated and user.role == "rocb_officer" and user.region_id:
            return "region", user.region
        if user.is_authenticated and user.role == "rtc_coordinator" and user.office_id:
            return "office", user.office
        if user.is_authenticated and user.role == "donor" and user.donor_id:
            return "donor", user.donor
        return "all", None
    kind, _sep, key = value.partition(":")
    if kind == "donor":
        donor = next((donor for donor in visible_donors(user) if str(donor.pk) == key), None)
        if donor:
            return "donor", donor
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


def visible_donors(user) -> list:
    """The donors whose funded activities the user may chart: their own donor, or all for the Secretariat."""
    if is_secretariat(user):
        return list(Donor.objects.restrict(user).order_by("name"))
    if user.is_authenticated and user.role == "donor" and user.donor_id:
        return [user.donor]
    return []


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
    names = {
        pk: localised(name, name_fr)
        for pk, name, name_fr in Member.objects.filter(pk__in=[row["member"] for row in top]).values_list(
            "pk", "name", "name_fr"
        )
    }
    return [{"member__name": names[row["member"]], "n": row["n"]} for row in top]


def _count_by(queryset, field: str):
    return queryset.values(field).annotate(n=Count("pk")).order_by("-n")


def scoped_rows(user, scope: str, target, year: int | None = None):
    """The activities and participations of the scope (and of the activities starting in `year`),
    inside what the user may see."""
    activities = Activity.objects.restrict(user, Action.VIEW)
    participations = Participation.objects.restrict(user, Action.VIEW)
    if year is not None:
        activities = activities.filter(start_date__year=year)
        participations = participations.filter(activity__start_date__year=year)
    if scope == "region":
        activities = activities.filter(region=target)
        participations = participations.filter(activity__region=target)
    elif scope == "office":
        activities = activities.filter(lead_office=target)
        participations = participations.filter(activity__lead_office=target)
    elif scope == "donor":
        activities = activities.filter(funding_agreement__donor=target)
        participations = participations.filter(activity__funding_agreement__donor=target)
    return activities, participations


DELIVERED = [Status.DELIVERED, Status.EVALUATED, Status.CLOSED]
PRESENT = [Attendance.ATTENDED, Attendance.PARTIAL]


def headline_figures(user, scope: str, target, year: int | None = None) -> dict:
    """The four figures a dashboard opens with: activities delivered, participants, administrations
    reached and the share of women among participants whose gender is known. A figure the user
    may not see (participants are personal data) is None."""
    activities, participations = scoped_rows(user, scope, target, year)
    delivered = activities.filter(status__in=DELIVERED)
    reached = (
        Activity.beneficiary_members.through.objects.filter(activity__in=delivered.values("pk"))
        .values("member")
        .distinct()
        .count()
    )
    figures = {
        "delivered": delivered.count(),
        "administrations": reached,
        "participants": None,
        "women": None,
    }
    if permission_filter(user, Participation, Action.VIEW) is not None:
        present = participations.filter(activity__status__in=DELIVERED, attendance__in=PRESENT)
        counts = dict(present.values_list("gender").annotate(n=Count("pk")).order_by())
        figures["participants"] = sum(counts.values())
        known = counts.get(Gender.FEMALE, 0) + counts.get(Gender.MALE, 0) + counts.get(Gender.OTHER, 0)
        figures["women"] = round(100 * counts.get(Gender.FEMALE, 0) / known) if known else None
    figures["elearning"] = elearning_completions(user, scope, target, year)
    return figures


def elearning_completions(user, scope: str, target, year: int | None = None) -> int | None:
    """E-learning courses completed or passed in the scope (kept apart from face-to-face
    participants): one per person and product. None for a user who may see no completion."""
    from training.models import Completion, CompletionStatus  # training builds on activities

    if permission_filter(user, Completion, Action.VIEW) is None:
        return None
    completions = Completion.objects.restrict(user).filter(
        status__in=[CompletionStatus.COMPLETED, CompletionStatus.PASSED]
    )
    if year is not None:
        completions = completions.filter(completed_on__year=year)
    if scope == "region":
        completions = completions.filter(member__region=target)
    elif scope == "office":
        completions = completions.filter(product__owner_office=target)
    elif scope == "donor":
        return None
    return completions.order_by().values("person", "product").distinct().count()


def dashboard_data(user, scope: str, target, year: int | None = None) -> dict[str, dict]:
    activities, participations = scoped_rows(user, scope, target, year)
    kinds, statuses, genders = dict(ActivityKind.choices), dict(Status.choices), dict(Gender.choices)
    years = (
        activities.exclude(start_date=None)
        .annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    topics = [
        {"topic": localised(row["topics__label_en"], row["topics__label_fr"]), "n": row["n"]}
        for row in activities.values("topics__label_en", "topics__label_fr")
        .exclude(topics=None)
        .annotate(n=Count("pk"))
        .order_by("-n")[:TOP]
    ]
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
            **_labelled(topics, "topic"),
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


def cached_dashboard_data(user, scope: str, target, compute=None, year: int | None = None) -> dict[str, dict]:
    """dashboard_data (or `compute`), kept for DASHBOARD_CACHE_SECONDS per role, scope, year and
    language.

    The figures depend on what the user may see, which depends only on the role and its scope, so
    users who share both share the cached figures."""
    compute = compute or dashboard_data
    key = ":".join(
        str(part)
        for part in (
            "dashboard",
            compute.__name__,
            user.role if user.is_authenticated else "anonymous",
            scope_value(user) if user.is_authenticated else "",
            is_secretariat(user),
            scope,
            getattr(target, "pk", ""),
            year or "",
            get_language(),
        )
    )
    data = cache.get(key)
    if data is None:
        data = compute(user, scope, target) if year is None else compute(user, scope, target, year)
        cache.set(key, data, settings.DASHBOARD_CACHE_SECONDS)
    return data


class DashboardView(TemplateView):
    template_name = "activities/dashboard.html"

    def get(self, request, *args, **kwargs):
        self.scope, self.target = scope_of(request)
        self.year = None
        if request.GET.get("year", "").strip():
            try:
                self.year = year_from_text(request.GET["year"])
            except ValidationError as error:
                return HttpResponseBadRequest(" ".join(error.messages))
        chart = request.GET.get("chart")
        if chart:
            data = cached_dashboard_data(request.user, self.scope, self.target, year=self.year)
            if chart not in data:
                raise Http404(_("Unknown chart."))
            return self.csv(chart, data[chart])
        return super().get(request, *args, **kwargs)

    def csv(self, name: str, chart: dict) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="dashboard-{name}.csv"'
        writer = csv.writer(response)
        writer.writerow([_("Label"), _("Value")])
        writer.writerows(
            (spreadsheet_safe(label), spreadsheet_safe(value))
            for label, value in zip(chart["labels"], chart["values"], strict=True)
        )
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scopes = [("all", _("Whole network"))]
        scopes += [(f"region:{region.slug}", region.label) for region in Region.objects.restrict(user)]
        scopes += [
            (f"office:{office.code}", office.label)
            for office in Office.objects.restrict(user).order_by("kind", "name")
        ]
        scopes += [(f"donor:{donor.pk}", donor.name) for donor in visible_donors(user)]
        current = {
            "all": lambda: "all",
            "region": lambda: f"region:{self.target.slug}",
            "office": lambda: f"office:{self.target.code}",
            "donor": lambda: f"donor:{self.target.pk}",
        }[self.scope]()
        context.update(
            headline=cached_dashboard_data(user, self.scope, self.target, headline_figures, year=self.year),
            charts=cached_dashboard_data(user, self.scope, self.target, year=self.year),
            year=self.year,
            scopes=scopes,
            current_scope=current,
            target=self.target,
        )
        return context
