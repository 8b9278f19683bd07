"""REST endpoints under /api/meetings/: meetings, their agenda items, decisions and action items.
Read-only: meetings and their outcomes are written on the pages, through meetings.services.

What a caller sees is what the policies give them (`meetings.policies`): the public sees the
meetings, their agendas and the adopted decisions marked public; participants and organisers the
drafts and the actions. Two relations are read through restricted querysets, never the plain
relation: an item's documents and an action's progress updates."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import routers, serializers

from core.api import ScopedReadOnlyViewSet
from knowledge.models import Document
from meetings.filtersets import ActionFilterSet, AgendaItemFilterSet, DecisionFilterSet, MeetingFilterSet
from meetings.models import (
    OPEN_ACTIONS,
    ActionItem,
    AgendaItem,
    Decision,
    Meeting,
    MeetingMode,
    ProgressUpdate,
)

# Numbers as plain integers: the model's small-integer bounds differ between SQLite and
# PostgreSQL, and the schema must be one and the same on both.


# The format's choices are those of an activity's delivery mode (`DeliveryModeEnum`), under another
# name: described by their values, the schema names them apart without a collision warning.
@extend_schema_field(
    {
        "type": "string",
        "enum": MeetingMode.values,
        "description": "\n".join(f"* `{value}` - {label}" for value, label in MeetingMode.choices),
    }
)
class MeetingModeField(serializers.ChoiceField):
    pass


class MeetingSerializer(serializers.ModelSerializer):
    mode = MeetingModeField(choices=MeetingMode.choices, read_only=True)
    number = serializers.IntegerField(read_only=True, allow_null=True)
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisers = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "region",
            "series",
            "number",
            "title",
            "starts_on",
            "ends_on",
            "mode",
            "venue",
            "host_member",
            "host_office",
            "organisers",
            "languages",
            "status",
        ]
        read_only_fields = fields


class MeetingViewSet(ScopedReadOnlyViewSet):
    queryset = Meeting.objects.select_related("region").prefetch_related("organisers")
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet


class AgendaItemSerializer(serializers.ModelSerializer):
    position = serializers.IntegerField(read_only=True)
    minutes = serializers.IntegerField(read_only=True, allow_null=True)
    documents = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "position",
            "kind",
            "title",
            "presenters",
            "starts_at",
            "minutes",
            "documents",
            "summary",
        ]
        read_only_fields = fields

    def get_documents(self, item) -> list[int]:
        """The ids of the item's documents that the caller may see."""
        return [document.pk for document in getattr(item, "visible_documents", [])]


def visible_documents(user) -> Prefetch:
    return Prefetch(
        "documents", queryset=Document.objects.restrict(user).only("pk"), to_attr="visible_documents"
    )


class AgendaItemViewSet(ScopedReadOnlyViewSet):
    """Agenda items in order, with the documents the caller may see."""

    queryset = AgendaItem.objects.all()
    serializer_class = AgendaItemSerializer
    filterset_class = AgendaItemFilterSet

    def get_queryset(self):
        return super().get_queryset().prefetch_related(visible_documents(self.request.user))

    def get_object(self):
        item = super().get_object()
        # get_object reads from the unrestricted base queryset: fetch the visible documents here.
        item.visible_documents = list(Document.objects.restrict(self.request.user).filter(agenda_items=item))
        return item


class DecisionSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True, help_text='"18/3" once adopted; "draft" before.')
    number = serializers.IntegerField(read_only=True, allow_null=True)
    state = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "meeting", "item", "reference", "number", "kind", "state", "text_en", "text_fr"]
        read_only_fields = fields


class DecisionViewSet(ScopedReadOnlyViewSet):
    queryset = Decision.objects.select_related("meeting", "state")
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilterSet


class ProgressUpdateSerializer(serializers.ModelSerializer):
    """The latest progress; the status it set is the action's own `status`."""

    class Meta:
        model = ProgressUpdate
        fields = ["on", "text"]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer):
    owners = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    decision_reference = serializers.CharField(source="decision.reference", read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()
    latest_update = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "item",
            "decision",
            "decision_reference",
            "what",
            "owners",
            "due_on",
            "status",
            "reason",
            "overdue",
            "latest_update",
        ]
        read_only_fields = fields

    def get_overdue(self, action) -> bool:
        return bool(action.status in OPEN_ACTIONS and action.due_on and action.due_on < timezone.localdate())

    @extend_schema_field(ProgressUpdateSerializer(allow_null=True))
    def get_latest_update(self, action):
        updates = getattr(action, "visible_updates", [])
        return ProgressUpdateSerializer(updates[0]).data if updates else None


def visible_updates(user) -> Prefetch:
    """The progress updates of each action the user may see, newest first (one query)."""
    return Prefetch(
        "updates",
        queryset=ProgressUpdate.objects.restrict(user).order_by("-on", "-pk"),
        to_attr="visible_updates",
    )


class ActionViewSet(ScopedReadOnlyViewSet):
    """Action items in the caller's scope, with their owner offices and latest progress."""

    queryset = ActionItem.objects.select_related("decision__meeting").prefetch_related("owners")
    serializer_class = ActionSerializer
    filterset_class = ActionFilterSet

    def get_queryset(self):
        # An action with two matching owners would be listed twice: one row per action.
        return super().get_queryset().distinct().prefetch_related(visible_updates(self.request.user))

    def get_object(self):
        action = super().get_object()
        action.visible_updates = list(
            ProgressUpdate.objects.restrict(self.request.user).filter(action=action).order_by("-on", "-pk")
        )
        return action


router = routers.DefaultRouter()
router.register("meetings", MeetingViewSet)
router.register("items", AgendaItemViewSet)
router.register("decisions", DecisionViewSet)
router.register("actions", ActionViewSet)
