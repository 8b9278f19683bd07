"""The activity calendar (month grid and list) and iCalendar feeds per office and per region."""

from __future__ import annotations

import calendar as pycalendar
import datetime

from django.db.models import DurationField, F, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import ListView
from icalendar import Calendar, Event

from activities.filtersets import FIRST_YEAR, LAST_YEAR, ActivityFilterSet
from activities.models import Activity
from core.permissions import Action
from network.models import Office, Region

MAX_PER_DAY = 4


def parse_month(value: str | None) -> tuple[datetime.date, str]:
    """The first day of the month in ?month=YYYY-MM, and an error message if it was malformed."""
    today = timezone.localdate().replace(day=1)
    if not value:
        return today, ""
    try:
        year, month = (int(part) for part in value.split("-"))
        if FIRST_YEAR <= year <= LAST_YEAR:
            return datetime.date(year, month, 1), ""
    except (ValueError, TypeError):
        pass
    return today, _(
        "“%(value)s” is not a month from %(first)d-01 to %(last)d-12 (YYYY-MM); showing this month."
    ) % {"value": value, "first": FIRST_YEAR, "last": LAST_YEAR}


LONGEST_KEY = "activities:longest-days"
LONGEST_SECONDS = 300


def longest_activity_days() -> int:
    """How many days the longest activity lasts, kept in the cache for five minutes (forgotten at
    once by this process when an activity is saved; another process's new, longer activity shows
    in the months before its start within five minutes)."""
    from django.core.cache import cache
    from django.db.models import Max

    days = cache.get(LONGEST_KEY)
    if days is None:
        longest = (
            Activity.objects.exclude(end_date=None)
            .aggregate(longest=Max(F("end_date") - F("start_date"), output_field=DurationField()))
            .get("longest")
        )
        days = max(0, longest.days) if longest else 0
        cache.set(LONGEST_KEY, days, LONGEST_SECONDS)
    return days


def forget_longest_activity(**_signal) -> None:
    from django.core.cache import cache

    cache.delete(LONGEST_KEY)


def overlapping(queryset, first: datetime.date, last: datetime.date):
    """Activities on at least one day from `first` to `last`. The lower bound on the start (no
    activity lasts longer than the longest) lets the start-date index read only those months, not
    every activity before `last`."""
    earliest = first - datetime.timedelta(days=longest_activity_days())
    return queryset.filter(start_date__lte=last, start_date__gte=earliest).filter(
        Q(end_date__gte=first) | Q(end_date__isnull=True, start_date__gte=first)
    )


class CalendarView(ListView):
    template_name = "activities/calendar.html"
    filterset_class = ActivityFilterSet
    paginate_by = 50

    def get_queryset(self):
        self.month, self.month_error = parse_month(self.request.GET.get("month"))
        self.last_day = self.month.replace(day=pycalendar.monthrange(self.month.year, self.month.month)[1])
        base = Activity.objects.restrict(self.request.user, Action.VIEW).select_related("lead_office")
        self.filterset = self.filterset_class(self.request.GET or None, queryset=base, request=self.request)
        activities = (
            self.filterset.qs if not self.filterset.is_bound or self.filterset.is_valid() else base.none()
        )
        if self.request.GET.get("view") == "list":
            return activities.filter(start_date__gte=self.month).order_by("start_date", "pk")
        # The month grid shows titles and links only: no office, no other column.
        return (
            overlapping(activities, self.month, self.last_day)
            .select_related(None)
            .only("pk", "title", "start_date", "end_date")
            .order_by("start_date", "pk")
        )

    def render_to_response(self, context, **kwargs):
        # A malformed month or filter is shown on the page, and answered as the bad request it is.
        if self.month_error or (self.filterset.is_bound and not self.filterset.is_valid()):
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)

    def get_paginate_by(self, queryset):
        return self.paginate_by if self.request.GET.get("view") == "list" else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for key in ("month", "page"):
            query.pop(key, None)
        previous_month = (self.month - datetime.timedelta(days=1)).replace(day=1)
        next_month = self.last_day + datetime.timedelta(days=1)
        context.update(
            month=self.month,
            month_error=self.month_error,
            filterset=self.filterset,
            list_view=self.request.GET.get("view") == "list",
            query_string=query.urlencode(),
            previous_month=previous_month.strftime("%Y-%m"),
            next_month=next_month.strftime("%Y-%m"),
            weeks=[] if self.request.GET.get("view") == "list" else self.weeks(context["object_list"]),
        )
        return context

    def meetings_by_day(self) -> dict[datetime.date, list]:
        """Committee sessions and regional coordination meetings of the month, beside the activities."""
        from meetings.models import Meeting, MeetingStatus

        meetings = (
            Meeting.objects.restrict(self.request.user)
            .filter(starts_on__lte=self.last_day, ends_on__gte=self.month)
            .exclude(status=MeetingStatus.CANCELLED)
            .only("pk", "title", "starts_on", "ends_on")
            .order_by("starts_on", "pk")
        )
        by_day: dict[datetime.date, list] = {}
        for meeting in meetings:
            day, end = max(meeting.starts_on, self.month), min(meeting.ends_on, self.last_day)
            while day <= end:
                by_day.setdefault(day, []).append(meeting)
                day += datetime.timedelta(days=1)
        return by_day

    def weeks(self, activities) -> list[list[dict]]:
        meetings = self.meetings_by_day()
        by_day: dict[datetime.date, list[Activity]] = {}
        for activity in activities:
            day, end = (
                max(activity.start_date, self.month),
                min(activity.end_date or activity.start_date, self.last_day),
            )
            while day <= end:
                by_day.setdefault(day, []).append(activity)
                day += datetime.timedelta(days=1)
        weeks = []
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(self.month.year, self.month.month):
            weeks.append(
                [
                    {
                        "date": day,
                        "in_month": day.month == self.month.month,
                        "activities": by_day.get(day, [])[:MAX_PER_DAY],
                        "meetings": meetings.get(day, []),
                        "more": max(0, len(by_day.get(day, [])) - MAX_PER_DAY),
                    }
                    for day in week
                ]
            )
        return weeks


def activities_feed(request, activities, name: str) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", "-//cbhub//WCO capacity building//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    host = request.get_host()
    today = timezone.localdate()
    window = activities.filter(
        start_date__gte=today - datetime.timedelta(days=365),
        start_date__lte=today + datetime.timedelta(days=730),
    )
    for activity in window.select_related("lead_office").order_by("start_date")[:2000]:
        event = Event()
        event.add("uid", f"activity-{activity.pk}@{host}")
        event.add("summary", activity.title)
        event.add("dtstart", activity.start_date)
        event.add("dtend", (activity.end_date or activity.start_date) + datetime.timedelta(days=1))
        event.add("dtstamp", activity.updated_at)
        event.add("location", ", ".join(part for part in (activity.venue, activity.city) if part))
        event.add("description", f"{activity.get_kind_display()} · {activity.lead_office}")
        event.add("url", request.build_absolute_uri(activity.get_absolute_url()))
        event.add("status", "CANCELLED" if activity.status == "cancelled" else "CONFIRMED")
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response


def office_feed(request, code: str) -> HttpResponse:
    """Activities an office leads or co-organises; anonymous subscribers get the announced ones."""
    office = get_object_or_404(Office.objects.restrict(request.user), code=code)
    activities = Activity.objects.restrict(request.user).filter(
        Q(lead_office=office) | Q(pk__in=office.co_organised_activities.values("pk"))
    )
    return activities_feed(request, activities, f"cbhub-{office.code}")


def region_feed(request, slug: str) -> HttpResponse:
    region = get_object_or_404(Region.objects.restrict(request.user), slug=slug)
    return activities_feed(
        request, Activity.objects.restrict(request.user).filter(region=region), f"cbhub-{region.slug}"
    )
