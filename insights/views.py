"""An office's home (its part of the network at a glance) and the topic map of a region. Read-only:
every figure comes from the other apps' restricted querysets (insights.services)."""

from __future__ import annotations

import csv
import io
import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from core.exports import spreadsheet_safe
from core.permissions import is_secretariat
from insights import services
from network.models import Region


class HomeView(View):
    """The home page: the region at a glance for an ROCB officer, the centre for an RTC coordinator,
    the administration for a focal point; the general welcome for everyone else."""

    def get(self, request):
        data = services.home(request.user)
        if data is None:
            return render(request, "core/home.html")
        return render(request, "insights/home.html", {"home": data})


def visible_regions(user):
    if is_secretariat(user):
        return Region.objects.order_by("name")
    scope = services.scope_for(user)
    return Region.objects.filter(pk=scope.region.pk) if scope and scope.region else Region.objects.none()


class TopicMapView(LoginRequiredMixin, View):
    """For a region and a span of years, each topic's needs, activities, participants, learning gain
    and accredited experts as a heat map, with drill-down links, the gaps in words, and CSV."""

    def get(self, request):
        regions = visible_regions(request.user)
        region = regions.filter(slug=request.GET.get("region", "")[:80]).first() or regions.first()
        try:
            year_from, year_to = services.year_range(request.GET, default_span=3)
        except ValidationError as error:
            return self.render(regions, region, None, None, [], " ".join(error.messages), 400)
        if year_from > year_to or year_to - year_from > 30:
            return self.render(
                regions,
                region,
                year_from,
                year_to,
                [],
                _("Choose a range of at most 30 years, the first year first."),
                400,
            )
        rows = []
        if region is not None:
            rows = services.topic_map(request.user, region=region, year_from=year_from, year_to=year_to)
        if request.GET.get("export") == "csv" and region is not None:
            return self.csv(rows, region, year_from, year_to)
        return self.render(regions, region, year_from, year_to, rows, "", 200)

    def render(self, regions, region, year_from, year_to, rows, error, status):
        chart = {
            "topics": [str(row.topic.label) for row in rows],
            "measures": [str(label) for label in measure_labels()],
            "levels": [[row.levels.get(m, 0) for m in services.MEASURES] for row in rows],
        }
        return render(
            self.request,
            "insights/topic_map.html",
            {
                "regions": regions,
                "region": region,
                "year_from": year_from,
                "year_to": year_to,
                "rows": rows,
                "error": error,
                "measures": list(zip(services.MEASURES, measure_labels(), strict=True)),
                "chart": json.dumps(chart),
                "gaps": [(row, gap) for row in rows for gap in row.gaps],
                "may_plan": region is not None and may_plan_in(self.request.user, region),
            },
            status=status,
        )

    def csv(self, rows, region, year_from, year_to) -> HttpResponse:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([_("Topic"), *measure_labels(), _("Gaps")])
        for row in rows:
            gain = "" if row.gain is None else round(row.gain * 100, 1)
            writer.writerow(
                [
                    spreadsheet_safe(str(row.topic.label)),
                    row.needs,
                    row.planned,
                    row.delivered,
                    row.trained,
                    gain,
                    row.research,
                    row.experts,
                    spreadsheet_safe("; ".join(row.gaps)),
                ]
            )
        name = f"topic-map-{region.slug}-{year_from}-{year_to}"
        return HttpResponse(
            buffer.getvalue(),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )


def may_plan_in(user, region) -> bool:
    from core.permissions import Action, can
    from surveys.models import ActivityNeed

    return can(user, Action.ADD, ActivityNeed(region=region))


def measure_labels():
    return [
        _("Administrations that need it"),
        _("Activities planned"),
        _("Activities delivered"),
        _("Participants trained"),
        _("Learning gain (points)"),
        _("Research papers"),
        _("Accredited experts of the region"),
    ]
