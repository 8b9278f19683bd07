"""Loading the sourced reference data into the registry: `reference_load(directory=...)`.

The load runs in two passes. The first reads and checks every row of every file and stops at the
first malformed one, naming the file, the line and the reason. Only when everything parses does
the second pass write, in one transaction, creating new rows and updating changed ones by their
natural key (region code, ISO alpha-2, office code). Unchanged rows are not saved again, so a second
run changes nothing and adds nothing to the history.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction
from django.utils.text import slugify

from core.models import Confidence
from network.geo import country_centre
from network.models import (
    Committee,
    CommitteeMembership,
    CoordinatePrecision,
    Member,
    Office,
    OfficeKind,
    OfficeLocation,
    Region,
    Source,
)

SHIPPED_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_REFERENCE_DIR = SHIPPED_DIR / "reference"


class ReferenceDataError(Exception):
    """A row that cannot be loaded; nothing is written when one is found."""

    def __init__(self, file: str, line: int, reason: str):
        super().__init__(f"{file}, line {line}: {reason}")
        self.file, self.line, self.reason = file, line, reason


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def record(self, model: type[models.Model], outcome: str) -> None:
        getattr(self, outcome)[model._meta.verbose_name_plural] += 1

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    def summary(self) -> str:
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return "\n".join(
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, "
            f"{self.unchanged[name]} unchanged"
            for name in names
        )


# --- reading -------------------------------------------------------------------------------------


@dataclass
class Row:
    file: str
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def fail(self, reason: str) -> ReferenceDataError:
        return ReferenceDataError(self.file, self.line, reason)


def read_csv(path: Path, required_columns: set[str]) -> list[Row]:
    if not path.is_file():
        raise ReferenceDataError(path.name, 0, "file not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReferenceDataError(path.name, 0, f"not UTF-8 text ({error.reason})") from None
    reader = csv.DictReader(text.splitlines(keepends=True), strict=True)
    missing = required_columns - set(reader.fieldnames or [])
    if missing:
        raise ReferenceDataError(path.name, 1, f"missing columns: {', '.join(sorted(missing))}")
    rows, start = [], 2
    try:
        for values in reader:
            if None in values:
                raise ReferenceDataError(path.name, start, "more values than columns")
            rows.append(Row(path.name, start, values))
            start = reader.line_num + 1
    except csv.Error as error:
        raise ReferenceDataError(path.name, start, f"malformed CSV ({error})") from None
    return rows


def parse_confidence(row: Row) -> str:
    value = row["confidence"] or Confidence.UNSOURCED
    if value not in Confidence.values:
        raise row.fail(f"confidence {value!r} is not one of {', '.join(Confidence.values)}")
    return value


def parse_year(row: Row, column: str) -> int | None:
    value = row[column]
    if not value:
        return None
    match = re.search(r"\b(1[89]\d\d|20\d\d)\b", value)
    if not match:
        raise row.fail(f"{column} {value!r} has no year")
    return int(match.group(1))


def parse_joined(row: Row) -> tuple[datetime.date | None, int | None]:
    value = row["date_joined"]
    if not value:
        return None, None
    if re.fullmatch(r"\d{4}", value):
        return None, int(value)
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise row.fail(f"date_joined {value!r} is not a year or a YYYY-MM-DD date") from None
    return day, day.year


def parse_bool(row: Row, column: str) -> bool:
    value = row[column].lower()
    if value not in {"true", "false", ""}:
        raise row.fail(f"{column} {value!r} is not true or false")
    return value == "true"


def parse_float(row: Row, column: str, limit: float) -> float:
    try:
        value = float(row[column])
    except ValueError:
        raise row.fail(f"{column} {row[column]!r} is not a number") from None
    if not -limit <= value <= limit:
        raise row.fail(f"{column} {value} is outside ±{limit}")
    return value


def sourced(row: Row) -> dict:
    return {"source_ids": row["source_ids"], "confidence": parse_confidence(row), "notes": row["notes"]}


def normalised(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


@dataclass
class Plan:
    """Every row to write, keyed by natural key, once all files have parsed."""

    regions: dict[str, dict] = field(default_factory=dict)
    members: dict[str, dict] = field(default_factory=dict)
    offices: dict[str, dict] = field(default_factory=dict)
    locations: dict[tuple[str, str], dict] = field(default_factory=dict)
    committees: dict[str, dict] = field(default_factory=dict)
    sources: dict[str, dict] = field(default_factory=dict)


def plan_regions(plan: Plan, directory: Path) -> None:
    columns = {"code", "name", "rocb_city", "rocb_country", "rocb_established", "source_ids", "confidence"}
    for row in read_csv(directory / "regions.csv", columns):
        code = row["code"]
        if not code or not row["name"]:
            raise row.fail("code and name are required")
        if code in plan.regions:
            raise row.fail(f"region {code!r} appears twice")
        plan.regions[code] = {
            "slug": slugify(code),
            "name": row["name"],
            "official_long_name": row["official_long_name"],
            "member_count_sourced": row["member_count_sourced"],
            "recent_vice_chairs": row["recent_vice_chair_sourced"],
            **sourced(row),
            "_rocb": row,
        }


def plan_members(plan: Plan, directory: Path) -> None:
    columns = {
        "iso_alpha2",
        "iso_alpha3",
        "member_name",
        "wco_region",
        "date_joined",
        "source_ids",
        "confidence",
    }
    for row in read_csv(directory / "members.csv", columns):
        alpha2, alpha3 = row["iso_alpha2"].upper(), row["iso_alpha3"].upper()
        if not re.fullmatch(r"[A-Z]{2}", alpha2):
            raise row.fail(f"iso_alpha2 {row['iso_alpha2']!r} is not two letters")
        if alpha3 and not re.fullmatch(r"[A-Z]{3}", alpha3):
            raise row.fail(f"iso_alpha3 {row['iso_alpha3']!r} is not three letters")
        if alpha2 in plan.members:
            raise row.fail(f"member {alpha2} appears twice")
        if row["wco_region"] not in plan.regions:
            raise row.fail(f"region {row['wco_region']!r} is not in regions.csv")
        if not row["member_name"]:
            raise row.fail("member_name is required")
        joined_on, joined_year = parse_joined(row)
        plan.members[alpha2] = {
            "iso_alpha3": alpha3,
            "name": row["member_name"],
            "_region": row["wco_region"],
            "joined_on": joined_on,
            "joined_year": joined_year,
            **sourced(row),
        }


def host_member(plan: Plan, row: Row, country: str) -> str | None:
    if not country:
        return None
    wanted = normalised(country)
    for alpha2, member in plan.members.items():
        if normalised(member["name"]) == wanted:
            return alpha2
    raise row.fail(f"host country {country!r} is not a member in members.csv")


def add_office(plan: Plan, row: Row, code: str, fields: dict) -> None:
    if code in plan.offices:
        raise row.fail(f"office {code!r} appears twice")
    plan.offices[code] = fields


def plan_rocbs(plan: Plan) -> None:
    for code, region in plan.regions.items():
        row = region["_rocb"]
        add_office(
            plan,
            row,
            f"rocb-{region['slug']}",
            {
                "kind": OfficeKind.ROCB,
                "name": f"ROCB {region['name']}",
                "_region": code,
                "_host": host_member(plan, row, row["rocb_country"]),
                "institution": row["rocb_host_administration"],
                "city": row["rocb_city"],
                "country": row["rocb_country"],
                "year_established": parse_year(row, "rocb_established"),
                "established_detail": row["rocb_established"],
                "location_history": row["rocb_location_history"],
                "source_ids": region["source_ids"],
                "confidence": region["confidence"],
                "notes": "",
            },
        )


def plan_rtcs(plan: Plan, directory: Path) -> None:
    columns = {
        "region",
        "host_country",
        "host_administration_or_institution",
        "city",
        "year_established",
        "source_ids",
        "confidence",
    }
    for row in read_csv(directory / "rtcs.csv", columns):
        if row["region"] not in plan.regions:
            raise row.fail(f"region {row['region']!r} is not in regions.csv")
        if not row["host_country"]:
            raise row.fail("host_country is required")
        add_office(
            plan,
            row,
            f"rtc-{slugify(row['host_country'])}",
            {
                "kind": OfficeKind.RTC,
                "name": f"RTC {row['host_country']}",
                "_region": row["region"],
                "_host": host_member(plan, row, row["host_country"]),
                "institution": row["host_administration_or_institution"],
                "city": row["city"],
                "country": row["host_country"],
                "year_established": parse_year(row, "year_established"),
                "established_detail": row["establishment_detail"],
                "location_history": "",
                **sourced(row),
            },
        )


def plan_extra_offices(plan: Plan) -> None:
    columns = {
        "code",
        "kind",
        "name",
        "region",
        "host_country",
        "city",
        "country",
        "source_ids",
        "confidence",
    }
    for row in read_csv(SHIPPED_DIR / "offices_extra.csv", columns):
        if row["kind"] not in OfficeKind.values:
            raise row.fail(f"kind {row['kind']!r} is not one of {', '.join(OfficeKind.values)}")
        if row["region"] and row["region"] not in plan.regions:
            raise row.fail(f"region {row['region']!r} is not in regions.csv")
        add_office(
            plan,
            row,
            row["code"],
            {
                "kind": row["kind"],
                "name": row["name"],
                "name_fr": row["name_fr"],
                "_region": row["region"] or None,
                "_host": host_member(plan, row, row["host_country"]),
                "institution": row["institution"],
                "city": row["city"],
                "country": row["country"],
                "year_established": parse_year(row, "year_established"),
                "established_detail": row["established_detail"],
                "location_history": "",
                **sourced(row),
            },
        )


def plan_coordinates(plan: Plan) -> None:
    columns = {"code", "latitude", "longitude", "precision"}
    for row in read_csv(SHIPPED_DIR / "office_coordinates.csv", columns):
        if row["code"] not in plan.offices:
            raise row.fail(f"office {row['code']!r} is not in the reference data")
        if row["precision"] not in CoordinatePrecision.values:
            raise row.fail(
                f"precision {row['precision']!r} is not one of {', '.join(CoordinatePrecision.values)}"
            )
        plan.offices[row["code"]].update(
            latitude=parse_float(row, "latitude", 90),
            longitude=parse_float(row, "longitude", 180),
            coordinate_precision=row["precision"],
        )
    for office in plan.offices.values():
        if "latitude" in office:
            continue
        alpha3 = plan.members[office["_host"]]["iso_alpha3"] if office["_host"] else ""
        centre = country_centre(alpha3)
        office.update(
            latitude=centre[0] if centre else None,
            longitude=centre[1] if centre else None,
            coordinate_precision=CoordinatePrecision.COUNTRY if centre else "",
        )


def plan_locations(plan: Plan) -> None:
    for code, office in plan.offices.items():
        if office["city"]:
            plan.locations[(code, office["city"])] = {
                "country": office["country"],
                "since": str(office["year_established"] or ""),
                "until": "",
                "is_current": True,
                "source_ids": office["source_ids"],
                "confidence": office["confidence"],
                "notes": "",
            }
    columns = {"office", "city", "country", "since", "until", "is_current", "source_ids", "confidence"}
    rows = read_csv(SHIPPED_DIR / "office_locations.csv", columns)
    for row in rows:
        if row["office"] not in plan.offices:
            raise row.fail(f"office {row['office']!r} is not in the reference data")
        if parse_bool(row, "is_current"):
            # The sourced history names the current city; the generated row for it is replaced.
            for key in [key for key in plan.locations if key[0] == row["office"]]:
                del plan.locations[key]
    for row in rows:
        plan.locations[(row["office"], row["city"])] = {
            "country": row["country"],
            "since": row["since"],
            "until": row["until"],
            "is_current": parse_bool(row, "is_current"),
            **sourced(row),
        }


def plan_committees(plan: Plan) -> None:
    columns = {"code", "name", "acronym", "relation", "is_virtual", "description", "source_ids", "confidence"}
    for row in read_csv(SHIPPED_DIR / "committees.csv", columns):
        if row["relation"] not in {"advises", "collaborates"}:
            raise row.fail(f"relation {row['relation']!r} is not advises or collaborates")
        plan.committees[row["code"]] = {
            "name": row["name"],
            "acronym": row["acronym"],
            "relation": row["relation"],
            "is_virtual": parse_bool(row, "is_virtual"),
            "description": row["description"],
            **sourced(row),
        }


SOURCE_ROW = re.compile(r"^\|\s*(S_[A-Z0-9_]+)\s*\|\s*(\S*)\s*\|\s*(.*?)\s*\|\s*$")


def plan_sources(plan: Plan, directory: Path) -> None:
    path = directory / "SOURCES.md"
    if not path.is_file():
        return  # optional: without it, source keys show without links
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        match = SOURCE_ROW.match(line)
        if match:
            key, url, description = match.groups()
            plan.sources[key] = {"url": url[:500], "section": section[:120], "description": description}


def plan_french_names(plan: Plan) -> None:
    """French names (and members' capitals) from the project's own tables; offices follow them.

    Convention: the French interface uses the WCO's French acronyms throughout, so "ROCB
    Asia/Pacific" is "BRRC Asie/Pacifique" and "RTC Japan" is "CRF Japon"."""
    for row in read_csv(SHIPPED_DIR / "regions_fr.csv", {"code", "name_fr"}):
        if row["code"] not in plan.regions:
            raise row.fail(f"region {row['code']!r} is not in regions.csv")
        plan.regions[row["code"]]["name_fr"] = row["name_fr"]
    for row in read_csv(SHIPPED_DIR / "members_fr.csv", {"iso_alpha2", "name_fr", "capital"}):
        member = plan.members.get(row["iso_alpha2"])
        if member is None:
            raise row.fail(f"member {row['iso_alpha2']!r} is not in members.csv")
        member["name_fr"], member["capital"] = row["name_fr"], row["capital"]
    for office in plan.offices.values():
        if office.get("name_fr"):
            continue
        region = plan.regions.get(office["_region"] or "", {})
        host = plan.members.get(office["_host"] or "", {})
        if office["kind"] == OfficeKind.ROCB and region.get("name_fr"):
            office["name_fr"] = f"BRRC {region['name_fr']}"
        elif office["kind"] == OfficeKind.RTC and host.get("name_fr"):
            office["name_fr"] = f"CRF {host['name_fr']}"


def build_plan(directory: Path) -> Plan:
    plan = Plan()
    plan_regions(plan, directory)
    plan_members(plan, directory)
    plan_rocbs(plan)
    plan_rtcs(plan, directory)
    plan_extra_offices(plan)
    plan_french_names(plan)
    plan_coordinates(plan)
    plan_locations(plan)
    plan_committees(plan)
    plan_sources(plan, directory)
    return plan


# --- writing -------------------------------------------------------------------------------------


def upsert(report: LoadReport, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
    values = {key: value for key, value in values.items() if not key.startswith("_")}
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        outcome = "created"
    elif any(getattr(instance, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(instance, key, value)
        outcome = "updated"
    else:
        report.record(model, "unchanged")
        return instance
    instance._change_reason = "reference data load"
    instance.full_clean()
    instance.save()
    report.record(model, outcome)
    return instance


def seed_coordination_seats(report: LoadReport, committees: dict, offices: dict) -> None:
    """The ROCB and RTC co-ordination meetings seat every ROCB and every RTC."""
    for code, kind in (
        ("rocb-coordination-meeting", OfficeKind.ROCB),
        ("rtc-coordination-meeting", OfficeKind.RTC),
    ):
        committee = committees.get(code)
        if committee is None:
            continue
        for office in offices.values():
            if office.kind == kind:
                upsert(
                    report,
                    CommitteeMembership,
                    {"committee": committee, "office": office},
                    {"role": "member"},
                )


@transaction.atomic
def write_plan(plan: Plan) -> LoadReport:
    report = LoadReport()
    for key, values in plan.sources.items():
        upsert(report, Source, {"key": key}, values)
    regions = {code: upsert(report, Region, {"code": code}, values) for code, values in plan.regions.items()}
    members = {
        alpha2: upsert(
            report, Member, {"iso_alpha2": alpha2}, {**values, "region": regions[values["_region"]]}
        )
        for alpha2, values in plan.members.items()
    }
    offices = {
        code: upsert(
            report,
            Office,
            {"code": code},
            {
                **values,
                "region": regions.get(values["_region"]),
                "host_member": members.get(values["_host"]),
            },
        )
        for code, values in plan.offices.items()
    }
    for (code, city), values in plan.locations.items():
        upsert(report, OfficeLocation, {"office": offices[code], "city": city}, values)
    committees = {
        code: upsert(report, Committee, {"code": code}, values) for code, values in plan.committees.items()
    }
    seed_coordination_seats(report, committees, offices)
    return report


def reference_load(*, directory: Path | str) -> LoadReport:
    """Load regions, members, offices, committees and sources from `directory`; see the module doc."""
    return write_plan(build_plan(Path(directory)))
