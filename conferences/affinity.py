"""How well a reviewer fits a paper, as OpenReview's affinity scores do it, on the knowledge base's
MiniLM embeddings (shipped with the project, run in process).

A reviewer's score for a paper is a weighted sum of components in [0, 1] (`WEIGHTS`, the one place
they are set), so each assignment can say why:

- **papers**: the closest of the reviewer's own work (their other submitted, accepted or rejected
  papers, and the knowledge-base documents naming them as an author) to the paper's title and
  abstract; a reviewer with no papers on record is scored on their declared expertise instead, so
  practitioners are not ranked below academics for publishing less;
- **profile**: the reviewer's declared expertise against the paper;
- **topics**: the share of the paper's topics the reviewer declared (a parent or child topic counts half);
- **bid**: eager 1, willing 0.7, no bid or no preference 0.4, rather not 0 ("I have a conflict" is a
  conflict, `conferences.conflicts`).

Vectors of submissions and reviewers are stored on their rows (`embedding`) and computed again
when their text changes (the services clear them).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from django.utils.translation import gettext as _

from conferences.models import ACCEPTED, Authorship, Bid, BidValue, Reviewer, Submission, SubmissionStatus
from core.assignment import ScoreMatrix

WEIGHTS: dict[str, float] = {
    "papers": 0.45,
    "profile": 0.2,
    "topics": 0.2,
    "bid": 0.15,
}
BID_SCORE = {BidValue.EAGER: 1.0, BidValue.WILLING: 0.7, BidValue.NEUTRAL: 0.4, BidValue.RATHER_NOT: 0.0}
NO_BID = 0.4
OWN_WORK = [*ACCEPTED, SubmissionStatus.SUBMITTED, SubmissionStatus.REJECTED]


def submission_text(submission: Submission) -> str:
    return f"{submission.title}. {submission.abstract}".strip()


def reviewer_text(reviewer: Reviewer) -> str:
    return (reviewer.expertise or "").strip()


def _embed(texts: list[str]) -> np.ndarray:
    from knowledge.embeddings import embed

    return embed(texts)


def ensure_vectors(submissions) -> None:
    """Embed the submissions that have no vector yet (one model call), and store them."""
    from knowledge.embeddings import to_bytes

    missing = [
        submission for submission in submissions if not submission.embedding and submission_text(submission)
    ]
    if not missing:
        return
    for submission, vector in zip(missing, _embed([submission_text(s) for s in missing]), strict=True):
        submission.embedding = to_bytes(vector)
    Submission.objects.bulk_update(missing, ["embedding"], batch_size=200)


def _ensure_reviewer_vectors(reviewers: list[Reviewer]) -> None:
    from knowledge.embeddings import to_bytes

    missing = [reviewer for reviewer in reviewers if not reviewer.embedding and reviewer_text(reviewer)]
    if not missing:
        return
    for reviewer, vector in zip(missing, _embed([reviewer_text(r) for r in missing]), strict=True):
        reviewer.embedding = to_bytes(vector)
    Reviewer.objects.bulk_update(missing, ["embedding"], batch_size=200)


def _vectors(rows) -> np.ndarray:
    from knowledge.embeddings import DIMENSIONS, from_bytes

    matrix = np.zeros((len(rows), DIMENSIONS), dtype=np.float32)
    for index, row in enumerate(rows):
        if row.embedding:
            matrix[index] = from_bytes(bytes(row.embedding))
    return matrix


def _own_work(
    reviewers: list[Reviewer], exclude: set[int]
) -> tuple[dict[int, list[int]], np.ndarray, list[str]]:
    """Each reviewer's own papers and documents: {reviewer index: [work index]}, their vectors, titles."""
    from knowledge.embeddings import DIMENSIONS, from_bytes
    from knowledge.models import Chunk, Document

    index_of_person: dict[int, list[int]] = defaultdict(list)
    for index, reviewer in enumerate(reviewers):
        index_of_person[reviewer.person_id].append(index)
    people = list(index_of_person)
    vectors: list[np.ndarray] = []
    titles: list[str] = []
    work: dict[int, list[int]] = defaultdict(list)

    papers = list(
        Submission.objects.filter(authorships__person_id__in=people, status__in=OWN_WORK)
        .exclude(pk__in=exclude)  # a paper is not its own author's evidence
        .distinct()
    )
    ensure_vectors(papers)
    paper_index = {}
    for paper in papers:
        if paper.embedding:
            paper_index[paper.pk] = len(vectors)
            vectors.append(from_bytes(bytes(paper.embedding)))
            titles.append(paper.title)
    for submission_id, person_id in Authorship.objects.filter(
        person_id__in=people, submission_id__in=list(paper_index)
    ).values_list("submission_id", "person_id"):
        for reviewer_index in index_of_person[person_id]:
            work[reviewer_index].append(paper_index[submission_id])

    through = Document.author_people.through
    authored = list(through.objects.filter(person_id__in=people).values_list("document_id", "person_id"))
    document_ids = {document_id for document_id, _person in authored}
    first_chunks = dict(
        Chunk.objects.filter(document_id__in=document_ids, ordinal=0).values_list("document_id", "embedding")
    )
    document_titles = dict(Document.objects.filter(pk__in=first_chunks).values_list("pk", "title"))
    document_index = {}
    for document_id, embedding in first_chunks.items():
        document_index[document_id] = len(vectors)
        vectors.append(from_bytes(bytes(embedding)))
        titles.append(document_titles.get(document_id, ""))
    for document_id, person_id in authored:
        if document_id in document_index:
            for reviewer_index in index_of_person[person_id]:
                work[reviewer_index].append(document_index[document_id])
    matrix = np.stack(vectors) if vectors else np.zeros((0, DIMENSIONS), dtype=np.float32)
    return work, matrix, titles


def _topic_overlap(reviewers: list[Reviewer], submissions: list[Submission]) -> tuple[np.ndarray, dict, dict]:
    from topics.models import Topic

    reviewer_topics = defaultdict(set)
    for reviewer_id, topic_id in Reviewer.topics.through.objects.filter(
        reviewer_id__in=[r.pk for r in reviewers]
    ).values_list("reviewer_id", "topic_id"):
        reviewer_topics[reviewer_id].add(topic_id)
    paper_topics = defaultdict(set)
    for submission_id, topic_id in Submission.topics.through.objects.filter(
        submission_id__in=[s.pk for s in submissions]
    ).values_list("submission_id", "topic_id"):
        paper_topics[submission_id].add(topic_id)
    parent = dict(Topic.objects.values_list("pk", "parent_id"))
    wanted_ids = set().union(*paper_topics.values()) if paper_topics else set()
    names = {topic.pk: str(topic) for topic in Topic.objects.filter(pk__in=wanted_ids)}
    overlap = np.zeros((len(reviewers), len(submissions)), dtype=np.float32)
    for j, submission in enumerate(submissions):
        wanted = paper_topics.get(submission.pk, set())
        if not wanted:
            continue
        for i, reviewer in enumerate(reviewers):
            declared = reviewer_topics.get(reviewer.pk, set())
            if not declared:
                continue
            credit = 0.0
            for topic in wanted:
                if topic in declared:
                    credit += 1.0
                elif parent.get(topic) in declared or any(parent.get(mine) == topic for mine in declared):
                    credit += 0.5
            overlap[i, j] = credit / len(wanted)
    return overlap, {r.pk: reviewer_topics.get(r.pk, set()) for r in reviewers}, (paper_topics, names)


def _aggregate(rows: np.ndarray) -> np.ndarray:
    """A reviewer's own works (rows) against each paper (columns): the closest one."""
    return rows.max(axis=0)


def affinity_matrix(reviewers, submissions) -> ScoreMatrix:
    """reviewers x submissions, each cell a weighted sum of WEIGHTS' components, with its reasons."""
    reviewers, submissions = list(reviewers), list(submissions)
    ensure_vectors(submissions)
    _ensure_reviewer_vectors(reviewers)
    paper_vectors = _vectors(submissions)
    profile = np.clip(_vectors(reviewers) @ paper_vectors.T, 0.0, 1.0)
    has_profile = np.array([bool(reviewer.embedding) for reviewer in reviewers])
    profile[~has_profile] = 0.0

    work, work_vectors, work_titles = _own_work(reviewers, {submission.pk for submission in submissions})
    papers = profile.copy()  # no papers on record: the declared expertise stands in
    best_work = np.full(profile.shape, -1, dtype=np.int64)
    if len(work_vectors):
        similarity = np.clip(work_vectors @ paper_vectors.T, 0.0, 1.0)
        for i, indexes in work.items():
            rows = similarity[indexes]
            best = np.argmax(rows, axis=0)
            papers[i] = _aggregate(rows)
            best_work[i] = np.asarray(indexes)[best]

    topics, reviewer_topics, (paper_topics, topic_names) = _topic_overlap(reviewers, submissions)
    bids = np.full(profile.shape, NO_BID, dtype=np.float32)
    bid_values: dict[tuple[int, int], int] = {}
    row = {reviewer.pk: i for i, reviewer in enumerate(reviewers)}
    column = {submission.pk: j for j, submission in enumerate(submissions)}
    for reviewer_id, submission_id, value in Bid.objects.filter(
        reviewer_id__in=list(row), submission_id__in=list(column)
    ).values_list("reviewer_id", "submission_id", "value"):
        bid_values[(row[reviewer_id], column[submission_id])] = value
        bids[row[reviewer_id], column[submission_id]] = BID_SCORE.get(value, 0.0)

    components = {"papers": papers, "profile": profile, "topics": topics, "bid": bids}

    def reasons(i: int, j: int) -> list[str]:
        words = []
        if best_work[i, j] >= 0 and papers[i, j] > 0:
            words.append(
                _("own work “%(title)s” (%(score).2f)")
                % {"title": work_titles[best_work[i, j]][:80], "score": papers[i, j]}
            )
        elif has_profile[i]:
            words.append(_("no papers on record; expertise %(score).2f") % {"score": profile[i, j]})
        if best_work[i, j] >= 0 and has_profile[i]:
            words.append(_("expertise %(score).2f") % {"score": profile[i, j]})
        shared = paper_topics.get(submissions[j].pk, set()) & reviewer_topics.get(reviewers[i].pk, set())
        if shared:
            words.append(
                _("topics: %(topics)s") % {"topics": ", ".join(sorted(topic_names[t] for t in shared))}
            )
        value = bid_values.get((i, j))
        if value is not None:
            words.append(_("bid: %(bid)s") % {"bid": BidValue(value).label})
        return words

    return ScoreMatrix(
        row_ids=np.array([reviewer.pk for reviewer in reviewers], dtype=np.int64),
        col_ids=np.array([submission.pk for submission in submissions], dtype=np.int64),
        weights=WEIGHTS,
        components=components,
        reasons=reasons,
    )


def reviewer_ranking(submission: Submission, reviewers) -> list[tuple[Reviewer, float, str]]:
    """The pool for one paper, best first: (reviewer, score, explanation in words)."""
    reviewers = list(reviewers)
    if not reviewers:
        return []
    matrix = affinity_matrix(reviewers, [submission])
    total = matrix.total()[:, 0]
    order = np.argsort(-total, kind="stable")
    return [(reviewers[i], round(float(total[i]), 4), "; ".join(matrix.explain(int(i), 0))) for i in order]
