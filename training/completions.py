"""Importing e-learning completions from an LMS export (CSV or XLSX), on the activities' import flow:
the file is read and every row checked into a preview; nothing is saved until the uploader confirms
a clean file, and then every row or none.

Columns: first_name, last_name, member (ISO alpha-2 or alpha-3 code, or name, of the learner's
administration), product (the product's id or its exact English or French title) and status
(enrolled, completed or passed) are required; email, enrolled_on, completed_on (YYYY-MM-DD) and
score (0–100) are optional, but an enrolment needs its enrolled_on and a completion or a pass its
completed_on.

- Who uploads: whoever may add completions (the Secretariat; an RTC coordinator, for the products of
  their centre). Each row's product must be an e-learning module, not retired, whose completions the
  uploader records.
- Each row's learner is matched inside the uploader's scope (`training.elearning.people_in_scope`):
  by email, else by name in the administration. A learner nobody in the scope matches is added as a
  new person when the uploader may add people of that administration (an RTC: of its region);
  otherwise the row is refused. An email held by someone outside the scope is refused without naming
  them. Matched people are never changed.
- A completion already recorded (same person, product and status) is updated, not refused: the
  file's values replace the recorded ones, and an empty cell keeps the recorded value.
- Scale: a file of up to 100,000 rows. People are matched in bulk, and the confirm writes in bulk
  (`bulk_create`/`bulk_update` in chunks) inside `import_commit`'s one transaction. For a large file
  the confirm runs as a job (`completion_import_enqueue`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.imports import (
    ImportFileError,
    ImportKind,
    RowChecker,
    import_commit,
    read_table,
    register_import_kind,
)
from activities.models import ImportBatch
from core.permissions import Action, allowed_as_edited, can_add_any
from core.safe_zip import ZipLimits
from core.uploads import safe_filename
from jobs.models import Job, JobStatus
from jobs.registry import job_handler
from jobs.services import job_enqueue
from people.models import Person
from people.services import name_key
from training.elearning import (
    CompletionWriter,
    Entry,
    PersonMatcher,
    date_problem,
    existing_completions,
    may_record,
    people_in_scope,
    product_problem,
    score_problem,
)
from training.models import Completion, CompletionSource, CompletionStatus, Product

COMPLETION_COLUMNS = {
    "required": ["first_name", "last_name", "member", "product", "status"],
    "optional": ["email", "enrolled_on", "completed_on", "score"],
}
MAX_ROWS = 100_000
MAX_BYTES = 20 * 1024 * 1024
# 100,000 rows of nine columns are about 50 MB of sheet XML: the activities' import allows 40 MB.
XLSX_LIMITS = ZipLimits(max_unpacked=200 * 1024 * 1024, max_ratio=100, ratio_floor=5 * 1024 * 1024)
NAME_LENGTH = 100  # Person.first_name / last_name
EMAIL_LENGTH = 254
COMPLETION_IMPORT = "training.completion_import"


# --- reading the file ----------------------------------------------------------------------------


def read_completion_table(name: str, content: bytes) -> list[dict[str, str]]:
    """`activities.imports.read_table` with this import's limits (an LMS export is long): the same
    refusals of whatever would lose data, the same streamed, bounded XLSX reading."""
    return read_table(
        name,
        content,
        max_bytes=MAX_BYTES,
        max_rows=MAX_ROWS,
        xlsx_limits=XLSX_LIMITS,
        max_strings=MAX_ROWS * len(_all_columns()),
    )


def _all_columns() -> list[str]:
    return COMPLETION_COLUMNS["required"] + COMPLETION_COLUMNS["optional"]


# --- checking rows -------------------------------------------------------------------------------


def _optional_date(
    checker: RowChecker, number: int, column: str, value: str, today: datetime.date
) -> datetime.date | None:
    if not value:
        return None
    try:
        day = datetime.date.fromisoformat(value[:10])
    except ValueError:
        checker.fail(number, column, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value[:40]})
        return None
    if problem := date_problem(day, today):
        checker.fail(number, column, problem)
        return None
    return day


def _score(checker: RowChecker, number: int, value: str) -> Decimal | None:
    if not value:
        return None
    try:
        score = Decimal(value.strip().rstrip("%").strip().replace(",", "."))
    except InvalidOperation:
        checker.fail(number, "score", _("“%(value)s” is not a number.") % {"value": value[:40]})
        return None
    if problem := score_problem(score):
        checker.fail(number, "score", problem)
        return None
    return score


def _statuses() -> dict[str, str]:
    """Each status by its value and its label (either case), as RowChecker.choice reads them."""
    found = {value: value for value in CompletionStatus.values}
    for value, label in CompletionStatus.choices:
        found[str(label).casefold()] = value
        found[value.casefold()] = value
    return found


def _parse(checker: RowChecker, number: int, row: dict, statuses: dict, today: datetime.date) -> dict:
    """A row's cells as values (errors go to the checker)."""
    first, last = row.get("first_name", "").strip(), row.get("last_name", "").strip()
    email = row.get("email", "").strip().lower()
    for column, value in (("first_name", first), ("last_name", last)):
        if not value:
            checker.fail(number, column, _("Required."))
        elif len(value) > NAME_LENGTH:
            checker.fail(number, column, _("At most %(limit)d characters.") % {"limit": NAME_LENGTH})
    if email:
        try:
            if len(email) > EMAIL_LENGTH:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            checker.fail(number, "email", _("“%(value)s” is not an email address.") % {"value": email[:60]})
            email = ""
    member = checker.member(number, "member", row.get("member", "").strip())
    product = row.get("product", "").strip()
    if not product:
        checker.fail(number, "product", _("Required."))
    status = row.get("status", "").strip()
    if not status:
        checker.fail(number, "status", _("Required."))
    else:
        found = statuses.get(status) or statuses.get(status.casefold())
        if not found:
            checker.fail(
                number,
                "status",
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": status[:40], "choices": ", ".join(CompletionStatus.values)},
            )
        status = found or ""
    enrolled_on = _optional_date(checker, number, "enrolled_on", row.get("enrolled_on", "").strip(), today)
    completed_on = _optional_date(checker, number, "completed_on", row.get("completed_on", "").strip(), today)
    if status == CompletionStatus.ENROLLED and not enrolled_on and not row.get("enrolled_on"):
        checker.fail(number, "enrolled_on", _("Give the date of enrolment."))
    if status in (CompletionStatus.COMPLETED, CompletionStatus.PASSED) and not completed_on:
        if not row.get("completed_on"):
            checker.fail(number, "completed_on", _("Give the date the module was completed."))
    if enrolled_on and completed_on and completed_on < enrolled_on:
        checker.fail(number, "completed_on", _("The completion date is before the enrolment date."))
    score = _score(checker, number, row.get("score", "").strip())
    return {
        "row": number,
        "first_name": first,
        "last_name": last,
        "email": email,
        "member": member.pk if member else None,
        "product": product,
        "status": status,
        "enrolled_on": enrolled_on.isoformat() if enrolled_on else None,
        "completed_on": completed_on.isoformat() if completed_on else None,
        "score": None if score is None else str(score),
    }


class Resolver:
    """Finds, for many rows at once, the product and the person each names, inside the user's scope,
    and says which rows cannot be recorded (`resolve` fills `errors` as RowChecker.fail does)."""

    def __init__(self, user, fail):
        self.user, self.fail = user, fail
        self.products_by_id: dict[int, Product] = {}
        self.products_by_title: dict[str, list[Product]] = {}
        for product in (
            Product.objects.restrict(user, Action.VIEW).select_related("owner_office").order_by("pk")
        ):
            self.products_by_id[product.pk] = product
            for title in {product.title, product.title_fr} - {""}:
                self.products_by_title.setdefault(title, []).append(product)
        self._may_record: dict[int, bool] = {}
        self._may_add_person: dict[int, bool] = {}
        self.matcher = PersonMatcher(people_in_scope(user))

    def product(self, number: int, value: str) -> Product | None:
        found = None
        if value.isdecimal() and value.isascii() and len(value) < 19:
            found = self.products_by_id.get(int(value))
        if found is None:
            titled = self.products_by_title.get(value, [])
            if len(titled) > 1:  # one current e-learning module of the uploader's among them will do
                titled = [
                    product for product in titled if not product_problem(product) and self._records(product)
                ]
            if len(titled) > 1:
                self.fail(
                    number,
                    "product",
                    _("Several products are titled “%(value)s”: give its id.") % {"value": value[:80]},
                )
                return None
            found = titled[0] if titled else None
        if found is None:
            self.fail(
                number,
                "product",
                _("Unknown product “%(value)s”: give its id or its exact title.") % {"value": value[:80]},
            )
            return None
        if problem := product_problem(found):
            self.fail(number, "product", problem)
            return None
        if not self._records(found):
            self.fail(
                number, "product", _("You may not record completions of “%(product)s”.") % {"product": found}
            )
            return None
        return found

    def _records(self, product: Product) -> bool:
        if product.pk not in self._may_record:
            self._may_record[product.pk] = may_record(self.user, product)
        return self._may_record[product.pk]

    def may_add_person(self, member_id: int) -> bool:
        if member_id not in self._may_add_person:
            self._may_add_person[member_id] = allowed_as_edited(
                self.user, Action.ADD, Person(member_id=member_id)
            )
        return self._may_add_person[member_id]

    def resolve(self, rows: list[dict]) -> list[dict]:
        """Each row with "person" (an id, or None for a new person), "product_id" and
        "product_title" set; what cannot be recorded is reported through `fail`."""
        # As person_find_match: an email nobody holds falls back to the name in the administration.
        self.matcher.load_emails(row["email"] for row in rows if row["email"])
        self.matcher.load_names(
            (row["member"], name_key(row["first_name"], row["last_name"]))
            for row in rows
            if row["member"] and not (row["email"] and self.matcher.known(row["email"]))
        )
        resolved, seen = [], {}
        for row in rows:
            number = row["row"]
            product = self.product(number, row["product"]) if row["product"] else None
            person_id = None
            try:
                person_id = self.matcher.match(
                    email=row["email"],
                    member_id=row["member"],
                    first=row["first_name"],
                    last=row["last_name"],
                )
            except ValidationError as error:
                self.fail(number, "email", " ".join(error.messages))
                resolved.append({**row, "person": None, "product_id": None, "product_title": ""})
                continue
            if person_id is None and row["member"] and not self.may_add_person(row["member"]):
                self.fail(
                    number,
                    "last_name",
                    _(
                        "Nobody in your scope has this email or name, and you may not add people of "
                        "this administration."
                    ),
                )
            person_key = (
                person_id
                or row["email"]
                or f"{row['member']}:{name_key(row['first_name'], row['last_name'])}"
            )
            key = (person_key, product.pk if product else row["product"], row["status"])
            if key in seen:
                self.fail(number, "product", _("Same completion as row %(row)d.") % {"row": seen[key]})
            seen[key] = number
            resolved.append(
                {
                    **row,
                    "person": person_id,
                    "product_id": product.pk if product else None,
                    "product_title": str(product) if product else "",
                }
            )
        return resolved


def check_completion_rows(rows: list[dict], batch: ImportBatch) -> tuple[list[dict], list[dict]]:
    user = batch.uploaded_by
    checker = RowChecker()
    if checker.missing_columns(rows, COMPLETION_COLUMNS):
        return [], checker.errors
    statuses, today = _statuses(), timezone.localdate()
    parsed = [_parse(checker, number, row, statuses, today) for number, row in enumerate(rows, start=2)]
    resolved = Resolver(user, checker.fail).resolve(parsed)
    existing = _existing_keys(resolved)
    clean = []
    for row in resolved:
        row["update"] = (row["person"], row["product_id"], row["status"]) in existing
        clean.append(row)
    checker.errors.sort(key=lambda error: error["row"])
    return clean, checker.errors


def _existing_keys(rows: list[dict]) -> set[tuple]:
    keys = [
        (row["person"], row["product_id"], row["status"])
        for row in rows
        if row["person"] and row["product_id"] and row["status"]
    ]
    return set(existing_completions(keys))


# --- saving --------------------------------------------------------------------------------------


class _Commit:
    """A confirmed batch, saved in bulk: `import_commit` hands its rows over one by one (in its one
    transaction); the first row resolves them all again (the data may have changed since the
    preview), each row raises its own errors, and the last row writes everything."""

    def __init__(self, user, batch: ImportBatch):
        self.user, self.batch = user, batch
        self.errors: dict[int, list[str]] = {}
        self.resolver = Resolver(user, self._fail)
        self.rows = self.resolver.resolve(
            [{key: row.get(key) for key in ("row", *_VALUE_KEYS)} for row in batch.rows]
        )
        self.created = self.updated = self.people_created = 0

    def _fail(self, row: int, column: str, reason: str) -> None:
        self.errors.setdefault(row, []).append(str(reason))

    def check(self, row: dict) -> None:
        if row["row"] in self.errors:
            raise ValidationError(self.errors[row["row"]])

    def write(self) -> None:
        new_people: dict[str, Person] = {}
        for row in self.rows:
            if row["person"] is None:
                key = row["email"] or f"{row['member']}:{name_key(row['first_name'], row['last_name'])}"
                if key not in new_people:
                    person = Person(
                        first_name=row["first_name"],
                        last_name=row["last_name"],
                        email=row["email"],
                        member_id=row["member"],
                    )
                    person.name_key = name_key(person.first_name, person.last_name)
                    new_people[key] = person
                row["new_person"] = new_people[key]
        try:
            with transaction.atomic():
                Person.objects.bulk_create(list(new_people.values()), batch_size=1000)
        except IntegrityError:
            # Someone recorded one of these emails since the check above: nothing is saved.
            raise ValidationError(
                _("Some of these people were added by someone else meanwhile; confirm the import again.")
            ) from None
        self.people_created = len(new_people)
        members = self.resolver.matcher.member_of
        writer = CompletionWriter()
        for row in self.rows:
            if row["person"] is None:
                person_id = row["new_person"].pk
                member_id = row["member"]
            else:
                person_id = row["person"]
                member_id = members.get(person_id) or row["member"]
            writer.add(
                Entry(
                    person_id=person_id,
                    member_id=member_id,
                    product_id=row["product_id"],
                    status=row["status"],
                    enrolled_on=_date(row["enrolled_on"]),
                    completed_on=_date(row["completed_on"]),
                    score=Decimal(row["score"]) if row["score"] else None,
                    source=CompletionSource.IMPORT,
                )
            )
        self.created, self.updated = writer.write()


_VALUE_KEYS = (
    "first_name",
    "last_name",
    "email",
    "member",
    "product",
    "status",
    "enrolled_on",
    "completed_on",
    "score",
)


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def save_completion_row(user, batch: ImportBatch, row: dict) -> None:
    """The import kind's `save`: see `_Commit`."""
    state = getattr(batch, "_completion_commit", None)
    if state is None or row["row"] == batch.rows[0]["row"]:
        state = batch._completion_commit = _Commit(user, batch)
    state.check(row)
    if row["row"] == batch.rows[-1]["row"]:
        state.write()
        batch.completion_counts = {
            "created": state.created,
            "updated": state.updated,
            "people_created": state.people_created,
        }
        del batch._completion_commit


def may_upload(user) -> bool:
    return can_add_any(user, Completion)


# --- preview and the confirm as a job -------------------------------------------------------------


@transaction.atomic
def completion_import_preview(*, user, name: str, content: bytes) -> ImportBatch:
    """`activities.imports.import_preview` for an LMS export, with this import's row limit."""
    if not (user.is_authenticated and user.is_active and may_upload(user)):
        raise ValidationError(_("You may not record e-learning completions."))
    batch = ImportBatch(
        kind=ImportBatch.Kind.COMPLETIONS, uploaded_by=user, filename=safe_filename(name, max_bytes=255)
    )
    try:
        raw = read_completion_table(name, content)
    except ImportFileError as error:
        batch.errors = [{"row": 0, "column": "", "reason": str(error)}]
        raw = []
    if raw:
        batch.rows, batch.errors = check_completion_rows(raw, batch)
    elif not batch.errors:
        batch.errors = [{"row": 0, "column": "", "reason": _("The file has no data rows.")}]
    batch.save()
    return batch


def completion_import_enqueue(*, user, batch: ImportBatch) -> Job:
    """Confirm a clean batch as a job (the job page shows its progress and outcome); a second
    confirm while the job waits or runs returns that job."""
    if batch.kind != ImportBatch.Kind.COMPLETIONS:
        raise ValidationError(_("This is not a file of e-learning completions."))
    if batch.uploaded_by_id != user.pk:
        raise ValidationError(_("Only the person who uploaded the file can import it."))
    if batch.imported_at:
        raise ValidationError(_("This file was already imported."))
    if batch.errors:
        raise ValidationError(_("Correct the errors in the file and upload it again; nothing was saved."))
    waiting = Job.objects.filter(
        kind=COMPLETION_IMPORT,
        payload__batch=batch.pk,
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
    ).first()
    if waiting is not None:
        return waiting
    return job_enqueue(kind=COMPLETION_IMPORT, payload={"batch": batch.pk}, user=user, total=1)


@job_handler(COMPLETION_IMPORT)
def run_completion_import(job, progress) -> None:
    """payload: {"batch": ImportBatch id}; the whole file or nothing, as the confirm on the page."""
    progress.set_total(1)
    batch = ImportBatch.objects.filter(pk=job.payload.get("batch"), kind=ImportBatch.Kind.COMPLETIONS).first()
    if batch is None or job.created_by is None:
        progress.item("", "failed", _("The file to import is no longer there."))
        return
    if batch.imported_at:  # a worker died after the commit: the import is done
        progress.item(batch.filename, "created", _("This file was already imported."))
        return
    try:
        count = import_commit(user=job.created_by, batch=batch)
    except ValidationError as error:
        progress.item(batch.filename, "failed", " ".join(error.messages))
        return
    counts = getattr(batch, "completion_counts", {})
    job.result = {"rows": count, **counts}
    job.save(update_fields=["result", "updated_at"])
    progress.item(
        batch.filename,
        "created",
        _(
            "%(count)d rows imported: %(created)d completions recorded, %(updated)d updated, "
            "%(people)d people added."
        )
        % {
            "count": count,
            "created": counts.get("created", 0),
            "updated": counts.get("updated", 0),
            "people": counts.get("people_created", 0),
        },
    )


register_import_kind(
    ImportBatch.Kind.COMPLETIONS,
    ImportKind(
        check=check_completion_rows,
        save=save_completion_row,
        may_upload=may_upload,
        done_url=lambda batch: reverse("training:completion_list"),
        denied=gettext_lazy("You may not record e-learning completions."),
        enqueue=completion_import_enqueue,
    ),
)
