"""The WCO PICARD Professional Standards as shipped data: loaded with both levels, their areas and
competencies in English and French, each citing its source; a second run changes nothing; a row
removed from the file retires its competency; a bad file is refused, naming the line, and writes
nothing."""

import csv
from pathlib import Path

import pytest

from network.reference import LoadReport, ReferenceDataError
from training.models import Competency, CompetencyArea, CompetencyFramework, Module
from training.reference import FILE, competencies_load

pytestmark = pytest.mark.django_db


def rows() -> list[dict[str, str]]:
    with FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, table: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows()[0]))
        writer.writeheader()
        writer.writerows(table)
    return path


def counts() -> tuple[int, int, int]:
    return CompetencyFramework.objects.count(), CompetencyArea.objects.count(), Competency.objects.count()


def test_the_shipped_standards_load_with_both_levels_in_english_and_french():
    report = LoadReport()
    changed = competencies_load(report=report)
    framework = CompetencyFramework.objects.get(code="wco-ps-2019")
    assert framework.name == "WCO PICARD Professional Standards (2019)"
    assert framework.name_fr and "2019" in framework.source and framework.member is None
    areas = CompetencyArea.objects.filter(framework=framework)
    assert set(areas.values_list("level", flat=True)) == {"operational", "strategic"}
    assert 10 <= areas.count() <= 14
    competencies = Competency.objects.filter(area__framework=framework).select_related("area")
    assert 40 <= competencies.count() <= 60
    assert changed == 1 + areas.count() + competencies.count()
    for competency in competencies:
        assert competency.code.startswith(f"{competency.area.code}.")
        assert competency.name and competency.name_fr and "Professional Standards 2019" in competency.source
        assert not competency.is_retired
    assert all(area.name_fr for area in areas)
    assert competencies.get(code="OP.2.1").name == "Tariff classification under the Harmonized System"
    assert sum(report.created.values()) == changed


def test_a_second_run_changes_nothing():
    competencies_load()
    stamps = list(Competency.objects.order_by("pk").values_list("pk", "updated_at"))
    report = LoadReport()
    assert competencies_load(report=report) == 0
    assert report.changed == 0 and sum(report.unchanged.values()) == len(rows()) + 1
    assert list(Competency.objects.order_by("pk").values_list("pk", "updated_at")) == stamps


def test_a_competency_removed_from_the_file_is_retired_not_deleted(tmp_path, offered_product):
    competencies_load()
    dropped = Competency.objects.get(code="OP.3.2")
    module = Module.objects.filter(product=offered_product).first()
    module.competencies.add(dropped)
    shorter = write(tmp_path / "standards.csv", [row for row in rows() if row["code"] != "OP.3.2"])
    report = LoadReport()
    assert competencies_load(path=shorter, report=report) == 1
    dropped.refresh_from_db()
    assert dropped.is_retired
    assert list(module.competencies.all()) == [dropped]  # the mapping made while it was current stays
    assert competencies_load(path=shorter) == 0  # retired once
    assert competencies_load() == 1  # back in the file: current again
    dropped.refresh_from_db()
    assert not dropped.is_retired


def test_a_changed_name_is_updated_in_place(tmp_path):
    competencies_load()
    table = rows()
    for row in table:
        if row["code"] == "ST.2.1":
            row["name_fr"] = "Diriger des équipes"
    report = LoadReport()
    assert competencies_load(path=write(tmp_path / "standards.csv", table), report=report) == 1
    assert Competency.objects.get(code="ST.2.1").name_fr == "Diriger des équipes"
    assert sum(report.updated.values()) == 1


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda table: table[2].update(area_code="OP.9"), "line 4: unknown area 'OP.9' in wco-ps-2019"),
        (
            lambda table: table[3].update(code=table[2]["code"]),
            "line 5: code OP.1.2 appears twice in wco-ps-2019",
        ),
        (lambda table: table[1].update(name=""), "line 3: name is required"),
        (
            lambda table: table[0].update(kind="chapter"),
            "line 2: kind 'chapter' is neither area nor competency",
        ),
        (lambda table: table[1].update(level="tactical"), "line 3: level 'tactical' is neither"),
        (
            lambda table: table[1].update(level="strategic"),
            "line 3: level strategic differs from the operational",
        ),
        (lambda table: table[1].update(position="first"), "line 3: position 'first' is not a whole number"),
        (lambda table: table[5].update(framework_name="Other"), "line 7: framework wco-ps-2019 is named"),
    ],
    ids=[
        "unknown area",
        "duplicate code",
        "missing name",
        "kind",
        "level",
        "level of area",
        "position",
        "name",
    ],
)
def test_a_bad_file_is_refused_with_the_line_and_writes_nothing(tmp_path, change, message):
    table = rows()
    change(table)
    with pytest.raises(ReferenceDataError) as refused:
        competencies_load(path=write(tmp_path / "standards.csv", table))
    assert str(refused.value).startswith(f"standards.csv, {message}")
    assert counts() == (0, 0, 0)


def test_a_bad_file_leaves_a_loaded_framework_as_it_was(tmp_path):
    competencies_load()
    before = counts(), list(Competency.objects.order_by("pk").values_list("code", "name", "is_retired"))
    table = [row for row in rows() if row["code"] != "OP.1.1"]  # would retire OP.1.1...
    table[-1]["name"] = ""  # ...but the last row is bad
    with pytest.raises(ReferenceDataError, match="name is required"):
        competencies_load(path=write(tmp_path / "standards.csv", table))
    assert (
        counts(),
        list(Competency.objects.order_by("pk").values_list("code", "name", "is_retired")),
    ) == before


def test_a_file_without_the_columns_is_refused(tmp_path):
    path = tmp_path / "standards.csv"
    path.write_text("code,name\nOP.1,Procedures\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="line 1: missing columns: area_code"):
        competencies_load(path=path)
    assert counts() == (0, 0, 0)
