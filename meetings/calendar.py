"""Meetings as an iCalendar feed (RFC 5545), as the activities' feeds (activities.calendar): one
all-day event per meeting, its end exclusive (the day after the last day), its UID stable per
meeting so a subscribed calendar updates the event rather than adding another."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from meetings.models import MeetingStatus


def _host() -> str:
    site = getattr(settings, "SITE_URL", "") or ""
    return site.split("://", 1)[-1].split("/", 1)[0] or "cbhub"


def committee_ics(meetings, name: str = "cbhub-meetings") -> bytes:
    """The meetings (already restricted to what the caller may view) as one calendar."""
    calendar = Calendar()
    calendar.add("prodid", "-//cbhub//WCO capacity building//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    host = _host()
    site = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.starts_on)
        event.add("dtend", (meeting.ends_on or meeting.starts_on) + datetime.timedelta(days=1))
        event.add("dtstamp", getattr(meeting, "updated_at", None) or timezone.now())
        if meeting.venue:
            event.add("location", meeting.venue)
        event.add("url", f"{site}{meeting.get_absolute_url()}")
        event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
