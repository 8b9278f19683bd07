"""The knowledge base: documents with versions, their extracted text in chunks with embeddings,
and topic suggestions awaiting a curator.

Full-text indexes are vendor-specific and created by migration 0002: an FTS5 table on SQLite, a
generated tsvector column with a GIN index on PostgreSQL. Embeddings are stored per chunk as float32
bytes and searched by `knowledge.vectors`.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import ScopedModel


class DocumentKind(models.TextChoices):
    ANNUAL_REPORT = "annual_report", _("Annual report")
    GOOD_PRACTICE = "good_practice", _("Good-practice report")
    NEWSLETTER_ESSAY = "newsletter_essay", _("Newsletter essay")
    MISSION_REPORT = "mission_report", _("Mission report")
    WORKSHOP_MATERIAL = "workshop_material", _("Workshop material")
    STUDY_PAPER = "study_paper", _("Study paper")
    CONFERENCE_PAPER = "conference_paper", _("Conference paper")
    RESEARCH_PAPER = "research_paper", _("Research paper")
    MEETING_RECORD = "meeting_record", _("Meeting record")
    OTHER = "other", _("Other")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    NETWORK = "network", _("Whole network (signed-in users)")
    REGION = "region", _("Region")
    RESTRICTED = "restricted", _("Named offices and users")
    # Another app knows this audience: the meetings app grants it to the participants of the
    # meetings whose agenda tables the document (`knowledge.policies.register_audience`).
    PARTICIPANTS = "participants", _("Participants of the meetings it is tabled at")


class DocumentStatus(models.TextChoices):
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Document(ScopedModel):
    """A report, paper or material of the network, with its current extracted text."""

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER
    )
    status = models.CharField(
        _("status"), max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.PROCESSING
    )
    date = models.DateField(_("date"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True, db_index=True)
    author_names = models.CharField(_("authors"), max_length=500, blank=True)
    author_people = models.ManyToManyField(
        "people.Person", blank=True, related_name="documents", verbose_name=_("authors (people)")
    )
    author_offices = models.ManyToManyField(
        "network.Office", blank=True, related_name="authored_documents", verbose_name=_("authors (offices)")
    )
    author_members = models.ManyToManyField(
        "network.Member",
        blank=True,
        related_name="authored_documents",
        verbose_name=_("authors (administrations)"),
    )
    region = models.ForeignKey(
        "network.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("region"),
    )
    office = models.ForeignKey(
        "network.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("office"),
    )
    member = models.ForeignKey(
        "network.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("member administration"),
    )
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("activity"),
    )
    topics = models.ManyToManyField(
        "topics.Topic", blank=True, related_name="documents", verbose_name=_("topics")
    )
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.NETWORK
    )
    restricted_offices = models.ManyToManyField(
        "network.Office",
        blank=True,
        related_name="restricted_documents",
        verbose_name=_("offices that may see it"),
    )
    restricted_users = models.ManyToManyField(
        "accounts.User",
        blank=True,
        related_name="restricted_documents",
        verbose_name=_("users who may see it"),
    )
    uploaded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploaded_documents",
        verbose_name=_("uploaded by"),
    )
    source_key = models.CharField(
        _("source key"),
        max_length=300,
        blank=True,
        db_index=True,
        help_text=_("Identifies the document across imports (e.g. its file path)."),
    )
    text = models.TextField(_("extracted text"), blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        # The list of recent documents is the ready ones, newest first (read backwards).
        indexes = [
            models.Index(fields=["visibility", "region"]),
            models.Index(fields=["kind", "date"]),
            models.Index(fields=["status", "date", "id"], name="document_ready_newest"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:document_detail", args=[self.pk])

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()


class DocumentVersion(ScopedModel):
    """One uploaded file of a document; a new file with different content is a new version."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(default=1)
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="one_version_number")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    def get_absolute_url(self) -> str:
        return self.document.get_absolute_url()


class Chunk(ScopedModel):
    """A passage of a document's current text with its embedding (float32 bytes)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="chunks")
    ordinal = models.PositiveIntegerField()
    text = models.TextField()
    embedding = models.BinaryField()

    class Meta:
        ordering = ["document", "ordinal"]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.ordinal}"

    def get_absolute_url(self) -> str:
        return self.document.get_absolute_url()


class SuggestionStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class TopicSuggestion(ScopedModel):
    """A topic the system proposes for a document, until a curator confirms or rejects it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="topic_suggestions")
    topic = models.ForeignKey("topics.Topic", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.SUGGESTED
    )
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["document", "-score"]
        constraints = [models.UniqueConstraint(fields=["document", "topic"], name="one_suggestion_per_topic")]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.topic_id} ({self.score:.2f})"

    def get_absolute_url(self) -> str:
        return self.document.get_absolute_url()


class IndexGeneration(models.Model):
    """A stamp renewed whenever chunks change, so every process knows when to reload its vectors."""

    generation = models.BigIntegerField(default=0)

    objects = models.Manager()

    class Meta:
        verbose_name = _("index generation")

    def __str__(self) -> str:
        return str(self.generation)
