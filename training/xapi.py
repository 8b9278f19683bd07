"""The xAPI 1.0.3 statements endpoint learning platforms send completions to, and the job that
ingests a large file of statements (JSON lines).

`POST /api/training/xapi/statements` takes one statement object or a list of them
(`Content-Type: application/json`, at most 1 MB and 1,000 statements), with the platform's token
(`Authorization: Bearer <token>`; only its SHA-256 is stored, `training.elearning`). The
`X-Experience-API-Version` header is optional; when sent it must be 1.0.x, and every answer carries
`X-Experience-API-Version: 1.0.3`.

- Every statement is stored whole (`XapiStatement.body`) with its outcome. The verbs
  `http://adlnet.gov/expapi/verbs/completed` and `.../passed` are recorded as a `Completion`
  (status completed or passed) of the product the object names; other verbs, and completed or passed
  statements about activities that are not products, are stored as ignored.
- A product's activity IRI is `urn:cbhub:product:<id>`, or its page's address
  `https://<this site>/training/products/<id>/` (a host the site answers to: `ALLOWED_HOSTS`).
  A platform reports on its office's products (the Secretariat's platform: any product); the product
  must be an e-learning module that is not retired.
- The learner (actor) is an Agent named by `mbox` (`mailto:<email>`) or by an `account` whose `name`
  is the learner's email (`homePage` is not read); they are matched by email among the people in
  the platform's scope (`training.elearning.platform_people`). Nobody is created from a statement.
- completed_on is the date of `timestamp` (else `stored`, else today) in the site's time zone; the
  score is `result.score.scaled` × 100, else `raw` (scaled between `min` and `max` when both are
  given), between 0 and 100.
- A statement without an id gets one (xAPI: the LRS assigns it). A statement id already stored with
  the same body is a no-op; with a different body (or from another platform) it is a conflict (409).
  A statement stored as refused is processed again when it is sent again.
- A batch is atomic (xAPI 1.0.3): if any statement is refused, the answer is 400 listing each refused
  statement (its index in the batch, its id, why), nothing of the batch is recorded, and only the
  refused statements are stored, as refused with their reason, for the platform's officers to see;
  if none is refused but one conflicts, 409 and nothing is stored. Otherwise 200 with the ids in
  order, as the xAPI says.
- The answer is never a 5xx for any body: malformed JSON, NaN, NUL characters, lone surrogates or
  nesting deeper than 64 levels are a 400; more than 1 MB or 1,000 statements a 413; no or a wrong
  token a 401; an inactive platform a 403.

The job (`XAPI_INGEST`, `xapi_file_enqueue`) reads a JSON-lines file (one statement per line) in
chunks of 1,000 through the same code with `atomic=False`: each line stands alone, so a refused line
is stored as refused and the others are recorded.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import uuid
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http.request import validate_host
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.permissions import Action, can, can_add_any
from jobs.registry import job_handler
from jobs.services import job_enqueue
from training.elearning import (
    CompletionWriter,
    Entry,
    PersonMatcher,
    chunks,
    date_problem,
    insert_rows,
    platform_by_token,
    platform_people,
    platform_products,
    product_problem,
    score_problem,
)
from training.models import (
    Completion,
    CompletionSource,
    CompletionStatus,
    LearningPlatform,
    StatementOutcome,
    XapiStatement,
)

XAPI_VERSION = "1.0.3"
VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VERB_PASSED = "http://adlnet.gov/expapi/verbs/passed"
RECORDED_VERBS = {VERB_COMPLETED: CompletionStatus.COMPLETED, VERB_PASSED: CompletionStatus.PASSED}
MAX_BODY_BYTES = 1024 * 1024
MAX_STATEMENTS = 1000
MAX_DEPTH = 64
MAX_LINE_BYTES = MAX_BODY_BYTES  # one statement of the job's file
JOB_CHUNK = 1000
MAX_REPORTED = 200  # refused lines a job names one by one; the rest are counted
XAPI_INGEST = "training.xapi_ingest"

UUID_TEXT = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")
PRODUCT_URN = re.compile(r"^urn:cbhub:product:(\d{1,18})$")
PRODUCT_URL = re.compile(r"^https?://([^/?#\s]+)/training/products/(\d{1,18})/?$")
VERSION = re.compile(r"^1\.0(\.\d+)?$")
MESSAGE_LENGTH = 300  # XapiStatement.message
VERB_LENGTH = 300  # XapiStatement.verb


class BadStatement(Exception):
    """A statement that cannot be recorded; the message says why."""


def product_iri(product) -> str:
    """The activity IRI a platform names a product with."""
    return f"urn:cbhub:product:{product.pk}"


# --- reading statements --------------------------------------------------------------------------


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def parse_json(data: bytes) -> Any:
    """JSON as the database can store it: no NaN or infinity, no NUL character, no lone surrogate,
    and nested at most MAX_DEPTH deep; ValueError otherwise."""
    try:
        text = data.decode("utf-8")
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(str(error)) from None
    # Strict UTF-8 and JSON leave only escapes (\u0000, \ud800), huge exponents and deep nesting to
    # look for: the walk runs only when the text may hold one.
    if SUSPECT.search(text) or text.count("[") + text.count("{") > MAX_DEPTH:
        _check_values(value)
    return value


SUSPECT = re.compile(r"\\u(?:0000|[dD][89a-fA-F])|[eE]\+?\d{3}|\d{300}")


def _check_values(value: Any) -> None:
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValueError("nested too deeply")
        if isinstance(item, dict):
            for key, child in item.items():
                _check_text(key)
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str):
            _check_text(item)
        elif isinstance(item, float) and not math.isfinite(item):  # 1e400 reads as infinity
            raise ValueError("not a finite number")


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise ValueError("NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("lone surrogate") from None


@dataclass
class Item:
    """One statement of a batch, as it goes through the checks."""

    index: int
    body: Any
    statement_id: uuid.UUID | None = None
    verb: str = ""
    outcome: str = ""
    message: str = ""
    # For a recorded verb: the learner's email, the product's id, the completion's values.
    email: str = ""
    product_id: int | None = None
    status: str = ""
    completed_on: datetime.date | None = None
    score: Decimal | None = None
    existing: XapiStatement | None = None  # a refused statement sent again
    storable: bool = True  # False: its id is another statement's (of this batch or stored)
    duplicate: bool = False  # already stored with this body: nothing to do
    conflict: bool = False
    entry: Entry | None = None

    def refuse(self, message: str) -> None:
        self.outcome, self.message = StatementOutcome.REFUSED, str(message)[:MESSAGE_LENGTH]

    @property
    def problem(self) -> dict:
        return {
            "index": self.index,
            "id": str(self.statement_id) if self.statement_id else None,
            "reason": self.message,
        }


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _statement_id(item: Item) -> None:
    raw = item.body.get("id")
    if raw is None:
        item.statement_id = uuid.uuid4()
        return
    if not isinstance(raw, str) or not UUID_TEXT.match(raw):
        raise BadStatement(_("The statement id must be a UUID."))
    item.statement_id = uuid.UUID(raw)


def _check_structure(item: Item) -> None:
    """What xAPI 1.0.3 requires of every statement, whatever its verb."""
    body = item.body
    if not isinstance(body, dict):
        raise BadStatement(_("A statement is a JSON object."))
    _statement_id(item)
    verb = body.get("verb")
    if not isinstance(verb, dict) or not isinstance(verb.get("id"), str) or not IRI.match(verb["id"]):
        raise BadStatement(_("The statement needs a verb with an IRI as its id."))
    item.verb = verb["id"]
    actor = body.get("actor")
    if not isinstance(actor, dict):
        raise BadStatement(_("The statement needs an actor (an Agent or a Group)."))
    kind = actor.get("objectType", "Agent")
    identifiers = [name for name in ("mbox", "mbox_sha1sum", "openid", "account") if name in actor]
    if kind not in ("Agent", "Group"):
        raise BadStatement(_("The actor must be an Agent or a Group."))
    if kind == "Agent" and len(identifiers) != 1:
        raise BadStatement(_("An Agent is named by exactly one of mbox, mbox_sha1sum, openid or account."))
    if kind == "Group" and not identifiers and not isinstance(actor.get("member"), list):
        raise BadStatement(_("A Group is named by an identifier or lists its members."))
    if "mbox" in actor and not (isinstance(actor["mbox"], str) and actor["mbox"].startswith("mailto:")):
        raise BadStatement(_("The actor's mbox must be a mailto: address."))
    if "account" in actor:
        account = actor["account"]
        if not (
            isinstance(account, dict)
            and isinstance(account.get("homePage"), str)
            and isinstance(account.get("name"), str)
        ):
            raise BadStatement(_("The actor's account needs a homePage and a name."))
    target = body.get("object")
    if not isinstance(target, dict):
        raise BadStatement(_("The statement needs an object."))
    if target.get("objectType", "Activity") == "Activity" and not (
        isinstance(target.get("id"), str) and IRI.match(target["id"])
    ):
        raise BadStatement(_("The object, an Activity, needs an IRI as its id."))
    for name in ("timestamp", "stored"):
        if name in body and not (isinstance(body[name], str) and _moment(body[name])):
            raise BadStatement(_("The %(field)s is not an ISO 8601 date and time.") % {"field": name})
    score = (body.get("result") or {}).get("score") if isinstance(body.get("result"), dict) else None
    if "result" in body and not isinstance(body["result"], dict):
        raise BadStatement(_("The result must be an object."))
    if score is not None:
        if not isinstance(score, dict) or any(
            name in score and not _is_number(score[name]) for name in ("scaled", "raw", "min", "max")
        ):
            raise BadStatement(_("The score's scaled, raw, min and max must be numbers."))
        if "scaled" in score and not -1 <= score["scaled"] <= 1:
            raise BadStatement(_("The score's scaled value is between -1 and 1."))


def _moment(text: str) -> datetime.datetime | None:
    try:
        moment = parse_datetime(text)
    except (ValueError, OverflowError):
        return None
    if moment is None:
        return None
    if timezone.is_naive(moment):  # xAPI: a time without an offset is UTC
        moment = moment.replace(tzinfo=datetime.UTC)
    try:
        timezone.localtime(moment)
    except OverflowError:  # within a day of year 1 or 9999
        return None
    return moment


def _learner_email(actor: dict) -> str:
    if actor.get("objectType", "Agent") != "Agent":
        raise BadStatement(_("A completion is a person's: the actor must be an Agent."))
    if "mbox" in actor:
        email = actor["mbox"][len("mailto:") :]
    elif "account" in actor:
        email = actor["account"]["name"]
    else:
        email = ""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise BadStatement(
            _("Name the learner by mbox (mailto:) or by an account whose name is their email address.")
        )
    return email


def _product_id(target: dict, hosts: list[str]) -> int | None:
    """The product an activity IRI names; None for an activity that is not a product."""
    if target.get("objectType", "Activity") != "Activity":
        return None
    iri = target["id"]
    if match := PRODUCT_URN.match(iri):
        return int(match.group(1))
    if (match := PRODUCT_URL.match(iri)) and validate_host(match.group(1).lower(), hosts):
        return int(match.group(2))
    return None


def _score(result: Any) -> Decimal | None:
    score = result.get("score") if isinstance(result, dict) else None
    if not isinstance(score, dict):
        return None
    try:
        if "scaled" in score:
            value = Decimal(str(score["scaled"])) * 100
        elif "raw" in score:
            value = Decimal(str(score["raw"]))
            low, high = score.get("min"), score.get("max")
            if low is not None and high is not None and high > low and (low, high) != (0, 100):
                value = (value - Decimal(str(low))) / (Decimal(str(high)) - Decimal(str(low))) * 100
        else:
            return None
        value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, OverflowError):
        raise BadStatement(_("A score is between 0 and 100.")) from None
    if problem := score_problem(value):
        raise BadStatement(problem)
    return value


def _completion_values(item: Item) -> None:
    body = item.body
    item.status = RECORDED_VERBS[item.verb]
    item.email = _learner_email(body["actor"])
    moment = _moment(body["timestamp"]) if "timestamp" in body else None
    if moment is None and "stored" in body:
        moment = _moment(body["stored"])
    day = timezone.localdate(moment) if moment else timezone.localdate()
    if problem := date_problem(day):
        raise BadStatement(problem)
    item.completed_on = day
    item.score = _score(body.get("result"))


# --- ingesting -----------------------------------------------------------------------------------


@dataclass
class Ingest:
    """What a batch came to: the HTTP status, the ids in order, the refused and conflicting
    statements, and the counts."""

    status: int = 200
    ids: list[str] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def allowed_hosts() -> list[str]:
    hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not hosts:
        hosts = [".localhost", "127.0.0.1", "[::1]"]
    return hosts


def statements_ingest(
    platform: LearningPlatform, statements: list, *, atomic: bool = True, hosts: list[str] | None = None
) -> Ingest:
    """Check, record and store a batch of statements from `platform` (see the module's docstring).
    With `atomic=False` (the job's file) each statement stands alone."""
    hosts = allowed_hosts() if hosts is None else hosts
    items = [Item(index=index, body=body) for index, body in enumerate(statements)]
    seen: dict[uuid.UUID, int] = {}
    for item in items:
        try:
            _check_structure(item)
        except BadStatement as error:
            item.refuse(str(error))
        if (
            item.statement_id in seen
            and not atomic
            and not item.outcome
            and items[seen[item.statement_id]].body == item.body
        ):
            item.duplicate, item.storable = True, False  # a file may hold a statement twice
        elif item.statement_id in seen:
            item.refuse(
                _("The statement id is also the id of statement %(index)d of this batch.")
                % {"index": seen[item.statement_id]}
            )
            item.storable = False
        elif item.statement_id:
            seen[item.statement_id] = item.index
    _find_stored(platform, [item for item in items if item.statement_id and item.storable])
    _resolve(
        platform,
        [item for item in items if not item.outcome and not item.duplicate and not item.conflict],
        hosts,
    )
    refused = [item for item in items if item.outcome == StatementOutcome.REFUSED]
    conflicts = [item for item in items if item.conflict and item.outcome != StatementOutcome.REFUSED]
    result = Ingest(
        counts={
            "recorded": 0,
            "ignored": 0,
            "refused": len(refused),
            "duplicates": sum(item.duplicate for item in items),
            "conflicts": len(conflicts),
        }
    )
    try:
        with transaction.atomic():
            if atomic and (refused or conflicts):
                _store(platform, [item for item in refused if item.statement_id], [])
                result.status = 400 if refused else 409
                result.problems = [item.problem for item in refused or conflicts]
                return result
            accepted = [
                item
                for item in items
                if item.outcome in (StatementOutcome.RECORDED, StatementOutcome.IGNORED)
            ]
            _store(platform, [*refused, *accepted], [item for item in accepted if item.entry])
    except IntegrityError:
        # Another request stored one of these ids (or completions) at the same moment.
        result.status = 409
        result.problems = [
            {
                "index": None,
                "id": None,
                "reason": _(
                    "Another request stored some of these statements at the same time; send them again."
                ),
            }
        ]
        return result
    result.counts["recorded"] = sum(item.outcome == StatementOutcome.RECORDED for item in items)
    result.counts["ignored"] = sum(item.outcome == StatementOutcome.IGNORED for item in items)
    result.ids = [str(item.statement_id) for item in items if item.statement_id and not item.conflict]
    result.problems = [item.problem for item in [*refused, *conflicts]]
    return result


def _find_stored(platform: LearningPlatform, items: list[Item]) -> None:
    by_id = {item.statement_id: item for item in items}
    for part in chunks(list(by_id)):
        for stored in XapiStatement.objects.filter(statement_id__in=part).only(
            "pk", "statement_id", "platform_id", "body", "outcome"
        ):
            item = by_id[stored.statement_id]
            if stored.outcome == StatementOutcome.REFUSED and stored.platform_id == platform.pk:
                item.existing = stored  # refused before: look at it again
            elif stored.platform_id == platform.pk and stored.body == item.body:
                item.duplicate = True
            else:
                item.conflict, item.storable = True, False
                if not item.outcome:
                    item.message = _("A different statement with this id is already stored.")


def _resolve(platform: LearningPlatform, items: list[Item], hosts: list[str]) -> None:
    """Each item's outcome: recorded (with its completion entry), ignored or refused."""
    wanted = []
    for item in items:
        if item.verb not in RECORDED_VERBS:
            item.outcome = StatementOutcome.IGNORED
            continue
        try:
            item.product_id = _product_id(item.body["object"], hosts)
            if item.product_id is None:
                item.outcome = StatementOutcome.IGNORED
                item.message = _("The object is not a training product.")
                continue
            _completion_values(item)
        except BadStatement as error:
            item.refuse(str(error))
            continue
        wanted.append(item)
    if not wanted:
        return
    products = {
        product.pk: product
        for product in platform_products(platform).filter(pk__in={item.product_id for item in wanted})
    }
    matcher = PersonMatcher(platform_people(platform)).load_emails(item.email for item in wanted)
    for item in wanted:
        product = products.get(item.product_id)
        if product is None:
            item.refuse(
                _("No product %(iri)s that this platform reports on.")
                % {"iri": item.body["object"]["id"][:120]}
            )
            continue
        if problem := product_problem(product):
            item.refuse(problem)
            continue
        person_id = matcher.by_email.get(item.email)
        if person_id is None:
            item.refuse(
                _("No person with the email %(email)s in this platform's scope.")
                % {"email": item.email[:120]}
            )
            continue
        item.outcome = StatementOutcome.RECORDED
        item.entry = Entry(
            person_id=person_id,
            member_id=matcher.member_of.get(person_id),
            product_id=product.pk,
            status=item.status,
            completed_on=item.completed_on,
            score=item.score,
            source=CompletionSource.XAPI,
            platform_id=platform.pk,
        )


def _store(platform: LearningPlatform, items: list[Item], recorded: list[Item]) -> None:
    """Record the completions, then store the statements (new rows, or refused rows sent again)."""
    writer = CompletionWriter()
    for item in recorded:
        writer.add(item.entry)
    writer.write(with_ids=True)
    now = timezone.now()
    new, again = [], []
    for item in items:
        if item.duplicate or not item.storable or item.statement_id is None:
            continue
        completion_id = writer.written.get(item.entry.key) if item.entry else None
        verb, message = item.verb[:VERB_LENGTH], item.message[:MESSAGE_LENGTH]
        if item.existing is not None:
            stored = item.existing
            stored.body, stored.verb, stored.outcome, stored.message = item.body, verb, item.outcome, message
            stored.completion_id, stored.updated_at = completion_id, now
            again.append(stored)
        else:
            new.append(
                (
                    item.statement_id,
                    platform.pk,
                    item.body,
                    verb,
                    item.outcome,
                    message,
                    completion_id,
                    now,
                    now,
                )
            )
    insert_rows(
        XapiStatement,
        [
            "statement_id",
            "platform",
            "body",
            "verb",
            "outcome",
            "message",
            "completion",
            "created_at",
            "updated_at",
        ],
        new,
    )
    if again:
        XapiStatement.objects.bulk_update(
            again, ["body", "verb", "outcome", "message", "completion", "updated_at"]
        )


# --- the endpoint --------------------------------------------------------------------------------


class PlatformTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`: the learning platform the token was given to."""

    def authenticate(self, request):
        scheme, _space, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        platform = platform_by_token(token.strip())
        if platform is None:
            raise exceptions.AuthenticationFailed(_("The platform token is not valid."))
        return AnonymousUser(), platform

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="xAPI"'


class PlatformTokenScheme(OpenApiAuthenticationExtension):
    target_class = "training.xapi.PlatformTokenAuthentication"
    name = "learningPlatformToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A learning platform's token, shown once when the platform is registered.",
        }


class ActivePlatform(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        platform = request.auth
        if not isinstance(platform, LearningPlatform):
            raise exceptions.NotAuthenticated(_("Send the platform's token: Authorization: Bearer <token>."))
        if not platform.is_active:
            raise exceptions.PermissionDenied(_("This learning platform is inactive."))
        return True


STATEMENT_SCHEMA = {
    "type": "object",
    "description": "An xAPI 1.0.3 statement.",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "actor": {"type": "object", "additionalProperties": True},
        "verb": {"type": "object", "additionalProperties": True},
        "object": {"type": "object", "additionalProperties": True},
        "result": {"type": "object", "additionalProperties": True},
        "timestamp": {"type": "string", "format": "date-time"},
    },
    "required": ["actor", "verb", "object"],
    "additionalProperties": True,
}
PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "statements": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "index": {"type": "integer", "nullable": True},
                    "id": {"type": "string", "nullable": True},
                    "reason": {"type": "string"},
                },
                "required": ["index", "id", "reason"],
            },
        },
    },
    "required": ["detail"],
}
ERROR_SCHEMA = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
EXAMPLE = {
    "id": "9e2b5f4c-3c1e-4f7a-9d3e-0a1b2c3d4e5f",
    "actor": {"objectType": "Agent", "mbox": "mailto:learner@customs.example"},
    "verb": {"id": VERB_PASSED, "display": {"en-US": "passed"}},
    "object": {"objectType": "Activity", "id": "urn:cbhub:product:42"},
    "result": {"score": {"scaled": 0.85}, "success": True},
    "timestamp": "2026-03-01T10:00:00Z",
}


class StatementsView(APIView):
    """xAPI statements from a learning platform (see `training.xapi`)."""

    authentication_classes = [PlatformTokenAuthentication]
    permission_classes = [ActivePlatform]
    parser_classes = [JSONParser]  # documented only: the body is read by `parse_json`
    throttle_classes: list = []

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["X-Experience-API-Version"] = XAPI_VERSION
        return response

    @extend_schema(
        operation_id="training_xapi_statements_create",
        tags=["training"],
        summary="Send xAPI statements",
        description=(
            "One xAPI 1.0.3 statement or a list (at most 1,000, 1 MB), from a learning platform "
            "(`Authorization: Bearer <token>`). Completed and passed statements about a product "
            "(`urn:cbhub:product:<id>`) are recorded as completions of the learner (mbox or account "
            "name: their email). A batch is atomic: one refused statement refuses the batch (400)."
        ),
        request={
            "application/json": {"oneOf": [STATEMENT_SCHEMA, {"type": "array", "items": STATEMENT_SCHEMA}]}
        },
        responses={
            200: OpenApiResponse(
                {"type": "array", "items": {"type": "string", "format": "uuid"}},
                description="The ids of the statements, in the order sent.",
            ),
            400: OpenApiResponse(PROBLEM_SCHEMA, description="Malformed, or some statements were refused."),
            401: OpenApiResponse(ERROR_SCHEMA, description="No platform token, or not a valid one."),
            403: OpenApiResponse(ERROR_SCHEMA, description="The platform is inactive."),
            409: OpenApiResponse(
                PROBLEM_SCHEMA, description="A statement id is already stored with another body."
            ),
            413: OpenApiResponse(ERROR_SCHEMA, description="More than 1 MB or more than 1,000 statements."),
        },
        examples=[OpenApiExample("A passed module", value=EXAMPLE, request_only=True)],
    )
    def post(self, request):
        version = request.META.get("HTTP_X_EXPERIENCE_API_VERSION", "").strip()
        if version and not VERSION.match(version):
            return _problem(
                400,
                _("This endpoint speaks xAPI 1.0.3; the version %(version)s is not supported.")
                % {"version": version[:20]},
            )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            return _problem(413, _("The body is larger than 1 MB; send fewer statements at a time."))
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return _problem(400, _("Send the statements as application/json."))
        data = request._request.body
        if len(data) > MAX_BODY_BYTES:
            return _problem(413, _("The body is larger than 1 MB; send fewer statements at a time."))
        try:
            value = parse_json(data)
        except ValueError:
            return _problem(400, _("The body is not valid JSON."))
        statements = value if isinstance(value, list) else [value]
        if not statements:
            return _problem(400, _("The list of statements is empty."))
        if len(statements) > MAX_STATEMENTS:
            return _problem(413, _("At most %(limit)d statements at a time.") % {"limit": MAX_STATEMENTS})
        result = statements_ingest(request.auth, statements)
        if result.status == 200:
            return Response(result.ids, status=200)
        detail = (
            _("Some statements were refused; nothing of this batch was recorded.")
            if result.status == 400
            else _(
                "Some statement ids are already stored with another statement; nothing of this batch "
                "was recorded."
            )
        )
        return Response({"detail": detail, "statements": result.problems}, status=result.status)


def _problem(status: int, detail: str) -> Response:
    return Response({"detail": detail}, status=status)


# --- the job -------------------------------------------------------------------------------------


def xapi_file_enqueue(
    *, user, platform: LearningPlatform, name: str = "", content: bytes | None = None, path: str = ""
):
    """Ingest a JSON-lines file of statements as `platform` sent them: uploaded `content` (kept in
    storage until the job has read it, at most UPLOAD_MAX_BYTES), or a file on the server (`path`,
    for commands). Those who may record the platform's completions: the Secretariat, and the
    coordinators of the platform's office."""
    if not (can(user, Action.VIEW, platform) and can_add_any(user, Completion)):
        raise DjangoPermissionDenied(_("You may not send statements for this platform."))
    payload: dict[str, Any] = {"platform": platform.pk, "name": name or Path(path).name}
    if content is not None:
        if len(content) > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)d MB.")
                % {"limit": settings.UPLOAD_MAX_BYTES // 1024 // 1024}
            )
        payload["storage_name"] = default_storage.save(
            f"uploads/xapi/{uuid.uuid4().hex}.jsonl", ContentFile(content)
        )
    elif path:
        payload["path"] = str(path)
    else:
        raise ValidationError(_("Give the file of statements."))
    return job_enqueue(kind=XAPI_INGEST, payload=payload, user=user)


def _lines(payload: dict):
    if payload.get("storage_name"):
        stream = default_storage.open(payload["storage_name"], "rb")
    else:
        stream = open(payload["path"], "rb")  # noqa: SIM115 - closed below
    with stream:
        yield from enumerate(stream, start=1)


@job_handler(XAPI_INGEST)
def run_xapi_ingest(job, progress) -> None:
    """payload: {"platform", "name", "storage_name" | "path"}: one statement per line, in chunks."""
    platform = (
        LearningPlatform.objects.select_related("office").filter(pk=job.payload.get("platform")).first()
    )
    if platform is None or not platform.is_active:
        progress.item(job.payload.get("name", ""), "failed", _("This learning platform is inactive."))
        return
    totals = {"recorded": 0, "ignored": 0, "refused": 0, "duplicates": 0, "conflicts": 0}
    reported = 0
    hosts = allowed_hosts()

    def flush(batch: list[tuple[int, Any]]) -> None:
        nonlocal reported
        result = statements_ingest(platform, [body for _number, body in batch], atomic=False, hosts=hosts)
        for name in totals:
            totals[name] += result.counts.get(name, 0)
        for problem in result.problems:
            reported += 1
            if reported <= MAX_REPORTED:
                line = batch[problem["index"] if problem["index"] is not None else 0][0]
                progress.item(_("line %(line)d") % {"line": line}, "failed", problem["reason"])
        progress.note(_("%(lines)d lines read.") % {"lines": batch[-1][0]})

    batch: list[tuple[int, Any]] = []
    try:
        for number, line in _lines(job.payload):
            if not line.strip():
                continue
            if len(line) > MAX_LINE_BYTES:
                totals["refused"] += 1
                reported += 1
                if reported <= MAX_REPORTED:
                    progress.item(
                        _("line %(line)d") % {"line": number}, "failed", _("The line is longer than 1 MB.")
                    )
                continue
            try:
                batch.append((number, parse_json(line)))
            except ValueError:
                totals["refused"] += 1
                reported += 1
                if reported <= MAX_REPORTED:
                    progress.item(
                        _("line %(line)d") % {"line": number}, "failed", _("The line is not valid JSON.")
                    )
                continue
            if len(batch) >= JOB_CHUNK:
                flush(batch)
                batch = []
        if batch:
            flush(batch)
    except OSError as error:
        progress.item(
            job.payload.get("name", ""),
            "failed",
            _("The file could not be read (%(error)s).") % {"error": error.strerror or error},
        )
    finally:
        if job.payload.get("storage_name"):
            try:
                default_storage.delete(job.payload["storage_name"])
            except OSError:
                pass
    job.result = totals
    job.save(update_fields=["result", "updated_at"])
    progress.item(
        job.payload.get("name", ""),
        "created",
        _(
            "%(recorded)d completions recorded, %(ignored)d statements ignored, %(refused)d refused, "
            "%(duplicates)d already stored."
        )
        % totals,
    )
