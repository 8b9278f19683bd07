"""Conferences on other apps' pages: on an activity's page, what research says (the papers
proposed as its reading, and the accepted conference papers closest to its title and objectives)."""

from __future__ import annotations

from django import template

from conferences.models import ActivityReading

register = template.Library()


@register.inclusion_tag("conferences/_activity_research.html")
def activity_research_panel(activity, user):
    """Two queries: the readings the user may view, and the accepted papers' embeddings (the
    closest ones come back with theirs in one more); the activity's text is embedded in-process."""
    from conferences.bridge import closest_papers

    readings = list(
        ActivityReading.objects.restrict(user)
        .filter(activity=activity)
        .select_related("submission__call__conference")
        .order_by("pk")
    )
    reading_ids = {reading.submission_id for reading in readings}
    papers = [
        (paper, similarity)
        for paper, similarity in closest_papers(activity, limit=5 + len(reading_ids))
        if paper.pk not in reading_ids
    ][:5]
    return {"activity": activity, "readings": readings, "papers": papers}
