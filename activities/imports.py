"""Importing activities and nominations from CSV or XLSX: preview every row's errors, then save all
rows or none.

`import_preview` reads and checks the file and keeps the result as an ImportBatch; nothing else is
written. `import_commit` checks the rows again (the data may have changed since) and saves them in one
transaction, or raises with the errors and saves nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities import services
from activities.models import Activity, ActivityKind, DeliveryMode, ImportBatch, Nomination, ParticipationRole
from core.permissions import Action, can, can_add_any
from core.safe_zip import ZipLimits, ZipRefused
from core.uploads import safe_filename
from core.xlsx import XlsxError, xlsx_cells
from funding.currencies import currency_codes
from network.models import Member, Office
from people.models import Gender
from people.services import name_key, person_find_match, person_get_or_create
from topics.models import Topic

MAX_BYTES = 5 * 1024 * 1024
MONEY_DIGITS, MONEY_DECIMALS = 14, 2  # as funding.models.money_field
MAX_ROWS = 5000
NOMINATION_COLUMNS = {
    "required": ["first_name", "last_name", "member"],
    "optional": ["email", "gender", "role", "job_title"],
}
ACTIVITY_COLUMNS = {
    "required": ["title", "kind", "lead_office", "start_date", "end_date"],
    "optional": [
        "topics",
        "host_member",
        "beneficiary_members",
        "venue",
        "city",
        "delivery_mode",
        "languages",
        "budget_amount",
        "budget_currency",
        "objectives",
        "expected_results",
    ],
}


@dataclass(frozen=True)
class ImportKind:
    """Another app's import on the same preview → confirm → all-or-nothing flow (expert rosters):
    how its rows are checked and saved, who may upload, and where a finished import leads."""

    check: Callable  # (rows, batch) -> (clean rows, errors)
    save: Callable  # (user, batch, row) -> None
    may_upload: Callable  # (user) -> bool
    done_url: Callable  # (batch) -> str
    denied: str
    # (user=, batch=) -> Job: a kind whose files run long confirms them as a job, not in the request.
    enqueue: Callable | None = None


IMPORT_KINDS: dict[str, ImportKind] = {}


def register_import_kind(kind: str, spec: ImportKind) -> None:
    IMPORT_KINDS[kind] = spec


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


# --- reading files -------------------------------------------------------------------------------


def read_table(
    name: str,
    content: bytes,
    *,
    max_bytes: int | None = None,
    max_rows: int | None = None,
    xlsx_limits=None,
    max_strings: int | None = None,
) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as {column: text}, with lower-case, stripped column names.

    A file that would lose data on the way in is refused with the cell that causes it: a heading
    that appears twice, a value under no heading, a formula or an error value."""
    # Another kind's import may be longer (an LMS export): its limits, the same refusals.
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    max_rows = MAX_ROWS if max_rows is None else max_rows
    if len(content) > max_bytes:
        raise ImportFileError(
            _("The file is larger than %(limit)d MB.") % {"limit": max_bytes // 1024 // 1024}
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    looks_like_zip = content[:4] == b"PK\x03\x04"
    if extension == "xlsx":
        if not looks_like_zip:
            raise ImportFileError(_("The file is named .xlsx but is not an Excel workbook."))
        table = _xlsx_rows(content, limits=xlsx_limits or XLSX_LIMITS, max_strings=max_strings)
    elif extension == "csv":
        if looks_like_zip:
            raise ImportFileError(
                _("The file is named .csv but looks like an Excel workbook; name it .xlsx.")
            )
        table = _csv_rows(content)
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    try:
        header_row = next(table, None)
        if header_row is None or not any(value for _column, value in header_row):
            raise ImportFileError(_("The file is empty."))
        header = _header(header_row)
        rows = []
        for number, cells in enumerate(table, start=2):
            row = dict.fromkeys(header.values(), "")
            for column, value in cells:
                if column not in header:
                    if value:
                        raise ImportFileError(
                            _("Row %(row)d, column %(column)s has a value but the column has no heading.")
                            % {"row": number, "column": _letter(column)}
                        )
                    continue
                row[header[column]] = value
            if any(row.values()):
                rows.append(row)
                if len(rows) > max_rows:
                    raise ImportFileError(_("The file has more than %(limit)d rows.") % {"limit": max_rows})
    finally:
        table.close()
    return rows


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column + 1)


def _header(cells) -> dict[int, str]:
    """{column index: heading}; the same heading twice would drop one of the two columns' values."""
    header, seen = {}, {}
    for column, value in cells:
        heading = str(value or "").strip().lower().replace(" ", "_")
        if not heading:
            continue
        if heading in seen:
            raise ImportFileError(
                _("The column “%(heading)s” appears twice (columns %(first)s and %(second)s); keep one.")
                % {"heading": heading, "first": _letter(seen[heading]), "second": _letter(column)}
            )
        seen[heading], header[column] = column, heading
    return header


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _csv_rows(content: bytes) -> Iterator[list[tuple[int, str]]]:
    """Each row as (column index, text) pairs."""
    if b"\x00" in content:
        raise ImportFileError(_("The file is not a text CSV file."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("The CSV file is not UTF-8 text; save it as CSV UTF-8.")) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        raise ImportFileError(_("The CSV file is malformed: %(error)s.") % {"error": error}) from None
    return (
        list(enumerate(cell.strip() for cell in row)) for row in rows if any(cell.strip() for cell in row)
    )


# An import workbook is a few megabytes of XML at most; anything that expands further is refused.
XLSX_LIMITS = ZipLimits(max_unpacked=40 * 1024 * 1024, max_ratio=100, ratio_floor=5 * 1024 * 1024)
MAX_COLUMNS = 100


def _xlsx_rows(
    content: bytes, *, limits=None, max_strings: int | None = None
) -> Iterator[list[tuple[int, str]]]:
    """Each row as (column index, text) pairs, streamed: reading stops when the caller has enough."""
    try:
        for cells in xlsx_cells(
            content,
            limits=limits or XLSX_LIMITS,
            max_columns=MAX_COLUMNS,
            max_strings=max_strings or MAX_ROWS * MAX_COLUMNS,
        ):
            row = []
            for cell in cells:
                if cell.kind == "f":
                    raise ImportFileError(
                        _(
                            "Row %(row)d, column %(column)s (cell %(cell)s) holds a formula (%(formula)s); "
                            "formulas are not imported. Replace it with its value and upload again."
                        )
                        % {
                            "row": cell.row,
                            "column": _letter(cell.column - 1),
                            "cell": cell.reference,
                            "formula": str(cell.value)[:40],
                        }
                    )
                if cell.kind == "e":
                    raise ImportFileError(
                        _("Row %(row)d, column %(column)s (cell %(cell)s) holds the error value %(value)s.")
                        % {
                            "row": cell.row,
                            "column": _letter(cell.column - 1),
                            "cell": cell.reference,
                            "value": str(cell.value)[:20],
                        }
                    )
                text = _text(cell.value)
                if text:
                    row.append((cell.column - 1, text))
            if row:
                yield row
    except (XlsxError, ZipRefused) as error:
        raise ImportFileError(str(error)) from None


# --- checking rows -------------------------------------------------------------------------------


class RowChecker:
    """Collects (row, column, reason) errors while turning text cells into values."""

    def __init__(self):
        self.errors: list[dict] = []
        self._members = {}
        for member in Member.objects.only("pk", "name", "iso_alpha2", "iso_alpha3"):
            for key in (member.iso_alpha2, member.iso_alpha3, member.name):
                if key:
                    self._members[key.casefold()] = member

    def fail(self, row: int, column: str, reason: str) -> None:
        self.errors.append({"row": row, "column": column, "reason": str(reason)})

    def missing_columns(self, rows: list[dict], spec: dict) -> bool:
        """Whether the heading lacks a required column or has one the import does not know (its values
        would be dropped without a word: a misspelt "emial" column would lose every address)."""
        present = list(rows[0]) if rows else []
        missing = [column for column in spec["required"] if column not in present]
        if missing:
            self.fail(1, ", ".join(missing), _("Required column missing."))
        unknown = [column for column in present if column not in spec["required"] + spec["optional"]]
        if unknown:
            self.fail(
                1,
                ", ".join(unknown),
                _("Unknown column; the columns are: %(columns)s.")
                % {"columns": ", ".join(spec["required"] + spec["optional"])},
            )
        return bool(missing or unknown)

    def person(self, row: int, *, user, first: str, last: str, email: str, member, seen: dict):
        """The person a row names, matched inside the user's scope (None: a new person). A row that
        names the same person as an earlier one is refused; so is an email outside the scope, with a
        message that names nobody."""
        key = email or f"{member.pk if member else ''}:{name_key(first, last)}"
        if key in seen:
            self.fail(
                row, "email" if email else "last_name", _("Same person as row %(row)d.") % {"row": seen[key]}
            )
        seen[key] = row
        if not (first and last and member):
            return None
        try:
            return person_find_match(user=user, first_name=first, last_name=last, email=email, member=member)
        except ValidationError as error:
            self.fail(row, "email", " ".join(error.messages))
            return None

    def member(self, row: int, column: str, value: str, *, required: bool = True) -> Member | None:
        if not value:
            if required:
                self.fail(row, column, _("Required."))
            return None
        member = self._members.get(value.casefold())
        if member is None:
            self.fail(row, column, _("Unknown member administration “%(value)s”.") % {"value": value})
        return member

    def choice(self, row: int, column: str, value: str, choices, default: str = "") -> str:
        if not value:
            return default
        by_value = {key: key for key in choices.values} | {
            str(label).casefold(): key for key, label in choices.choices
        }
        found = by_value.get(value) or by_value.get(value.casefold())
        if not found:
            self.fail(
                row,
                column,
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(choices.values)},
            )
        return found or default

    def date(self, row: int, column: str, value: str) -> datetime.date | None:
        if not value:
            self.fail(row, column, _("Required."))
            return None
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            self.fail(row, column, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value})
            return None

    def amount(self, row: int, column: str, value: str) -> Decimal | None:
        if not value:
            return None
        try:
            amount = Decimal(value.replace(",", ""))
        except InvalidOperation:
            amount = None
        # NaN and infinity parse as decimals but are no amount; nor is more than the field can hold.
        if amount is None or not amount.is_finite():
            self.fail(row, column, _("“%(value)s” is not an amount.") % {"value": value[:40]})
            return None
        if amount < 0:
            self.fail(row, column, _("An amount cannot be negative."))
            return None
        if amount >= Decimal(10) ** (MONEY_DIGITS - MONEY_DECIMALS):
            self.fail(row, column, _("“%(value)s” is too large an amount.") % {"value": value[:40]})
            return None
        if amount.as_tuple().exponent < -MONEY_DECIMALS and amount != amount.quantize(Decimal("0.01")):
            self.fail(row, column, _("Give an amount with at most two decimals."))
            return None
        return amount


def check_nomination_rows(rows: list[dict], activity: Activity, user) -> tuple[list[dict], list[dict]]:
    checker, clean, seen = RowChecker(), [], {}
    if checker.missing_columns(rows, NOMINATION_COLUMNS):
        return [], checker.errors
    for number, row in enumerate(rows, start=2):
        first, last, email = row.get("first_name", ""), row.get("last_name", ""), row.get("email", "").lower()
        for column, value in (("first_name", first), ("last_name", last)):
            if not value:
                checker.fail(number, column, _("Required."))
        member = checker.member(number, "member", row.get("member", ""))
        if email and "@" not in email:
            checker.fail(number, "email", _("“%(value)s” is not an email address.") % {"value": email})
        gender = checker.choice(number, "gender", row.get("gender", ""), Gender, Gender.UNDISCLOSED)
        role = checker.choice(
            number, "role", row.get("role", ""), ParticipationRole, ParticipationRole.PARTICIPANT
        )
        existing = checker.person(
            number, user=user, first=first, last=last, email=email, member=member, seen=seen
        )
        if existing:
            if Nomination.objects.filter(activity=activity, person=existing).exists():
                checker.fail(
                    number,
                    "last_name",
                    _("%(person)s is already nominated to this activity.") % {"person": existing},
                )
        clean.append(
            {
                "row": number,
                "first_name": first,
                "last_name": last,
                "email": email,
                "member": member.pk if member else None,
                "gender": gender,
                "role": role,
                "job_title": row.get("job_title", ""),
            }
        )
    return clean, checker.errors


def check_activity_rows(rows: list[dict], user) -> tuple[list[dict], list[dict]]:
    checker, clean = RowChecker(), []
    if checker.missing_columns(rows, ACTIVITY_COLUMNS):
        return [], checker.errors
    offices = {office.code: office for office in Office.objects.only("pk", "code", "region_id", "kind")}
    topics = dict(Topic.objects.values_list("slug", "pk"))
    for number, row in enumerate(rows, start=2):
        if not row.get("title"):
            checker.fail(number, "title", _("Required."))
        kind = checker.choice(number, "kind", row.get("kind", ""), ActivityKind)
        if not row.get("kind"):
            checker.fail(number, "kind", _("Required."))
        office = offices.get(row.get("lead_office", ""))
        if office is None:
            checker.fail(
                number,
                "lead_office",
                _("Unknown office code “%(value)s”.") % {"value": row.get("lead_office", "")},
            )
        start = checker.date(number, "start_date", row.get("start_date", ""))
        end = checker.date(number, "end_date", row.get("end_date", ""))
        if start and end and end < start:
            checker.fail(number, "end_date", _("The end date is before the start date."))
        topic_ids = []
        for slug in filter(
            None, (part.strip() for part in row.get("topics", "").replace(",", ";").split(";"))
        ):
            if slug not in topics:
                checker.fail(number, "topics", _("Unknown topic “%(value)s”.") % {"value": slug})
            else:
                topic_ids.append(topics[slug])
        host = checker.member(number, "host_member", row.get("host_member", ""), required=False)
        beneficiaries = [
            checker.member(number, "beneficiary_members", value.strip())
            for value in row.get("beneficiary_members", "").split(";")
            if value.strip()
        ]
        budget = checker.amount(number, "budget_amount", row.get("budget_amount", ""))
        currency = row.get("budget_currency", "").upper()
        if budget is not None and not currency:
            checker.fail(number, "budget_currency", _("Give the currency of the budget."))
        if currency and currency not in currency_codes():
            checker.fail(number, "budget_currency", _("Use a three-letter ISO 4217 code, e.g. EUR."))
        mode = checker.choice(
            number, "delivery_mode", row.get("delivery_mode", ""), DeliveryMode, DeliveryMode.IN_PERSON
        )
        if office is not None:
            probe = Activity(lead_office=office, region_id=office.region_id)
            if not can(user, Action.ADD, probe):
                checker.fail(
                    number,
                    "lead_office",
                    _("You may not add activities for %(office)s.") % {"office": office},
                )
        clean.append(
            {
                "row": number,
                "title": row.get("title", ""),
                "kind": kind,
                "lead_office": office.pk if office else None,
                "start_date": start.isoformat() if start else None,
                "end_date": end.isoformat() if end else None,
                "topics": topic_ids,
                "host_member": host.pk if host else None,
                "beneficiary_members": [member.pk for member in beneficiaries if member],
                "venue": row.get("venue", ""),
                "city": row.get("city", ""),
                "delivery_mode": mode,
                "languages": row.get("languages", "").replace(";", ","),
                "budget_amount": str(budget) if budget is not None else None,
                "budget_currency": currency,
                "objectives": row.get("objectives", ""),
                "expected_results": row.get("expected_results", ""),
            }
        )
    return clean, checker.errors


# --- preview and commit --------------------------------------------------------------------------


def _check(batch: ImportBatch, rows: list[dict]) -> tuple[list[dict], list[dict]]:
    if batch.kind in IMPORT_KINDS:
        return IMPORT_KINDS[batch.kind].check(rows, batch)
    if batch.kind == ImportBatch.Kind.NOMINATIONS:
        return check_nomination_rows(rows, batch.activity, batch.uploaded_by)
    return check_activity_rows(rows, batch.uploaded_by)


def import_may_upload(user, *, kind: str, activity: Activity | None = None) -> bool:
    """Whether the user may import anything of this kind at all: checked before a file is read, so
    nobody without the right makes the server parse their upload. Each row is checked again."""
    if not (user.is_authenticated and user.is_active):
        return False
    if kind in IMPORT_KINDS:
        return IMPORT_KINDS[kind].may_upload(user)
    if kind == ImportBatch.Kind.NOMINATIONS:
        return activity is not None and (
            can(user, Action.CHANGE, activity) or (bool(user.member_id) and can_add_any(user, Nomination))
        )
    return can_add_any(user, Activity)


@transaction.atomic
def import_preview(
    *, user, kind: str, name: str, content: bytes, activity: Activity | None = None
) -> ImportBatch:
    """Read and check an uploaded file; keep the rows and errors for the user to review."""
    if kind == ImportBatch.Kind.NOMINATIONS and activity is None:
        raise ValidationError(_("Choose the activity the nominations are for."))
    if not import_may_upload(user, kind=kind, activity=activity):
        if kind in IMPORT_KINDS:
            raise ValidationError(str(IMPORT_KINDS[kind].denied))
        raise ValidationError(
            _("You may not import nominations for this activity.")
            if kind == ImportBatch.Kind.NOMINATIONS
            else _("You may not add activities.")
        )
    batch = ImportBatch(
        kind=kind, activity=activity, uploaded_by=user, filename=safe_filename(name, max_bytes=255)
    )
    try:
        raw = read_table(name, content)
    except ImportFileError as error:
        batch.errors = [{"row": 0, "column": "", "reason": str(error)}]
        raw = []
    if raw:
        batch.rows, batch.errors = _check(batch, raw)
    elif not batch.errors:
        batch.errors = [{"row": 0, "column": "", "reason": _("The file has no data rows.")}]
    batch.save()
    return batch


@transaction.atomic
def import_commit(*, user, batch: ImportBatch) -> int:
    """Save every row of a clean batch, or nothing. Returns the number of rows saved."""
    if batch.uploaded_by_id != user.pk:
        raise ValidationError(_("Only the person who uploaded the file can import it."))
    if batch.imported_at:
        raise ValidationError(_("This file was already imported."))
    if batch.errors:
        raise ValidationError(_("Correct the errors in the file and upload it again; nothing was saved."))
    if batch.kind in IMPORT_KINDS:
        saver = IMPORT_KINDS[batch.kind].save
    else:
        saver = _save_nomination if batch.kind == ImportBatch.Kind.NOMINATIONS else _save_activity
    try:
        for row in batch.rows:
            saver(user, batch, row)
    except ValidationError as error:
        raise ValidationError(
            _("Row %(row)d: %(reason)s Nothing was saved.")
            % {"row": row["row"], "reason": " ".join(error.messages)}
        ) from None
    batch.imported_at = timezone.now()
    batch.save(update_fields=["imported_at", "updated_at"])
    return len(batch.rows)


def _save_nomination(user, batch: ImportBatch, row: dict) -> None:
    member = Member.objects.get(pk=row["member"])
    person, _created = person_get_or_create(
        user=user,
        first_name=row["first_name"],
        last_name=row["last_name"],
        email=row["email"],
        member=member,
        gender=row["gender"],
        job_title=row["job_title"],
    )
    nomination = services.nomination_create(user=user, activity=batch.activity, person=person, member=member)
    # The organisers' own imports need no second decision: the people are accepted and take part.
    if can(user, Action.CHANGE, nomination):
        services.nomination_decide(user=user, nomination=nomination, accept=True)
        if row["role"] != ParticipationRole.PARTICIPANT:
            nomination.activity.participations.filter(person=person).update(role=row["role"])


def _save_activity(user, batch: ImportBatch, row: dict) -> None:
    data = {key: value for key, value in row.items() if key != "row"}
    data["lead_office"] = Office.objects.get(pk=data["lead_office"])
    data["host_member"] = Member.objects.filter(pk=data["host_member"]).first()
    data["topics"] = list(Topic.objects.filter(pk__in=data["topics"]))
    data["beneficiary_members"] = list(Member.objects.filter(pk__in=data["beneficiary_members"]))
    for key in ("start_date", "end_date"):
        data[key] = datetime.date.fromisoformat(data[key])
    data["budget_amount"] = Decimal(data["budget_amount"]) if data["budget_amount"] else None
    services.activity_create(user=user, data=data)
