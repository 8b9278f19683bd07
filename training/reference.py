"""The competency frameworks curricula are mapped to, loaded from the shipped
`training/data/professional_standards_2019.csv` by `manage.py load_reference`: one row per area and
per competency, at the operational or the strategic level.

As for the rest of the reference data, every row is read and checked before anything is written
(a bad file changes nothing, and the error names the line), and a second run changes nothing. A
competency that is no longer in the file is retired, never deleted: the products, modules and
programme courses mapped to it keep their mapping, and it takes no new ones."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from network.reference import LoadReport, ReferenceDataError, Row, read_csv
from training.models import Competency, CompetencyArea, CompetencyFramework, CompetencyLevel

FILE = Path(__file__).resolve().parent / "data" / "professional_standards_2019.csv"
COLUMNS = {
    "framework_code",
    "framework_name",
    "framework_name_fr",
    "kind",
    "level",
    "code",
    "area_code",
    "name",
    "name_fr",
    "source",
    "position",
}
KINDS = {"area", "competency"}
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
SLUG = re.compile(r"^[-a-z0-9_]+$")

# What the framework row itself cites (the file cites each area and competency on its own row).
FRAMEWORK_SOURCES = {
    "wco-ps-2019": (
        "WCO Professional Standards (PICARD), developed by the WCO with the International Network of "
        "Customs Universities (INCU): first published in 2008, revised version endorsed by the WCO "
        "Capacity Building Committee at its 10th session (2019); "
        "https://incu.org/resources/picard/professionalstandards/"
    ),
}


@dataclass
class PlannedFramework:
    code: str
    name: str
    name_fr: str
    line: int
    areas: dict[str, dict] = field(default_factory=dict)
    competencies: dict[str, dict] = field(default_factory=dict)


def _text(row: Row, column: str, limit: int, *, required: bool = False) -> str:
    value = row[column]
    if required and not value:
        raise row.fail(f"{column} is required")
    if len(value) > limit:
        raise row.fail(f"{column} is longer than {limit} characters")
    return value


def _position(row: Row) -> int:
    value = row["position"]
    if not value:
        return 0
    if not value.isdigit() or int(value) > 32767:
        raise row.fail(f"position {value!r} is not a whole number from 0 to 32767")
    return int(value)


def plan_competencies(path: Path) -> dict[str, PlannedFramework]:
    """Every framework of the file with its areas and competencies, checked; raises
    ReferenceDataError at the first row that cannot be loaded."""
    rows = read_csv(Path(path), COLUMNS)
    if not rows:
        raise ReferenceDataError(Path(path).name, 1, "no areas and no competencies")
    frameworks: dict[str, PlannedFramework] = {}
    seen: dict[tuple[str, str], int] = {}
    pending: list[tuple[Row, PlannedFramework, dict]] = []
    for row in rows:
        framework_code = row["framework_code"]
        if not framework_code or not SLUG.match(framework_code) or len(framework_code) > 40:
            raise row.fail(
                f"framework_code {framework_code!r} is not a code of lower-case letters, digits and -"
            )
        name = _text(row, "framework_name", 200, required=True)
        name_fr = _text(row, "framework_name_fr", 200)
        framework = frameworks.get(framework_code)
        if framework is None:
            framework = frameworks[framework_code] = PlannedFramework(framework_code, name, name_fr, row.line)
        elif (framework.name, framework.name_fr) != (name, name_fr):
            raise row.fail(f"framework {framework_code} is named differently on line {framework.line}")
        kind = row["kind"]
        if kind not in KINDS:
            raise row.fail(f"kind {kind!r} is neither area nor competency")
        level = row["level"]
        if level not in CompetencyLevel.values:
            raise row.fail(f"level {level!r} is neither operational nor strategic")
        code = row["code"]
        if not code or not CODE.match(code) or len(code) > 20:
            raise row.fail(f"code {code!r} is not a code of at most 20 letters, digits, dots and dashes")
        if (framework_code, code) in seen:
            raise row.fail(
                f"code {code} appears twice in {framework_code} (first on line {seen[framework_code, code]})"
            )
        seen[framework_code, code] = row.line
        limit = 200 if kind == "area" else 300
        values = {
            "level": level,
            "name": _text(row, "name", limit, required=True),
            "name_fr": _text(row, "name_fr", limit),
            "position": _position(row),
        }
        if kind == "area":
            if row["area_code"]:
                raise row.fail("an area has no area_code")
            framework.areas[code] = values
        else:
            values["source"] = _text(row, "source", 500)
            pending.append((row, framework, values))
    for row, framework, values in pending:  # areas may come after their competencies
        area_code = row["area_code"]
        area = framework.areas.get(area_code)
        if area is None:
            raise row.fail(
                f"unknown area {area_code!r} in {framework.code}" if area_code else "area_code is required"
            )
        if area["level"] != values["level"]:
            raise row.fail(
                f"level {values['level']} differs from the {area['level']} level of area {area_code}"
            )
        framework.competencies[row["code"]] = {**values, "area_code": area_code}
    return frameworks


def competencies_load(*, path: Path = FILE, report: LoadReport | None = None) -> int:
    """Load the frameworks of `path`; returns how many rows were created or changed."""
    report = report if report is not None else LoadReport()
    before = report.changed
    planned = plan_competencies(Path(path))
    with transaction.atomic():
        for plan in planned.values():
            _load_framework(plan, report)
    return report.changed - before


def _save(report: LoadReport, instance, outcome: str):
    instance._change_reason = "reference data load"
    instance.full_clean()
    instance.save()
    report.record(type(instance), outcome)
    return instance


def _apply(report: LoadReport, model, instance, lookup: dict, values: dict):
    """Create the row, or update it when a value differs; unchanged rows are not saved again."""
    if instance is None:
        return _save(report, model(**lookup, **values), "created")
    if any(getattr(instance, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(instance, key, value)
        _save(report, instance, "updated")
    else:
        report.record(model, "unchanged")
    return instance


def _load_framework(plan: PlannedFramework, report: LoadReport) -> None:
    framework = _apply(
        report,
        CompetencyFramework,
        CompetencyFramework.objects.filter(code=plan.code).first(),
        {"code": plan.code},
        {"name": plan.name, "name_fr": plan.name_fr, "source": FRAMEWORK_SOURCES.get(plan.code, "")},
    )
    existing_areas = {area.code: area for area in framework.areas.all()}
    areas = {
        code: _apply(
            report, CompetencyArea, existing_areas.get(code), {"framework": framework, "code": code}, values
        )
        for code, values in plan.areas.items()
    }
    existing = {
        competency.code: competency
        for competency in Competency.objects.filter(area__framework=framework).select_related("area")
    }
    for code, values in plan.competencies.items():
        values = {
            "area": areas[values["area_code"]],
            "name": values["name"],
            "name_fr": values["name_fr"],
            "source": values["source"],
            "position": values["position"],
            "is_retired": False,
        }
        competency = existing.pop(code, None)
        if competency is None:
            _save(report, Competency(code=code, **values), "created")
        else:
            _apply(report, Competency, competency, {}, values)
    for competency in existing.values():  # no longer in the file: retired, never deleted
        if competency.is_retired:
            report.record(Competency, "unchanged")
        else:
            competency.is_retired = True
            _save(report, competency, "updated")
