"""Precision and recall of the automatic topic suggestions on knowledge/data/topic_labelled.jsonl
(70 customs capacity-building texts we wrote and labelled with the shared taxonomy's topics).

    .venv/bin/python bench/topic_suggestions.py
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cbhub.settings_test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'topics.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)
call_command("load_reference", verbosity=0)

from knowledge.topic_evaluation import evaluate_suggestions  # noqa: E402

scores = evaluate_suggestions()
print(
    f"texts: {scores.texts}, suggestions: {scores.suggested}, correct: {scores.correct}, "
    f"expected topics: {scores.expected}"
)
print(f"precision: {scores.precision:.3f}   recall: {scores.recall:.3f}")
