"""Ingestion: files in, documents out. Extract the text, detect the language, cut it into chunks,
embed them, store the document (or a new version of it), and suggest topics.

Files are processed in groups so the model embeds many chunks per call. Each file's outcome is
reported to the job; a file that fails (damaged, encrypted, no text, too big, wrong extension)
is reported with the reason and the rest go on. The content hash makes a re-run a no-op.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.permissions import Action, can
from core.uploads import safe_filename
from knowledge.embeddings import embed, to_bytes
from knowledge.extraction import CONTENT_TYPES, ExtractionError, extract_text
from knowledge.models import Chunk, Document, DocumentKind, DocumentStatus, DocumentVersion, Visibility
from knowledge.text import chunk_text, detect_language
from knowledge.vectors import bump_generation
from network.models import Member, Office, Region
from topics.models import Topic

GROUP = 32


@dataclass
class Incoming:
    """One file to ingest, with its metadata as given (strings, from a form or a CSV sidecar)."""

    name: str
    content: bytes
    metadata: dict = field(default_factory=dict)
    source_key: str = ""


@dataclass
class Prepared:
    incoming: Incoming
    values: dict
    relations: dict
    kind: str
    text: str
    sha256: str
    chunks: list[str]
    document: Document | None = None


def parse_metadata(metadata: dict, name: str) -> tuple[dict, dict]:
    """Model values and many-to-many relations from string metadata; ValidationError lists what is wrong."""
    errors, values, relations = [], {}, {}
    values["title"] = (metadata.get("title") or name.rsplit(".", 1)[0].replace("_", " ")).strip()[:300]
    kind = (metadata.get("kind") or DocumentKind.OTHER).strip()
    if kind not in DocumentKind.values:
        errors.append(_("Unknown kind “%(value)s”.") % {"value": kind})
    values["kind"] = kind
    visibility = (metadata.get("visibility") or Visibility.NETWORK).strip()
    if visibility not in Visibility.values:
        errors.append(_("Unknown visibility “%(value)s”.") % {"value": visibility})
    values["visibility"] = visibility
    if metadata.get("date"):
        try:
            values["date"] = datetime.date.fromisoformat(str(metadata["date"])[:10])
        except ValueError:
            errors.append(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": metadata["date"]})
    values["author_names"] = (metadata.get("authors") or "")[:500]
    lookups = (("region", Region, "slug"), ("office", Office, "code"), ("member", Member, "iso_alpha2"))
    for key, model, field_name in lookups:
        value = metadata.get(key)
        if value:
            found = (
                value
                if isinstance(value, model)
                else model.objects.filter(**{f"{field_name}__iexact": value}).first()
            )
            if found is None:
                errors.append(_("Unknown %(field)s “%(value)s”.") % {"field": key, "value": value})
            values[key] = found
    if metadata.get("activity"):
        from activities.models import Activity

        activity = (
            Activity.objects.filter(pk=str(metadata["activity"])).first()
            if str(metadata["activity"]).isdigit()
            else None
        )
        if activity is None:
            errors.append(_("Unknown activity “%(value)s”.") % {"value": metadata["activity"]})
        values["activity"] = activity
    if values.get("region") is None:
        # A document of an office or an administration belongs to its region.
        anchor = values.get("office") or values.get("member")
        values["region"] = anchor.region if anchor is not None else None
    if visibility == Visibility.REGION and values.get("region") is None:
        errors.append(_("A region-only document needs a region, office or member administration."))
    topic_slugs = [
        slug.strip()
        for slug in str(metadata.get("topics") or "").replace(",", ";").split(";")
        if slug.strip()
    ]
    topics = list(Topic.objects.filter(slug__in=topic_slugs))
    unknown = set(topic_slugs) - {topic.slug for topic in topics}
    if unknown:
        errors.append(_("Unknown topics: %(slugs)s.") % {"slugs": ", ".join(sorted(unknown))})
    relations["topics"] = topics
    office_codes = [
        code.strip() for code in str(metadata.get("restricted_offices") or "").split(";") if code.strip()
    ]
    relations["restricted_offices"] = list(Office.objects.filter(code__in=office_codes))
    if visibility == Visibility.RESTRICTED and not office_codes and not metadata.get("restricted_users"):
        errors.append(_("A restricted document needs the offices or users who may see it."))
    relations["restricted_users"] = list(metadata.get("restricted_users") or [])
    if errors:
        raise ValidationError(errors)
    return values, relations


def _existing(incoming: Incoming, sha256: str, user) -> tuple[Document | None, bool]:
    """(document to add a version to, whether this exact content is already there).

    Only documents the uploader may see count as "already there": the answer must not confirm that
    a document they may not read holds these bytes. (A management-command import has no user.)
    """
    documents = Document.objects.all() if user is None else Document.objects.restrict(user, Action.VIEW)
    same_content = documents.filter(versions__sha256=sha256).first()
    if same_content is not None:
        return same_content, True
    if incoming.source_key:
        return Document.objects.filter(source_key=incoming.source_key).first(), False
    return None, False


def prepare(incoming: Incoming, user) -> Prepared | str:
    """Everything but the embedding and the writes; a string is the reason the file is refused."""
    try:
        values, relations = parse_metadata(incoming.metadata, incoming.name)
        kind, text = extract_text(incoming.name, incoming.content)
    except ValidationError as error:
        return " ".join(error.messages)
    except ExtractionError as error:
        return str(error)
    probe = Document(**{key: value for key, value in values.items()}, uploaded_by=user)
    if user is not None and not can(user, Action.ADD, probe):
        return _("You may not add documents for this region or office.")
    sha256 = hashlib.sha256(incoming.content).hexdigest()
    return Prepared(incoming, values, relations, kind, text, sha256, chunk_text(text))


def _store(item: Prepared, vectors, user) -> tuple[Document, str]:
    """Write one document (or its new version) with its chunks; the caller holds the transaction."""
    document, outcome = item.document, "updated"
    if document is None:
        document, outcome = Document(uploaded_by=user, source_key=item.incoming.source_key), "created"
    for key, value in item.values.items():
        setattr(document, key, value)
    document.text = item.text
    document.language = detect_language(item.text)
    document.status = DocumentStatus.READY
    # Related rows were looked up while parsing the metadata; only the fields need checking here.
    document.full_clean(exclude=["text", "region", "office", "member", "activity", "uploaded_by"])
    document.save()
    for name, related in item.relations.items():
        if related or outcome == "updated":
            getattr(document, name).set(related)
    number = 1
    if outcome == "updated":
        number += document.versions.order_by("-number").values_list("number", flat=True).first() or 0
        document.chunks.all().delete()
    version = DocumentVersion(
        document=document,
        number=number,
        filename=safe_filename(item.incoming.name, max_bytes=255),
        content_type=CONTENT_TYPES[item.kind],
        size=len(item.incoming.content),
        sha256=item.sha256,
        uploaded_by=user,
    )
    version.file.save(safe_filename(item.incoming.name), ContentFile(item.incoming.content), save=False)
    version.save()
    Chunk.objects.bulk_create(
        [
            Chunk(document=document, ordinal=ordinal, text=text, embedding=to_bytes(vector))
            for ordinal, (text, vector) in enumerate(zip(item.chunks, vectors, strict=True))
        ]
    )
    return document, outcome


class QuietProgress:
    """A progress sink for an ingestion run inside a request or a command: it keeps only the last
    item reported (`last`: name, status, reason), for the caller to say why a file was refused."""

    last: tuple = ()

    def item(self, *args, **kwargs):
        self.last = args

    def set_total(self, total):
        pass


def ingest(incomings: list[Incoming], *, user, progress) -> list[Document]:
    """Ingest files, reporting each one's outcome to `progress` (see jobs.services.Progress)."""
    from knowledge.topic_suggestions import TopicRanker

    # The topics are embedded once, and only when a file is stored: a job whose files are all refused
    # (a hostile upload) costs no model time.
    ranker, stored = None, []
    for start in range(0, len(incomings), GROUP):
        ready: list[Prepared] = []
        for incoming in incomings[start : start + GROUP]:
            item = prepare(incoming, user)
            if isinstance(item, str):
                progress.item(incoming.name, "failed", item)
                continue
            item.document, unchanged = _existing(incoming, item.sha256, user)
            if unchanged:
                progress.item(
                    incoming.name,
                    "unchanged",
                    _("Already in the knowledge base."),
                    url=item.document.get_absolute_url(),
                )
                continue
            ready.append(item)
        if not ready:
            continue
        ranker = ranker or TopicRanker()
        vectors = embed([chunk for item in ready for chunk in item.chunks])
        offset, outcomes = 0, []
        # One transaction per group (a savepoint per document), not one commit per document.
        with transaction.atomic():
            for item in ready:
                item_vectors = vectors[offset : offset + len(item.chunks)]
                offset += len(item.chunks)
                try:
                    with transaction.atomic():
                        document, outcome = _store(item, item_vectors, user)
                        ranker.suggest(document, item_vectors, replace=outcome == "updated")
                except ValidationError as error:
                    outcomes.append((item.incoming.name, "failed", " ".join(error.messages), ""))
                    continue
                stored.append(document)
                outcomes.append((item.incoming.name, outcome, "", document.get_absolute_url()))
            bump_generation()
        for name, outcome, reason, url in outcomes:
            progress.item(name, outcome, reason, **({"url": url} if url else {}))
    return stored
