"""REST endpoints for activities, requests, nominations, participations and the catalogue.

Writes go through activities.services, the same functions the pages use.
"""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import routers, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from activities import services
from activities.filtersets import (
    ActivityFilterSet,
    ParticipationFilterSet,
    RequestFilterSet,
    ServiceFilterSet,
)
from activities.models import (
    Activity,
    AssistanceRequest,
    Nomination,
    Participation,
    Programme,
    ServiceItem,
    Status,
    newest_activity_first,
)
from core.api import ScopedModelViewSet, ScopedReadOnlyViewSet
from network.models import Member, Office
from topics.models import Topic


class ActivitySerializer(serializers.ModelSerializer):
    lead_office = serializers.SlugRelatedField(slug_field="code", queryset=Office.objects.all())
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    host_member = serializers.SlugRelatedField(
        slug_field="iso_alpha2", queryset=Member.objects.all(), allow_null=True, required=False
    )
    beneficiary_members = serializers.SlugRelatedField(
        slug_field="iso_alpha2", queryset=Member.objects.all(), many=True, required=False
    )
    topics = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), many=True, required=False
    )
    organising_offices = serializers.SlugRelatedField(
        slug_field="code", queryset=Office.objects.all(), many=True, required=False
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "kind",
            "status",
            "project",
            "lead_office",
            "organising_offices",
            "region",
            "host_member",
            "beneficiary_members",
            "topics",
            "start_date",
            "end_date",
            "venue",
            "city",
            "delivery_mode",
            "languages",
            "objectives",
            "expected_results",
            "funding_agreement",
            "budget_amount",
            "budget_currency",
            "actual_cost",
            "actual_currency",
        ]
        read_only_fields = ["status", "region"]


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Status.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ActivityViewSet(ScopedModelViewSet):
    """Activities; filters as on the list page (?kind=, ?status=, ?region=, ?office=, ?topic=, ?year=)."""

    queryset = Activity.objects.select_related("lead_office", "region", "host_member").prefetch_related(
        "topics", "beneficiary_members", "organising_offices"
    )
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet

    def perform_create(self, serializer):
        serializer.instance = services.activity_create(
            user=self.request.user, data=dict(serializer.validated_data)
        )

    def perform_update(self, serializer):
        serializer.instance = services.activity_update(
            user=self.request.user, activity=serializer.instance, data=dict(serializer.validated_data)
        )

    @extend_schema(request=TransitionSerializer, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the activity through its lifecycle; an illegal move is a 400 that says why."""
        activity = self.get_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        activity = services.activity_transition(
            user=request.user, activity=activity, **payload.validated_data
        )
        return Response(ActivitySerializer(activity).data)


class RequestSerializer(serializers.ModelSerializer):
    member = serializers.SlugRelatedField(slug_field="iso_alpha2", queryset=Member.objects.all())
    service = serializers.SlugRelatedField(slug_field="code", queryset=ServiceItem.objects.all())
    topics = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), many=True, required=False
    )

    class Meta:
        model = AssistanceRequest
        fields = [
            "id",
            "member",
            "service",
            "topics",
            "need_statement",
            "urgency",
            "status",
            "decision_reason",
            "merged_into",
            "activity",
            "created_at",
        ]
        read_only_fields = ["status", "decision_reason", "merged_into", "activity", "created_at"]


class RequestViewSet(ScopedModelViewSet):
    """Member assistance requests: focal points see their administration's, ROCB officers their region's."""

    queryset = AssistanceRequest.objects.select_related("member", "service").prefetch_related("topics")
    serializer_class = RequestSerializer
    filterset_class = RequestFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.request_submit(user=self.request.user, **serializer.validated_data)


class NominationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Nomination
        fields = ["id", "activity", "person", "member", "status", "decision_reason", "created_at"]
        read_only_fields = ["status", "decision_reason", "created_at"]


class NominationViewSet(ScopedModelViewSet):
    """Nominations; a duplicate nomination is a 400."""

    queryset = Nomination.objects.select_related("person", "member")
    serializer_class = NominationSerializer
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["activity", "status"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.nomination_create(
            user=self.request.user,
            activity=data["activity"],
            person=data["person"],
            member=data.get("member"),
        )


class ParticipationSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.__str__", read_only=True)
    member = serializers.SlugRelatedField(slug_field="iso_alpha2", read_only=True)

    class Meta:
        model = Participation
        fields = ["id", "activity", "person", "person_name", "member", "role", "gender", "attendance"]
        read_only_fields = ["activity", "person", "role", "gender"]


class ParticipationViewSet(ScopedModelViewSet):
    """Participations; PATCH `attendance` to record it."""

    queryset = newest_activity_first(Participation.objects.select_related("person", "member"))
    serializer_class = ParticipationSerializer
    filterset_class = ParticipationFilterSet
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer):
        attendance = serializer.validated_data.get("attendance")
        if attendance is None:
            raise ValidationError({"attendance": "Send the attendance to record."})
        serializer.instance = services.participation_set_attendance(
            user=self.request.user, participation=serializer.instance, attendance=attendance
        )


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceItem
        fields = ["id", "code", "name_en", "name_fr", "category", "is_active"]


class ServiceViewSet(ScopedModelViewSet):
    """The service catalogue; the Secretariat edits it."""

    queryset = ServiceItem.objects.all()
    serializer_class = ServiceSerializer
    filterset_class = ServiceFilterSet


class ProgrammeSerializer(serializers.ModelSerializer):
    lead_office = serializers.SlugRelatedField(slug_field="code", queryset=Office.objects.all())

    class Meta:
        model = Programme
        fields = ["id", "code", "title", "description", "lead_office", "start_date", "end_date"]


class ProgrammeViewSet(ScopedReadOnlyViewSet):
    queryset = Programme.objects.select_related("lead_office")
    serializer_class = ProgrammeSerializer


router = routers.DefaultRouter()
router.register("activities", ActivityViewSet)
router.register("requests", RequestViewSet)
router.register("nominations", NominationViewSet)
router.register("participations", ParticipationViewSet)
router.register("services", ServiceViewSet)
router.register("programmes", ProgrammeViewSet)
