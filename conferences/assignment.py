"""Reviewer assignment for a call, on the shared engine (`core.assignment`), as OpenReview's matcher
and HotCRP's autoassigner do it: maximise the total affinity (`conferences.affinity`) under

- hard: k reviewers per paper (the call's `reviewers_per_paper`, less those already assigned), each
  reviewer's load limit (their own `max_load` or the call's, less what they already hold), no
  conflict of any cause (`conferences.conflicts`), a language the reviewer works in, and not every
  reviewer of a paper from one region (at most k - 1 per region);
- soft floor: an academic and a practitioner on each paper. The first solve forbids k reviewers of
  one background; the papers it leaves short are filled by a second solve without that rule, and
  each paper that ends up without both is reported (`Proposal.violations`).

`propose` only proposes: the ASSIGN job writes the result through `services.assignments_apply`, which
checks every pair again (`check_assignment`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

from conferences.affinity import affinity_matrix
from conferences.conflicts import conflicts_between
from conferences.models import Assignment, Call, Reviewer, ReviewerKind, Submission, SubmissionStatus
from core.assignment import AssignmentProblem, ConstraintMatrix, GroupLimit, solve


@dataclass
class Proposal:
    assignments: dict[int, list[dict]]  # submission pk -> [{"reviewer", "affinity", "explanation"}]
    score: float
    greedy_score: float
    seconds: float
    status: str
    unfilled: dict[int, int] = field(default_factory=dict)  # submission pk -> reviewers short
    violations: list[str] = field(default_factory=list)


def _speaks(reviewer: Reviewer, submission: Submission) -> bool:
    return not reviewer.languages or not submission.language or submission.language in reviewer.languages


def check_assignment(reviewer: Reviewer, submission: Submission) -> list[str]:
    """Why this reviewer may not review this paper (empty: they may)."""
    problems = [
        cause.message
        for cause in conflicts_between([reviewer], [submission]).get((reviewer.pk, submission.pk), [])
    ]
    if not _speaks(reviewer, submission):
        problems.append(
            _("works in %(languages)s, not the paper's language (%(language)s)")
            % {"languages": ", ".join(reviewer.languages), "language": submission.language}
        )
    return problems


class _Pool:
    """The call's papers under review and its pool, with what is already assigned."""

    def __init__(self, call: Call):
        self.call = call
        self.submissions = list(
            Submission.objects.filter(call=call, status=SubmissionStatus.SUBMITTED).order_by("pk")
        )
        self.reviewers = list(
            Reviewer.objects.filter(conference_id=call.conference_id)
            .select_related("person__member")
            .order_by("pk")
        )
        self.row = {reviewer.pk: i for i, reviewer in enumerate(self.reviewers)}
        self.column = {submission.pk: j for j, submission in enumerate(self.submissions)}
        self.held = np.zeros((len(self.reviewers), len(self.submissions)), dtype=bool)
        self.load = np.zeros(len(self.reviewers), dtype=np.int64)
        for reviewer_id, submission_id in Assignment.objects.filter(submission__call=call).values_list(
            "reviewer_id", "submission_id"
        ):
            if reviewer_id in self.row:
                self.load[self.row[reviewer_id]] += 1
                if submission_id in self.column:
                    self.held[self.row[reviewer_id], self.column[submission_id]] = True
        self.k = int(call.reviewers_per_paper)
        limits = np.array(
            [r.max_load if r.max_load is not None else call.reviewer_load for r in self.reviewers],
            dtype=np.int64,
        )
        self.capacity = np.maximum(limits - self.load, 0)
        self.demand = np.maximum(self.k - self.held.sum(axis=0), 0).astype(np.int64)
        self.region = np.array(
            [r.person.member.region_id if r.person.member_id else -1 for r in self.reviewers], dtype=np.int64
        )
        self.kind = np.array([r.kind for r in self.reviewers])


def _constraints(pool: _Pool, conflicts) -> ConstraintMatrix:
    shape = (len(pool.reviewers), len(pool.submissions))
    constraints = ConstraintMatrix(shape=shape)
    conflicted = np.zeros(shape, dtype=bool)
    for reviewer_id, submission_id in conflicts:
        if reviewer_id in pool.row and submission_id in pool.column:
            conflicted[pool.row[reviewer_id], pool.column[submission_id]] = True
    constraints.exclude("conflict", conflicted)
    language = np.array(
        [
            [not _speaks(reviewer, submission) for submission in pool.submissions]
            for reviewer in pool.reviewers
        ],
        dtype=bool,
    ).reshape(shape)
    constraints.exclude("language", language)
    constraints.exclude("already assigned", pool.held)
    return constraints


def _group_limits(pool: _Pool, *, backgrounds: bool) -> list[GroupLimit]:
    """At most k - 1 of one region per paper (and, first pass, of one background), counting those held."""
    if pool.k < 2:
        return []
    limits = []
    groups = [(pool.region == region) for region in np.unique(pool.region) if region >= 0]
    if backgrounds:
        groups += [pool.kind == kind for kind in (ReviewerKind.ACADEMIC, ReviewerKind.PRACTITIONER)]
    for j in range(len(pool.submissions)):
        if pool.demand[j] == 0:
            continue
        for members in groups:
            held = int((pool.held[:, j] & members).sum())
            limits.append(GroupLimit(column=j, rows=np.flatnonzero(members), limit=max(pool.k - 1 - held, 0)))
    return limits


def propose(
    call: Call, *, time_limit: float = 8.0, progress: Callable[[str], None] | None = None
) -> Proposal:
    started = time.perf_counter()
    note = progress or (lambda message: None)
    pool = _Pool(call)
    if not pool.submissions or not pool.reviewers:
        return Proposal({}, 0.0, 0.0, 0.0, "nothing to assign")
    note(
        _("%(papers)d papers, %(reviewers)d reviewers")
        % {"papers": len(pool.submissions), "reviewers": len(pool.reviewers)}
    )
    scores = affinity_matrix(pool.reviewers, pool.submissions)
    conflicts = conflicts_between(pool.reviewers, pool.submissions)
    constraints = _constraints(pool, conflicts)

    first = AssignmentProblem(
        scores,
        constraints,
        pool.capacity.copy(),
        pool.demand.copy(),
        group_limits=_group_limits(pool, backgrounds=True),
    )
    solution, baseline = solve(first, time_limit=time_limit * 0.7, progress=note)
    cells, status = list(solution.cells), solution.status
    greedy_score = baseline.score

    # The papers left short: again, without the background rule, on what capacity is left.
    taken = np.zeros(pool.held.shape, dtype=bool)
    for i, j in cells:
        taken[i, j] = True
    short = pool.demand - taken.sum(axis=0)
    if short.any():
        pool.held = pool.held | taken
        again = ConstraintMatrix(shape=constraints.shape, hard=dict(constraints.hard))
        again.exclude("already assigned", taken)
        second = AssignmentProblem(
            scores,
            again,
            np.maximum(pool.capacity - taken.sum(axis=1), 0),
            np.maximum(short, 0),
            group_limits=_group_limits(pool, backgrounds=False),
        )
        more, more_greedy = solve(second, time_limit=max(time_limit * 0.3, 0.5), progress=note)
        cells += more.cells
        greedy_score += more_greedy.score
        status = f"{status}; short papers: {more.status}"
    return _proposal(pool, scores, cells, status, greedy_score, time.perf_counter() - started)


def _proposal(pool: _Pool, scores, cells, status, greedy_score, seconds) -> Proposal:
    total = scores.total()
    assignments: dict[int, list[dict]] = {submission.pk: [] for submission in pool.submissions}
    for i, j in sorted(cells, key=lambda cell: (cell[1], -total[cell])):
        assignments[pool.submissions[j].pk].append(
            {
                "reviewer": pool.reviewers[i].pk,
                "affinity": round(float(total[i, j]), 4),
                "explanation": "; ".join(scores.explain(i, j)),
            }
        )
    unfilled, violations = {}, []
    assigned_kinds: dict[int, set] = {submission.pk: set() for submission in pool.submissions}
    for i, j in cells:
        assigned_kinds[pool.submissions[j].pk].add(pool.kind[i])
    for j, submission in enumerate(pool.submissions):
        for i in np.flatnonzero(pool.held[:, j]):
            assigned_kinds[submission.pk].add(pool.kind[i])
        missing = int(pool.demand[j]) - len(assignments[submission.pk])
        if missing > 0:
            unfilled[submission.pk] = missing
        if pool.k >= 2 and len(assigned_kinds[submission.pk]) < 2 and pool.demand[j]:
            violations.append(
                _("#%(pk)d “%(title)s”: no academic and practitioner pair")
                % {"pk": submission.pk, "title": submission.title[:60]}
            )
    score = round(float(sum(total[i, j] for i, j in cells)), 4)
    return Proposal(
        assignments, score, round(float(greedy_score), 4), round(seconds, 3), status, unfilled, violations
    )
