"""E-learning completions: the platforms that send them, the people they are matched to, and the
one writer both the LMS-export import (`training.completions`) and the xAPI statements
(`training.xapi`) record them with.

- A platform's token is shown once, when the platform is made (or given a new token); only its
  SHA-256 is stored, and a request's token is looked up by its hash.
- People are matched only inside a scope. For a user, the scope is the people they may view plus the
  people whose completions they may view (an RTC's learners, who need not have attended one of its
  activities: the completions name them already). For a platform, it is the people of its office's
  region, plus the people with a completion of the office's products (the Secretariat's platform:
  everyone). An email is one person's: an email held by someone outside the scope is refused with the
  message `people.services.person_find_match` gives, which names nobody.
- `CompletionWriter` records completions in bulk: one completion per person, product and status, so
  a second report of the same completion updates it (values the report leaves empty are kept).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import Action, allowed_as_edited, is_secretariat, permission_filter, require
from network.models import Office, OfficeKind
from people.models import Person
from people.services import name_key
from training.models import (
    Completion,
    CompletionSource,
    CompletionStatus,
    LearningPlatform,
    Product,
    ProductKind,
    ProductStatus,
)

CHUNK = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits
WRITE_BATCH = 1000
# Completions are dated between the first e-learning modules and today.
EARLIEST = datetime.date(2000, 1, 1)
MAX_SCORE = Decimal(100)


def chunks(values: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


# --- platforms -----------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def platform_create(*, user, name: str, office: Office) -> tuple[LearningPlatform, str]:
    """A new platform and its token, in plain text: the only time it is shown."""
    token = _new_token()
    platform = LearningPlatform(name=name.strip(), office=office, token_hash=token_hash(token))
    require(user, Action.ADD, platform)
    platform.full_clean()
    platform.save()
    return platform, token


@transaction.atomic
def platform_new_token(*, user, platform: LearningPlatform) -> str:
    """Replace a platform's token (the old one stops working at once); returns the new one."""
    require(user, Action.CHANGE, platform)
    token = _new_token()
    platform.token_hash = token_hash(token)
    platform.save(update_fields=["token_hash", "updated_at"])
    return token


def platform_by_token(token: str) -> LearningPlatform | None:
    if not token:
        return None
    return LearningPlatform.objects.select_related("office").filter(token_hash=token_hash(token)).first()


# --- scopes --------------------------------------------------------------------------------------


def people_in_scope(user):
    """The people `user` may match a completion to: those they may view, and those whose completions
    they may view. None: everyone (the Secretariat)."""
    if is_secretariat(user):
        return None
    condition = permission_filter(user, Person, Action.VIEW)
    learners = Completion.objects.restrict(user, Action.VIEW).values("person_id")
    seen = Q(pk__in=learners)
    return Person.objects.filter(seen if condition is None else condition | seen)


def platform_people(platform: LearningPlatform):
    """The people a platform's statements may name (see the module's docstring); None: everyone."""
    office = platform.office
    if office.kind == OfficeKind.SECRETARIAT:
        return None
    learners = Q(pk__in=Completion.objects.filter(product__owner_office=office.pk).values("person_id"))
    # A platform is a system the Secretariat registered, with its own token: it reports on the
    # region's officers, and a completion it records makes the learner one of the centre's people.
    if office.region_id is None:
        return Person.objects.filter(learners)
    return Person.objects.filter(Q(member__region=office.region_id) | learners)


def platform_products(platform: LearningPlatform):
    """The products a platform may report on: its office's (the Secretariat's platform: any)."""
    if platform.office.kind == OfficeKind.SECRETARIAT:
        return Product.objects.all()
    return Product.objects.filter(owner_office=platform.office_id)


def may_record(user, product: Product) -> bool:
    """Whether `user` may record completions of this product (create them or update them)."""
    return allowed_as_edited(user, Action.ADD, Completion(product=product))


def product_problem(product: Product) -> str:
    """Why no completion of this product can be recorded ("" if one can)."""
    if product.kind != ProductKind.ELEARNING:
        return _("“%(product)s” is not an e-learning module.") % {"product": product}
    if product.status == ProductStatus.RETIRED:
        return _("“%(product)s” is retired: its completions are no longer recorded.") % {"product": product}
    if product.status != ProductStatus.OFFERED:
        # Completions are read by people who see only offered products: none for a draft.
        return _("“%(product)s” is not offered yet: its completions are not recorded.") % {"product": product}
    return ""


def date_problem(value: datetime.date, today: datetime.date | None = None) -> str:
    if value < EARLIEST or value > (today or timezone.localdate()):
        return _("The date must be between %(earliest)s and today.") % {"earliest": EARLIEST.isoformat()}
    return ""


def score_problem(value: Decimal) -> str:
    if not value.is_finite() or not Decimal(0) <= value <= MAX_SCORE:
        return _("A score is between 0 and 100.")
    if value != value.quantize(Decimal("0.01")):
        return _("Give a score with at most two decimals.")
    return ""


# --- matching people -----------------------------------------------------------------------------


def outside_scope_message() -> str:
    # The very message of people.services.person_find_match (the same catalogue entry).
    return _(
        "This email address belongs to a person outside your scope. Leave it blank or ask the organisers to "
        "add this person."
    )


class PersonMatcher:
    """Finds many people at once inside a scope (a queryset of people; None: everyone), as
    `people.services.person_find_match` finds one: by email first (case does not matter), else by name
    in the administration. An email held only outside the scope is reported, never the holder."""

    def __init__(self, scope):
        self.scope = scope
        self.by_email: dict[str, int] = {}
        self.outside: set[str] = set()
        self.by_name: dict[tuple[int, str], int] = {}
        self.member_of: dict[int, int | None] = {}  # the matched people's administrations

    def _in_scope(self, ids: list[int]) -> set[int]:
        if self.scope is None:
            return set(ids)
        return set(self.scope.filter(pk__in=ids).values_list("pk", flat=True))

    def load_emails(self, emails: Iterable[str]) -> PersonMatcher:
        emails = sorted({email.lower() for email in emails if email} - set(self.by_email) - self.outside)
        for part in chunks(emails):
            # Who holds each email (the unique index on lower(email)), then which of them are in scope.
            holders = {
                email: (pk, member_id)
                for email, pk, member_id in Person.objects.annotate(email_lower=Lower("email"))
                .filter(email_lower__in=part)
                .values_list("email_lower", "pk", "member_id")
            }
            visible = self._in_scope([pk for pk, _member in holders.values()])
            for email, (pk, member_id) in holders.items():
                if pk in visible:
                    self.by_email[email] = pk
                    self.member_of[pk] = member_id
                else:
                    self.outside.add(email)
        return self

    def load_names(self, names: Iterable[tuple[int, str]]) -> PersonMatcher:
        names = {key for key in names if key[0] and key[1]} - set(self.by_name)
        by_member: dict[int, set[str]] = {}
        for member_id, key in names:
            by_member.setdefault(member_id, set()).add(key)
        for member_id, keys in by_member.items():
            for part in chunks(sorted(keys)):
                found = list(
                    Person.objects.filter(member_id=member_id, name_key__in=part)
                    .order_by("-pk")  # the oldest record wins, as it is written last
                    .values_list("name_key", "pk")
                )
                visible = self._in_scope([pk for _key, pk in found])
                for key, pk in found:
                    if pk in visible:
                        self.by_name[(member_id, key)] = pk
                        self.member_of[pk] = member_id
        return self

    def known(self, email: str) -> bool:
        """Whether someone holds this email (in the scope or not): then the name is not looked at."""
        email = email.lower()
        return email in self.by_email or email in self.outside

    def match(
        self, *, email: str = "", member_id: int | None = None, first: str = "", last: str = ""
    ) -> int | None:
        """The matching person's id, or None; ValidationError for an email outside the scope."""
        email = email.lower()
        if email:
            if email in self.by_email:
                return self.by_email[email]
            if email in self.outside:
                raise ValidationError(outside_scope_message())
        if member_id:
            return self.by_name.get((member_id, name_key(first, last)))
        return None


# --- recording completions -----------------------------------------------------------------------


@dataclass
class Entry:
    """One completion to record: the person (an id), the product, the status and what is known."""

    person_id: int
    member_id: int | None
    product_id: int
    status: str
    enrolled_on: datetime.date | None = None
    completed_on: datetime.date | None = None
    score: Decimal | None = None
    source: str = CompletionSource.IMPORT
    platform_id: int | None = None

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.person_id, self.product_id, self.status)


VALUE_FIELDS = ("enrolled_on", "completed_on", "score", "source", "platform_id")
Key = tuple[int, int, str]


def existing_completions(keys: Iterable[Key], *, values: bool = False) -> dict[Key, int | dict]:
    """The recorded completions among these (person id, product id, status) keys: their ids, or
    (`values`) their id and VALUE_FIELDS as a dict."""
    wanted = set(keys)
    by_product: dict[int, set[int]] = {}
    for person_id, product_id, _status in wanted:
        by_product.setdefault(product_id, set()).add(person_id)
    columns = ["person_id", "status", "pk", *(VALUE_FIELDS if values else ())]
    found = {}
    for product_id, people in by_product.items():
        for part in chunks(sorted(people)):
            rows = Completion.objects.filter(product_id=product_id, person_id__in=part).values_list(*columns)
            for person_id, status, pk, *rest in rows:
                key = (person_id, product_id, status)
                if key in wanted:
                    found[key] = dict(zip(("pk", *VALUE_FIELDS), (pk, *rest), strict=True)) if values else pk
    return found


class CompletionWriter:
    """Records completions in bulk (call inside a transaction): existing ones, found by person,
    product and status, are updated with the values the report gives (an empty value keeps the
    recorded one); the others are created."""

    def __init__(self):
        self.entries: dict[Key, Entry] = {}
        self.written: dict[Key, int] = {}  # each key's completion id, after `write(with_ids=True)`

    def add(self, entry: Entry) -> Entry:
        """Queue an entry; a later entry for the same completion wins, with the earlier one's values
        where the later one gives none."""
        earlier = self.entries.get(entry.key)
        if earlier is not None:
            for name in VALUE_FIELDS:
                if getattr(entry, name) is None:
                    setattr(entry, name, getattr(earlier, name))
        self.entries[entry.key] = entry
        return entry

    def write(self, *, with_ids: bool = False) -> tuple[int, int]:
        """Save every queued entry; returns (created, updated). With `with_ids`, `written` maps each
        key to its completion's id (the new ones are read back)."""
        existing = existing_completions(self.entries, values=True)
        now = timezone.now()
        created, updated = [], []
        for key, entry in self.entries.items():
            recorded = existing.get(key)
            values = [getattr(entry, name) for name in VALUE_FIELDS]
            if recorded is None:
                created.append(
                    (entry.person_id, entry.member_id, entry.product_id, entry.status, *values, now, now)
                )
            else:
                merged = [
                    recorded[name] if value is None else value
                    for name, value in zip(VALUE_FIELDS, values, strict=True)
                ]
                updated.append((*merged, now, recorded["pk"]))
        insert_rows(
            Completion,
            ["person", "member", "product", "status", *VALUE_FIELDS, "created_at", "updated_at"],
            created,
        )
        update_rows(Completion, [*VALUE_FIELDS, "updated_at"], updated)
        self.written = {key: recorded["pk"] for key, recorded in existing.items()}
        if with_ids and created:
            self.written.update(existing_completions([(row[0], row[2], row[3]) for row in created]))
        self.entries = {}
        return len(created), len(updated)


# Django's bulk_create and bulk_update spend most of their time compiling SQL (bulk_update builds a
# CASE per field and row): 100,000 completions took minutes. These run one prepared statement over
# many rows (`executemany`), each value prepared by its field as Django prepares it (only text,
# numbers and ids, which need nothing, skip that). No signals are sent, as with bulk_create; the
# caller gives the auto_now values.

PLAIN = {
    "CharField",
    "TextField",
    "SlugField",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "BooleanField",
    "AutoField",
    "BigAutoField",
}


REPEATED = {"DateField", "DateTimeField", "DecimalField"}


def _memo(prepare):
    seen = {}

    def prepared(value):
        if value not in seen:
            seen[value] = prepare(value)
        return seen[value]

    return prepared


def _preparers(model, names: list[str]):
    database = connections[DEFAULT_DB_ALIAS]
    fields = [model._meta.get_field(name) for name in names]
    preparers = []
    for field in fields:
        target = field.target_field if field.is_relation else field
        kind = target.get_internal_type()
        if kind in PLAIN:
            preparers.append(None)
        elif kind in REPEATED:  # the same few dates and moments on many rows: prepared once each
            preparers.append(_memo(lambda value, field=field: field.get_db_prep_save(value, database)))
        else:
            preparers.append(lambda value, field=field: field.get_db_prep_save(value, database))
    return fields, preparers


def _prepared(rows: list[tuple], preparers: list) -> list[list]:
    return [
        [value if prepare is None else prepare(value) for value, prepare in zip(row, preparers, strict=True)]
        for row in rows
    ]


def insert_rows(model, names: list[str], rows: list[tuple]) -> None:
    """INSERT rows of values for the `names` fields, in order (no id is read back)."""
    if not rows:
        return
    fields, preparers = _preparers(model, names)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        for part in chunks(rows, WRITE_BATCH):
            cursor.executemany(sql, _prepared(part, preparers))


def update_rows(model, names: list[str], rows: list[tuple]) -> None:
    """UPDATE the `names` fields by id: each row is the values, then the id."""
    if not rows:
        return
    fields, preparers = _preparers(model, names)
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        for part in chunks(rows, WRITE_BATCH):
            cursor.executemany(sql, _prepared(part, [*preparers, None]))


@transaction.atomic
def completion_record(
    *,
    user,
    person: Person,
    product: Product,
    status: str,
    enrolled_on: datetime.date | None = None,
    completed_on: datetime.date | None = None,
    score: Decimal | None = None,
    source: str = CompletionSource.IMPORT,
    platform: LearningPlatform | None = None,
) -> Completion:
    """Record one completion by hand or from a form: the person must be in the user's scope and the
    product one whose completions the user records. A second record of the same person, product and
    status updates the first."""
    if not PersonMatcher(people_in_scope(user))._in_scope([person.pk]):
        raise ValidationError(
            {"person": _("Select a valid choice. That choice is not one of the available choices.")}
        )
    if not may_record(user, product):
        raise PermissionDenied(_("You may not record completions of “%(product)s”.") % {"product": product})
    errors = {}
    if status not in CompletionStatus.values:
        errors["status"] = _("Choose enrolled, completed or passed.")
    if problem := product_problem(product):
        errors["product"] = problem
    for name, value in (("enrolled_on", enrolled_on), ("completed_on", completed_on)):
        if value is not None and (problem := date_problem(value)):
            errors[name] = problem
    if enrolled_on and completed_on and completed_on < enrolled_on:
        errors["completed_on"] = _("The completion date is before the enrolment date.")
    if score is not None and (problem := score_problem(Decimal(score))):
        errors["score"] = problem
    if errors:
        raise ValidationError(errors)
    writer = CompletionWriter()
    entry = writer.add(
        Entry(
            person_id=person.pk,
            member_id=person.member_id,
            product_id=product.pk,
            status=status,
            enrolled_on=enrolled_on,
            completed_on=completed_on,
            score=Decimal(score) if score is not None else None,
            source=source,
            platform_id=platform.pk if platform else None,
        )
    )
    writer.write(with_ids=True)
    return Completion.objects.get(pk=writer.written[entry.key])


# --- a person's history --------------------------------------------------------------------------


def person_completions(user, person: Person):
    """The person's completions the user may see, newest first, for the person's page."""
    return (
        Completion.objects.restrict(user, Action.VIEW)
        .filter(person=person)
        .select_related("product")
        .order_by("-completed_on", "-enrolled_on", "product__title", "status")
    )
