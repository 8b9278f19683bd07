"""A conference's programme: its sessions in time order with their chairs and papers, the accepted
papers not yet in a session, and the programme as an iCalendar feed (RFC 5545, through the
`icalendar` package, as activities.calendar does: it escapes commas, semicolons and newlines,
folds long lines and ends every line with CRLF)."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from conferences.models import ACCEPTED, Authorship, Conference, ProgrammeSession, Submission

UTC = datetime.UTC


def _restricted(queryset, user):
    return queryset.restrict(user) if user is not None else queryset


def sessions_of(conference: Conference, user=None):
    """The conference's sessions by start time, with chair, papers and the papers' authors."""
    papers = _restricted(Submission.objects.all(), user).prefetch_related(
        Prefetch("authorships", _restricted(Authorship.objects.select_related("person"), user))
    )
    return (
        _restricted(ProgrammeSession.objects.all(), user)
        .filter(conference=conference)
        .select_related("chair")
        .prefetch_related(Prefetch("papers", papers.order_by("title", "pk")))
        .order_by("starts_at", "pk")
    )


def unscheduled_papers(conference: Conference, user=None):
    """The conference's accepted papers in no session of its programme yet."""
    return (
        _restricted(Submission.objects.all(), user)
        .filter(call__conference=conference, status__in=ACCEPTED)
        .exclude(sessions__conference=conference)
        .order_by("title", "pk")
    )


def programme_context(conference: Conference, *, user=None) -> dict:
    """What the programme page shows. With `user`, only the rows that user may view."""
    return {
        "conference": conference,
        "sessions": list(sessions_of(conference, user)),
        "unscheduled": list(unscheduled_papers(conference, user)),
    }


def _host() -> str:
    return urlsplit(getattr(settings, "SITE_URL", "") or "").hostname or "cbhub"


def _utc(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(UTC).replace(microsecond=0)


def programme_ics(conference: Conference, *, user=None) -> bytes:
    """The programme as a VCALENDAR with one VEVENT per session, times in UTC."""
    calendar = Calendar()
    calendar.add("prodid", "-//cbhub//WCO research conferences//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", str(conference))
    host, now = _host(), _utc(timezone.now())
    for session in sessions_of(conference, user):
        event = Event()
        event.add("uid", f"programme-session-{session.pk}@{host}")
        event.add("dtstamp", _utc(session.updated_at) if session.updated_at else now)
        event.add("dtstart", _utc(session.starts_at))
        event.add("dtend", _utc(session.ends_at))
        event.add("summary", session.title)
        if session.room:
            event.add("location", session.room)
        lines = []
        if session.chair:
            lines.append(_("Chair: %(person)s") % {"person": session.chair})
        lines += [f"- {paper.title}" for paper in session.papers.all()]
        if lines:
            event.add("description", "\n".join(lines))
        calendar.add_component(event)
    return calendar.to_ical()
