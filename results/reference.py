"""The strategic objectives, loaded from the shipped `results/data/strategic_objectives.csv` by
`manage.py load_reference`: idempotent (a second run changes nothing), every row read before any
is written."""

from __future__ import annotations

import csv
from pathlib import Path

from results.models import StrategicObjective

FILE = Path(__file__).resolve().parent / "data" / "strategic_objectives.csv"


def objectives_load(*, path: Path = FILE, report=None) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    changed = 0

    def record(outcome):
        if report is not None:
            report.record(StrategicObjective, outcome)

    for row in rows:
        values = {
            "position": int(row["position"]),
            "title_en": row["title_en"].strip(),
            "title_fr": row["title_fr"].strip(),
            "description": row["description"].strip(),
        }
        objective = StrategicObjective.objects.filter(code=row["code"].strip()).first()
        if objective is None:
            StrategicObjective.objects.create(code=row["code"].strip(), **values)
            changed += 1
            record("created")
        elif any(getattr(objective, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(objective, key, value)
            objective.save()
            changed += 1
            record("updated")
        else:
            record("unchanged")
    return changed
