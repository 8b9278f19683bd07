"""Reviewer affinity and assignment for PICARD calls, measured: ranking quality on the labelled sets
against a topics-only baseline, and the solver on a synthetic call (300 papers x 150 reviewers).

    .venv/bin/python bench/reviewer_assignment.py

Prints `name: value` lines:
- the issue's author recovery, on the shipped pool and on `make run`'s demo conferences: each
  reviewer with two or more papers has their latest hidden, scored as a submission; `<set> authors
  recall@10` is the share whose author ranks in the top 10 of the whole pool, beside hit@5, nDCG@10,
  success@1 and MRR;
- for the labelled set (conferences/data/affinity_labelled.jsonl) and the held-out set
  (affinity_heldout.jsonl, other wording), over the shipped 46-reviewer pool: hit@5, recall@10,
  nDCG@10 (graded gains), success@1 (the top reviewer has the paper's best grade) and MRR of
  `conferences.affinity.reviewer_ranking`, then the same figures of the baseline that ranks by
  declared topics only (`<set> baseline/topics ...`); conflicts are ignored there (pure affinity);
- for the synthetic call (k=3, at most 8 papers per reviewer, every region, both backgrounds, English
  and French): the solve's seconds (vectors computed beforehand, not timed), its total affinity and
  the greedy baseline's, their ratio, papers left short, papers without an academic and practitioner
  pair, and two checks that must print 0: conflicted pairs assigned (`conflicts_between` on the
  result) and papers whose reviewers all come from one region.

Each phase runs in its own process on a fresh SQLite database (bench/reviewer_quality.sqlite3,
bench/reviewer_demo.sqlite3, bench/reviewer_scale.sqlite3). The random seeds are fixed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUALITY_DB = ROOT / "bench" / "reviewer_quality.sqlite3"
DEMO_DB = ROOT / "bench" / "reviewer_demo.sqlite3"
SCALE_DB = ROOT / "bench" / "reviewer_scale.sqlite3"
SCALE_PAPERS, SCALE_REVIEWERS = 300, 150
FIGURES = [("hit@5", "hit@5"), ("recall@10", "recall@10"), ("nDCG@10", "ndcg@10"), ("success@1", "success@1")]
FIGURES.append(("MRR", "mrr"))


def setup(database: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cbhub.settings_test")
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="cbhub-bench-media-"))
    import django

    django.setup()
    from django.core.management import call_command

    from network.reference import SHIPPED_REFERENCE_DIR, reference_load
    from topics.reference import topics_load

    call_command("migrate", verbosity=0, interactive=False)
    reference_load(directory=SHIPPED_REFERENCE_DIR)
    topics_load(path=SHIPPED_REFERENCE_DIR / "topics.md")


def quality() -> None:
    setup(QUALITY_DB)
    from conferences.evaluation import (
        HELD_OUT,
        LABELLED,
        POOL,
        evaluate,
        load_pool,
        read_jsonl,
        topic_ranking,
    )

    loaded = load_pool(POOL)
    print(f"pool reviewers: {len(read_jsonl(POOL))}")
    print_recovery("pool", list(loaded.reviewers.values()))
    for name, path in (("labelled", LABELLED), ("heldout", HELD_OUT)):
        figures = evaluate(path, loaded=loaded)
        baseline = evaluate(path, loaded=loaded, rank=topic_ranking)
        print(f"{name} papers: {figures['papers']}")
        for label, key in FIGURES:
            print(f"{name} {label}: {figures[key]}")
        for label, key in FIGURES:
            print(f"{name} baseline/topics {label}: {baseline[key]}")
        print(f"{name} misses: {' '.join(figures['misses']) or '-'}")


def print_recovery(name: str, reviewers) -> None:
    """The issue's figure: each reviewer with 2+ papers has their latest hidden; does its author
    rank in the top 10 of the whole pool?"""
    from conferences.evaluation import author_recovery

    figures = author_recovery(reviewers)
    print(f"{name} authors papers: {figures['papers']}")
    for label, key in FIGURES:
        print(f"{name} authors {label}: {figures[key]}")


def demo() -> None:
    """Author recovery on `make run`'s demo conferences: about 200 past papers by generated authors,
    a pool of about 30 reviewers (another vocabulary and other authors than the shipped pool)."""
    setup(DEMO_DB)
    from accounts.demo import demo_users_create
    from conferences.demo import OPEN_EDITION, demo_conferences_create
    from conferences.models import Conference, Reviewer
    from conferences.reference import conferences_load
    from network.reference import SHIPPED_REFERENCE_DIR, LoadReport

    conferences_load(directory=SHIPPED_REFERENCE_DIR, report=LoadReport())
    demo_users_create()
    demo_conferences_create(progress=lambda *args: None)
    conference = Conference.objects.get(kind="picard", number=OPEN_EDITION)
    reviewers = list(Reviewer.objects.filter(conference=conference).select_related("person"))
    print(f"demo reviewers: {len(reviewers)}")
    print_recovery("demo", reviewers)


def scale() -> None:
    setup(SCALE_DB)
    from collections import defaultdict

    from conferences.affinity import affinity_matrix
    from conferences.assignment import propose
    from conferences.conflicts import conflicts_between
    from conferences.evaluation import load_papers, load_pool, synthetic_papers, synthetic_pool
    from conferences.models import Reviewer, Submission

    started = time.perf_counter()
    pool = synthetic_pool(SCALE_REVIEWERS)
    loaded = load_pool(pool)
    load_papers(synthetic_papers(SCALE_PAPERS, reviewers=pool), loaded.call, people=loaded.people)
    reviewers = list(Reviewer.objects.filter(conference=loaded.conference).select_related("person__member"))
    submissions = list(Submission.objects.filter(call=loaded.call, status="submitted"))
    affinity_matrix(reviewers, submissions)  # vectors stored on the rows: the solve below is not the model's
    print(f"scale build s: {time.perf_counter() - started:.1f}")
    print(f"scale papers: {len(submissions)}")
    print(f"scale reviewers: {len(reviewers)}")
    print(f"scale french papers: {sum(1 for s in submissions if s.language == 'fr')}")
    conflicts = conflicts_between(reviewers, submissions)
    print(f"scale conflicted pairs: {len(conflicts)}")

    from scipy.optimize import milp  # noqa: F401  (imported once per process, not timed)

    proposal = propose(loaded.call)
    region = {reviewer.pk: reviewer.person.member.region_id for reviewer in reviewers}
    assigned = [(row["reviewer"], pk) for pk, rows in proposal.assignments.items() for row in rows]
    regions = defaultdict(set)
    for reviewer_id, submission_id in assigned:
        regions[submission_id].add(region[reviewer_id])
    load = defaultdict(int)
    for reviewer_id, _submission_id in assigned:
        load[reviewer_id] += 1
    print(f"solver/status: {proposal.status}")
    print(f"solver/milp seconds: {proposal.seconds}")
    print(f"solver/milp affinity: {proposal.score}")
    print(f"solver/greedy affinity: {proposal.greedy_score}")
    print(f"solver/ratio: {proposal.score / proposal.greedy_score if proposal.greedy_score else 0:.4f}")
    print(f"solver/assigned: {len(assigned)}")
    print(f"solver/max load: {max(load.values()) if load else 0}")
    print(f"solver/unfilled: {len(proposal.unfilled)}")
    print(f"solver/violations: {len(proposal.violations)}")
    print(f"solver/conflicts assigned: {sum(1 for pair in assigned if pair in conflicts)}")
    same = sum(1 for pk, rows in proposal.assignments.items() if len(rows) >= 2 and len(regions[pk]) == 1)
    print(f"solver/same-region papers: {same}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phase", choices=["quality", "demo", "scale"])
    options = parser.parse_args()
    if options.phase == "quality":
        return quality()
    if options.phase == "demo":
        return demo()
    if options.phase == "scale":
        return scale()
    for phase in ("quality", "demo", "scale"):
        subprocess.run([sys.executable, __file__, "--phase", phase], check=True)


if __name__ == "__main__":
    main()
