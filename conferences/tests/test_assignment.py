"""The reviewer assignment of a call: k per paper, the load limit, no conflicts, not all from one
region, a shared language, an academic and a practitioner where the pool allows; and the job that
writes it, every assignment with its reason."""

import numpy as np
import pytest

from activities.tests.factories import PersonFactory
from conferences import services
from conferences.assignment import check_assignment, propose
from conferences.conflicts import conflicts_between
from conferences.jobs import ASSIGN
from conferences.models import Assignment, AuditEntry, Submission
from conferences.tests.conftest import reviewer_of
from core.assignment import AssignmentProblem, ConstraintMatrix, GroupLimit, ScoreMatrix, greedy, solve
from jobs.services import job_enqueue, job_run
from network.models import Member
from topics.models import Topic

pytestmark = pytest.mark.django_db


def more_papers(call, count, *, language="en"):
    papers = []
    for number in range(count):
        paper = Submission.objects.create(
            call=call,
            title=f"Risk management study {number}",
            abstract="Selectivity and post-clearance audit in a customs administration.",
            language=language,
            status="submitted",
        )
        paper.topics.set([Topic.objects.get(slug="pca")])
        papers.append(paper)
    return papers


def test_each_paper_gets_k_reviewers_without_conflicts_or_one_region(submitted, pool, picard):
    proposal = propose(picard)
    picks = proposal.assignments[submitted.pk]
    chosen = {pick["reviewer"] for pick in picks}
    tokyo = next(r for r in pool if r.institution == "University of Tokyo")
    assert tokyo.pk not in chosen  # same administration as the author
    assert len(chosen) == 3 and proposal.unfilled == {}
    assert all(pick["explanation"] for pick in picks)
    regions = {r.person.member.region_id for r in pool if r.pk in chosen}
    assert len(regions) == 2
    assert proposal.score >= proposal.greedy_score - 1e-6


def test_not_all_reviewers_from_one_region(submitted, pool, picard):
    picard.reviewers_per_paper = 2
    picard.save()
    expert = reviewer_of(pool, "expert")
    expert.languages = ["es"]  # cannot read the paper: only the two Kenyans are left
    expert.save()
    proposal = propose(picard)
    assert len(proposal.assignments[submitted.pk]) == 1
    assert proposal.unfilled == {submitted.pk: 1}


def test_a_shared_language(submitted, pool, picard):
    submitted.language = "fr"
    submitted.save()
    assert propose(picard).unfilled == {submitted.pk: 3}
    reasons = check_assignment(reviewer_of(pool, "expert"), submitted)
    assert reasons and "fr" in reasons[0]


def test_the_load_limit_holds_and_an_academic_and_practitioner_share_each_paper(submitted, pool, picard):
    picard.reviewers_per_paper = 2
    picard.reviewer_load = 2
    picard.save()
    papers = [submitted, *more_papers(picard, 2)]
    for _number in range(3):  # more academics, from France
        services.reviewer_add(
            user=_secretariat(),
            conference=picard.conference,
            person=PersonFactory(member=Member.objects.get(iso_alpha2="FR")),
            data={"kind": "academic", "expertise": "Post-clearance audit research.", "languages": ["en"]},
        )
    proposal = propose(picard)
    load: dict[int, int] = {}
    for paper in papers:
        picks = proposal.assignments[paper.pk]
        assert len(picks) == 2
        kinds = {picard.conference.reviewers.get(pk=pick["reviewer"]).kind for pick in picks}
        assert kinds == {"academic", "practitioner"}
        for pick in picks:
            load[pick["reviewer"]] = load.get(pick["reviewer"], 0) + 1
    assert max(load.values()) <= 2
    assert proposal.violations == []


def _secretariat():
    from accounts.models import User

    return User.objects.get(username="secretariat")


def test_the_job_writes_the_assignments_with_their_reasons_and_a_log(submitted, pool, picard, smtp):
    job = job_enqueue(kind=ASSIGN, payload={"call": picard.pk}, user=_secretariat(), total=1)
    job = job_run(job.pk)
    assert job.status == "succeeded", job.message
    assignments = list(Assignment.objects.filter(submission=submitted).select_related("reviewer"))
    assert len(assignments) == 3
    assert all(assignment.explanation and not assignment.by_hand for assignment in assignments)
    assert not conflicts_between([a.reviewer for a in assignments], [submitted])
    assert AuditEntry.objects.filter(call=picard, action="solver run").exists()
    assert job.result["score"] >= job.result["greedy_score"] - 1e-6
    # A second run keeps what is there and adds nothing.
    job_run(job_enqueue(kind=ASSIGN, payload={"call": picard.pk}, user=_secretariat(), total=1).pk)
    assert Assignment.objects.filter(submission=submitted).count() == 3


def test_group_limits_hold_in_the_solver_and_in_greedy():
    scores = ScoreMatrix(
        row_ids=np.arange(4),
        col_ids=np.arange(1),
        weights={"fit": 1.0},
        components={"fit": np.array([[0.9], [0.8], [0.7], [0.1]], dtype=np.float32)},
    )
    problem = AssignmentProblem(
        scores,
        ConstraintMatrix(shape=(4, 1)),
        capacity=np.ones(4, dtype=np.int64),
        demand=np.array([3]),
        group_limits=[GroupLimit(column=0, rows=np.array([0, 1, 2]), limit=2)],  # one region
    )
    best, baseline = solve(problem)
    for solution in (best, baseline, greedy(problem)):
        assert sorted(solution.assignments[0]) == [0, 1, 3]
