"""Expert matching, measured: quality on the labelled sets, shortlist latency over 5,000 experts, and
the year's plan (300 slots x 5,000 experts) against the greedy baseline.

    .venv/bin/python bench/expert_matching.py            # SQLite files in bench/
    .venv/bin/python bench/expert_matching.py --rebuild  # rebuild the 5,000-expert database

Prints `name: value` lines:
- hit@5, nDCG@5, success@1 on experts/data/matching_labelled.jsonl and on the held-out set
  (matching_heldout.jsonl, other wording), each over the shipped 220-expert roster;
- shortlist p50/p95 ms over 5,000 experts (distinct slots, so each embeds its own text; the model
  is loaded first), and the queries one shortlist makes;
- plan solve seconds (wall and CPU), the plan's score and the greedy baseline's score, slots filled.

The quality phase runs on a fresh database (bench/expert_quality.sqlite3); the scale phase on
bench/expert_scale.sqlite3, built once (synthetic roster in the shipped roster's style). Each
phase runs in its own process because each has its own database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUALITY_DB = ROOT / "bench" / "expert_quality.sqlite3"
SCALE_DB = ROOT / "bench" / "expert_scale.sqlite3"
SCALE_EXPERTS, SCALE_SLOTS, YEAR = 5000, 300, 2027


def setup(database: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cbhub.settings_test")
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="cbhub-bench-media-"))
    import django

    django.setup()


def fresh_database(database: Path) -> None:
    from django.core.management import call_command

    from accounts.demo import demo_users_create
    from network.reference import SHIPPED_REFERENCE_DIR, reference_load
    from topics.reference import topics_load

    call_command("migrate", verbosity=0, interactive=False)
    reference_load(directory=SHIPPED_REFERENCE_DIR)
    topics_load(path=SHIPPED_REFERENCE_DIR / "topics.md")
    demo_users_create()


def quality() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{QUALITY_DB}{suffix}").unlink(missing_ok=True)
    setup(QUALITY_DB)
    fresh_database(QUALITY_DB)
    from accounts.models import User
    from experts.evaluation import HELD_OUT, LABELLED, ROSTER, evaluate, load_roster, read_jsonl

    load_roster(ROSTER)
    user = User.objects.get(username="secretariat")
    for name, path in (("labelled", LABELLED), ("heldout", HELD_OUT)):
        figures = evaluate(path, user=user)
        print(f"{name} slots: {figures['slots']}")
        print(f"{name} hit@5: {figures['hit@5']}")
        print(f"{name} nDCG@5: {figures['ndcg@5']}")
        print(f"{name} success@1: {figures['success@1']}")
        print(f"{name} misses: {' '.join(figures['misses']) or '-'}")
    print(f"roster experts: {len(read_jsonl(ROSTER))}")


def scale(rebuild: bool) -> None:
    if rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SCALE_DB}{suffix}").unlink(missing_ok=True)
    built = SCALE_DB.exists()
    setup(SCALE_DB)
    from django.db import connection

    from accounts.models import User
    from experts.evaluation import load_roster, load_slots, scale_slots, synthetic_roster
    from experts.models import ExpertProfile, Slot

    if not built:
        started = time.perf_counter()
        fresh_database(SCALE_DB)
        load_roster(synthetic_roster(SCALE_EXPERTS, year=YEAR), embed_batch=512)
        load_slots(scale_slots(SCALE_SLOTS, year=YEAR))
        print(f"scale database build s: {time.perf_counter() - started:.1f}")
    else:  # built by an earlier checkout: bring its schema up to date
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    print(f"scale experts: {ExpertProfile.objects.count()}")
    from django.test.utils import CaptureQueriesContext

    from experts.matching import plan_year, shortlist
    from knowledge.embeddings import embed

    embed(["warm the model"])
    from scipy.optimize import milp  # noqa: F401  (imported once per process, not timed)

    user = User.objects.get(username="secretariat")
    slots = list(
        Slot.objects.filter(activity__status="approved").select_related("activity", "pool").order_by("pk")
    )
    samples, cpu = [], []
    for slot in slots[:3]:
        shortlist(user, slot)
    for slot in slots[3:83]:
        wall, clock = time.perf_counter(), time.process_time()
        shortlist(user, slot)
        samples.append((time.perf_counter() - wall) * 1000)
        cpu.append((time.process_time() - clock) * 1000)
    samples.sort()
    cpu.sort()
    print(f"shortlist samples: {len(samples)}")
    print(f"shortlist p50 ms: {statistics.median(samples):.1f}")
    print(f"shortlist p95 ms: {samples[int(0.95 * (len(samples) - 1))]:.1f}")
    print(f"shortlist p95 cpu ms: {cpu[int(0.95 * (len(cpu) - 1))]:.1f}")
    with CaptureQueriesContext(connection) as queries:
        shortlist(user, slots[1])
    print(f"shortlist queries: {len(queries)}")

    wall, clock = time.perf_counter(), time.process_time()
    plan = plan_year(year=YEAR)
    print(f"plan slots: {len(plan.assignments)}")
    print(f"plan experts: {ExpertProfile.objects.count()}")
    print(f"plan seconds: {time.perf_counter() - wall:.2f}")
    print(f"plan cpu seconds: {time.process_time() - clock:.2f}")
    for phase, seconds in plan.timings.items():
        print(f"plan {phase} seconds: {seconds}")
    print(f"plan status: {plan.status}")
    print(f"plan score: {plan.score}")
    print(f"greedy score: {plan.greedy_score}")
    print(f"plan filled: {sum(1 for picks in plan.assignments.values() if picks[0])}")
    print(f"plan vs greedy: {plan.score / plan.greedy_score if plan.greedy_score else 0:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phase", choices=["quality", "scale"])
    parser.add_argument("--rebuild", action="store_true")
    options = parser.parse_args()
    if options.phase == "quality":
        return quality()
    if options.phase == "scale":
        return scale(options.rebuild)
    for phase in ("quality", "scale"):
        command = [sys.executable, __file__, "--phase", phase] + (["--rebuild"] if options.rebuild else [])
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
