"""Loading the PICARD conferences of 2006-2022 from the reference folder (`picard_conferences.csv`),
as `manage.py load_reference` does for the registry: every row is read and checked before anything
is written, each row keeps its sources, confidence and notes, and a second run changes nothing."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from conferences.models import Conference, ConferenceKind
from network.reference import LoadReport, Row, parse_year, read_csv, sourced, upsert

FILE = "picard_conferences.csv"
COLUMNS = {
    "number",
    "year",
    "dates",
    "city",
    "country",
    "format",
    "host_or_coorganiser",
    "theme_or_focus",
    "source_ids",
    "confidence",
    "notes",
}
MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
# "1-3 March 2006", "30 September-2 October 2010", "9 December 2021"
DATES = re.compile(
    r"^(?P<d1>\d{1,2})(?:\s+(?P<m1>[A-Za-z]+))?(?:\s*[-–]\s*(?P<d2>\d{1,2})(?:\s+(?P<m2>[A-Za-z]+))?)?\s+(?P<y>\d{4})$"
)


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def parse_dates(row: Row) -> tuple[datetime.date | None, datetime.date | None]:
    """The first and last day of a published range; (None, None) when the row has no dates."""
    text = row["dates"]
    if not text:
        return None, None
    match = DATES.match(text)
    month_name = match and (match["m2"] or match["m1"])
    if not match or not month_name or month_name.lower() not in MONTHS:
        raise row.fail(f"dates {text!r} are not like “1-3 March 2006”")
    year = int(match["y"])
    end_month = MONTHS[month_name.lower()]
    start_month = MONTHS.get((match["m1"] or month_name).lower(), end_month)
    try:
        start = datetime.date(year, start_month, int(match["d1"]))
        end = datetime.date(year, end_month, int(match["d2"] or match["d1"]))
    except ValueError as error:
        raise row.fail(f"dates {text!r}: {error}") from None
    if end < start:
        raise row.fail(f"dates {text!r} end before they start")
    return start, end


def parse_number(row: Row) -> int:
    value = row["number"]
    if not value.isdigit() or not 0 < int(value) < 1000:
        raise row.fail(f"number {value!r} is not an edition number")
    return int(value)


def plan_conferences(directory: Path) -> dict[int, dict]:
    planned = {}
    for row in read_csv(directory / FILE, COLUMNS):
        number = parse_number(row)
        year = parse_year(row, "year")
        if year is None:
            raise row.fail("year is required")
        if number in planned:
            raise row.fail(f"edition {number} appears twice")
        starts_on, ends_on = parse_dates(row)
        if starts_on and starts_on.year != year:
            raise row.fail(f"dates {row['dates']!r} are not in {year}")
        place = row["city"] or row["format"]
        planned[number] = {
            "title": f"{ordinal(number)} PICARD Conference, {place} {year}",
            "year": year,
            "dates": row["dates"],
            "starts_on": starts_on,
            "ends_on": ends_on,
            "city": row["city"],
            "country": row["country"],
            "format": row["format"],
            "host": row["host_or_coorganiser"][:300],
            "theme": row["theme_or_focus"],
            **sourced(row),
        }
    return planned


def conferences_load(*, directory: Path | str, report: LoadReport) -> LoadReport:
    """Load the PICARD editions from `directory` (skipped when the folder has no such file). The
    caller holds the transaction, so a bad row leaves the registry untouched too."""
    directory = Path(directory)
    if not (directory / FILE).is_file():
        return report
    for number, values in plan_conferences(directory).items():
        upsert(report, Conference, {"kind": ConferenceKind.PICARD, "number": number}, values)
    return report
