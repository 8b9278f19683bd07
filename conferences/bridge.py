"""The bridge between research and practice, read side: what research says that a region's
activities do not yet cover (`research_gaps`), and the accepted papers closest to an activity
(`closest_papers`). The writes (a workshop proposed from research, a paper proposed as reading)
are conferences.services'."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from conferences.models import ACCEPTED, Assignment, Authorship, Submission

MAX_PAPERS = 5
MAX_SPEAKERS = 6


@dataclass
class Gap:
    """A topic that research covers and the region's activities do not (yet): its most recent
    accepted papers, how many activities of the region are on it, and people who could speak."""

    topic: object
    papers: list[Submission]
    workshops: int
    speakers: list = field(default_factory=list)
    paper_count: int = 0

    @property
    def need(self) -> int:
        return (self.paper_count or len(self.papers)) - self.workshops


def _since(years: int) -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=round(365.25 * max(years, 0)))


def accepted_papers(years: int = 3):
    """Accepted papers decided in the last `years` years (or, undated, of a conference that recent)."""
    since = _since(years)
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    return Submission.objects.filter(status__in=ACCEPTED).filter(
        Q(decided_at__gte=start) | Q(decided_at__isnull=True, call__conference__year__gte=since.year)
    )


def regional_activities(region, years: int = 3):
    """The region's activities delivered or planned in the window: not cancelled, started in the
    last `years` years or later, or planned without a date yet."""
    from activities.models import Activity, Status

    since = _since(years)
    return (
        Activity.objects.filter(region=region)
        .exclude(status=Status.CANCELLED)
        .filter(Q(start_date__gte=since) | Q(start_date__isnull=True))
    )


def research_gaps(region, *, years: int = 3, limit: int = 8, user=None) -> list[Gap]:
    """Topics with accepted papers in the last `years` years and fewer of the region's activities
    on them than papers, most needed first. A fixed number of queries, whatever the sizes. With
    `user`, the speakers are only the authors and reviewers that user may see (who reviewed a
    paper is the chairs' to know)."""
    from activities.models import Activity
    from topics.models import Topic

    papers = accepted_papers(years)
    # Most recent first, so the first MAX_PAPERS of a topic are the ones shown.
    paper_topics = list(
        Submission.topics.through.objects.filter(submission__in=papers.values("pk"))
        .order_by(
            F("submission__decided_at").desc(nulls_last=True),
            "-submission__call__conference__year",
            "-submission_id",
        )
        .values_list("topic_id", "submission_id")
    )
    if not paper_topics:
        return []
    by_topic: dict[int, list[int]] = defaultdict(list)
    for topic_id, submission_id in paper_topics:
        by_topic[topic_id].append(submission_id)
    activity_topics = Activity.topics.through.objects.filter(
        activity__in=regional_activities(region, years).values("pk"), topic_id__in=list(by_topic)
    ).values_list("topic_id", "activity_id")
    workshops = Counter(topic_id for topic_id, _activity in set(activity_topics))
    needed = sorted(
        (
            (len(submissions) - workshops[topic_id], topic_id)
            for topic_id, submissions in by_topic.items()
            if len(submissions) > workshops[topic_id]
        ),
        key=lambda item: (-item[0], item[1]),
    )[: max(limit, 0)]
    if not needed:
        return []
    topics = Topic.objects.in_bulk([topic_id for _need, topic_id in needed])
    wanted = {pk for _need, topic_id in needed for pk in by_topic[topic_id][:MAX_PAPERS]}
    authorships, assignments = Authorship.objects.all(), Assignment.objects.all()
    if user is not None:
        authorships, assignments = authorships.restrict(user), assignments.restrict(user)
    rows = (
        Submission.objects.filter(pk__in=wanted)
        .select_related("call__conference")
        .prefetch_related(
            Prefetch("authorships", authorships.select_related("person").order_by("position", "pk")),
            Prefetch("assignments", assignments.select_related("reviewer__person").order_by("pk")),
        )
        .in_bulk()
    )
    gaps = []
    for _need, topic_id in needed:
        if topic_id not in topics:
            continue
        recent = [rows[pk] for pk in by_topic[topic_id][:MAX_PAPERS] if pk in rows]
        gaps.append(
            Gap(
                topic=topics[topic_id],
                papers=recent,
                workshops=workshops[topic_id],
                speakers=_speakers(recent),
                paper_count=len(by_topic[topic_id]),
            )
        )
    gaps.sort(key=lambda gap: (-gap.need, gap.topic.position, gap.topic.slug))
    return gaps


def _speakers(papers: list[Submission]) -> list:
    """The papers' authors, then their reviewers, each person once, at most MAX_SPEAKERS."""
    people, seen = [], set()
    candidates = [authorship.person for paper in papers for authorship in paper.authorships.all()]
    candidates += [assignment.reviewer.person for paper in papers for assignment in paper.assignments.all()]
    for person in candidates:
        if person.pk not in seen:
            seen.add(person.pk)
            people.append(person)
    return people[:MAX_SPEAKERS]


def activity_text(activity) -> str:
    return "\n".join(part for part in (activity.title, activity.objectives) if part).strip()


def closest_papers(activity, *, limit: int = 5) -> list[tuple[Submission, float]]:
    """[(accepted paper, cosine similarity)], most similar first, by the papers' stored embeddings
    and the activity's title and objectives; papers without an embedding are left out."""
    from knowledge.embeddings import DIMENSIONS, embed, from_bytes

    text = activity_text(activity)
    if not text or limit <= 0:
        return []
    candidates = list(
        Submission.objects.filter(status__in=ACCEPTED).exclude(embedding=b"").values_list("pk", "embedding")
    )
    vectors, ids = [], []
    for pk, data in candidates:
        vector = from_bytes(data) if data else None
        if vector is not None and vector.shape == (DIMENSIONS,):
            vectors.append(vector)
            ids.append(pk)
    if not vectors:
        return []
    target = np.asarray(embed([text])[0], dtype=np.float32)
    matrix = np.stack(vectors)
    norms = np.linalg.norm(matrix, axis=1) * max(float(np.linalg.norm(target)), 1e-9)
    similarity = (matrix @ target) / np.maximum(norms, 1e-9)
    order = np.argsort(-similarity, kind="stable")[:limit]
    found = Submission.objects.select_related("call__conference").in_bulk([ids[index] for index in order])
    return [(found[ids[index]], round(float(similarity[index]), 3)) for index in order if ids[index] in found]
