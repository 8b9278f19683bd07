"""A region's strategic needs: the topics its administrations asked for, ranked, with their trend.

`Need` rows are written when a needs questionnaire (before a workshop, or the yearly survey) is
submitted: one per topic picked, weighed by the question's `need_weight`. Here they are summed per
topic over the years chosen; the rank counts how many administrations named a topic first (a need
shared by eight administrations outranks one voiced eight times by one), then the summed weight.
The trend compares with the same number of years just before. A need is marked when the region
already delivered or planned an activity on the topic in those years.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from activities.models import Activity, Status
from surveys.models import ActivityNeed

DELIVERED = (Status.DELIVERED, Status.EVALUATED, Status.CLOSED)


@dataclass
class RankedNeed:
    topic_id: int
    topic: str
    administrations: int
    weight: float
    previous_administrations: int
    members: list[str] = field(default_factory=list)
    delivered: int = 0
    planned: int = 0
    planned_from_needs: int = 0

    @property
    def trend(self) -> int:
        return self.administrations - self.previous_administrations

    @property
    def answered(self) -> bool:
        """Delivered or planned that year, or an activity planned from the need (not yet dated)."""
        return bool(self.delivered or self.planned or self.planned_from_needs)


def regional_needs(
    needs, *, region_id: int, year_from: int, year_to: int, limit: int = 60
) -> list[RankedNeed]:
    """`needs` is the viewer's restricted Need queryset."""
    from network.models import Member
    from topics.models import Topic

    span = year_to - year_from + 1
    current = needs.filter(region=region_id, year__gte=year_from, year__lte=year_to).order_by()
    totals = list(
        current.values("topic")
        .annotate(administrations=Count("member", distinct=True), weight=Sum("weight"))
        .order_by("-administrations", "-weight", "topic")[:limit]
    )
    topic_ids = [row["topic"] for row in totals]
    previous = dict(
        needs.filter(region=region_id, year__gte=year_from - span, year__lt=year_from, topic__in=topic_ids)
        .order_by()
        .values("topic")
        .annotate(n=Count("member", distinct=True))
        .values_list("topic", "n")
    )
    members = defaultdict(list)
    names = dict(Member.objects.filter(region=region_id).values_list("pk", "name"))
    for topic, member in current.filter(topic__in=topic_ids).values_list("topic", "member").distinct():
        members[topic].append(names.get(member, ""))
    labels = {topic.pk: topic.label for topic in Topic.objects.filter(pk__in=topic_ids)}
    delivered, planned = _activities_on(region_id, year_from, year_to, topic_ids)
    linked = dict(
        ActivityNeed.objects.filter(
            region=region_id, year__gte=year_from, year__lte=year_to, topic__in=topic_ids
        )
        .order_by()
        .values("topic")
        .annotate(n=Count("activity", distinct=True))
        .values_list("topic", "n")
    )
    return [
        RankedNeed(
            topic_id=row["topic"],
            topic=labels.get(row["topic"], ""),
            administrations=row["administrations"],
            weight=round(row["weight"] or 0, 1),
            previous_administrations=previous.get(row["topic"], 0),
            members=sorted(members[row["topic"]]),
            delivered=delivered.get(row["topic"], 0),
            planned=planned.get(row["topic"], 0),
            planned_from_needs=linked.get(row["topic"], 0),
        )
        for row in totals
    ]


def _activities_on(region_id: int, year_from: int, year_to: int, topic_ids: list[int]):
    """Activities of the region on each topic in those years: delivered ones, and planned ones."""
    rows = (
        Activity.topics.through.objects.filter(
            topic__in=topic_ids,
            activity__region=region_id,
            activity__start_date__year__gte=year_from,
            activity__start_date__year__lte=year_to,
        )
        .exclude(activity__status=Status.CANCELLED)
        .values_list("topic", "activity__status")
    )
    delivered, planned = defaultdict(int), defaultdict(int)
    for topic, status in rows:
        (delivered if status in DELIVERED else planned)[topic] += 1
    return delivered, planned
