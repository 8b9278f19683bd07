"""REST endpoints under /api/experts/: profiles, pools, accreditations, unavailability, deployments
and slots with their shortlist. Lists use the pages' FilterSets; writes go through experts.services."""

from django.db.models import BooleanField, Case, Value, When
from drf_spectacular.utils import extend_schema
from rest_framework import routers, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ScopedModelViewSet, ScopedReadOnlyViewSet
from experts import services
from experts.filtersets import DeploymentFilterSet, ExpertFilterSet, PoolFilterSet
from experts.models import (
    Accreditation,
    Deployment,
    ExpertLanguage,
    ExpertProfile,
    Pool,
    Slot,
    Unavailability,
)
from experts.policies import may_see_private, private_profiles


class LanguageSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExpertLanguage
        fields = ["language", "level"]


class ProfileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.__str__", read_only=True)
    home_member = serializers.SlugRelatedField(slug_field="iso_alpha2", read_only=True)
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    languages = LanguageSerializer(many=True, read_only=True)
    email = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    # Explicit bounds: the model field's come from the database (32767 on PostgreSQL, 2**63 on
    # SQLite), and the API schema must be one and the same on both.
    years_experience = serializers.IntegerField(min_value=0, max_value=60, required=False)

    class Meta:
        model = ExpertProfile
        fields = [
            "id",
            "name",
            "home_member",
            "region",
            "current_post",
            "topics",
            "expertise",
            "instruments",
            "years_experience",
            "languages",
            "email",
            "phone",
            "confirmed_at",
        ]
        read_only_fields = ["confirmed_at"]

    def _private(self, profile) -> bool:
        request = self.context.get("request")
        if not request:
            return False
        annotated = getattr(profile, "private", None)  # ProfileViewSet's lists: read with the rows
        return annotated if annotated is not None else may_see_private(request.user, profile)

    def get_email(self, profile) -> str | None:
        return profile.person.email if self._private(profile) else None

    def get_phone(self, profile) -> str | None:
        return profile.phone if self._private(profile) else None


class ProfileViewSet(ScopedModelViewSet):
    """Expert profiles in the caller's scope; contact details only where the caller may see them."""

    queryset = ExpertProfile.objects.select_related("person", "home_member", "region").prefetch_related(
        "topics", "languages"
    )
    serializer_class = ProfileSerializer
    filterset_class = ExpertFilterSet
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        """Whether the caller may see each profile's private fields, in the same query as the rows
        (not one query per row and field)."""
        condition = private_profiles(self.request.user)
        if condition is None or not condition:
            private = Value(condition is not None)
        else:
            private = Case(
                When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        return super().get_queryset().annotate(private=private)

    def perform_update(self, serializer):
        serializer.instance = services.profile_update(
            user=self.request.user, profile=serializer.instance, data=dict(serializer.validated_data)
        )


class PoolSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    specialty = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Pool
        fields = ["id", "code", "name", "name_fr", "kind", "specialty", "region", "description"]


class PoolViewSet(ScopedReadOnlyViewSet):
    queryset = Pool.objects.select_related("region", "specialty")
    serializer_class = PoolSerializer
    filterset_class = PoolFilterSet


class AccreditationSerializer(serializers.ModelSerializer):
    pool = serializers.SlugRelatedField(slug_field="code", read_only=True)
    accredited = serializers.SerializerMethodField()

    class Meta:
        model = Accreditation
        fields = ["id", "profile", "pool", "status", "accredited_on", "expires_on", "accredited"]

    def get_accredited(self, accreditation) -> bool:
        return services.is_accredited(accreditation)


class AccreditationViewSet(ScopedReadOnlyViewSet):
    queryset = Accreditation.objects.select_related("pool")
    serializer_class = AccreditationSerializer
    filterset_fields = ["profile", "status"]


class UnavailabilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Unavailability
        fields = ["id", "profile", "start_date", "end_date", "reason"]


class UnavailabilityViewSet(ScopedModelViewSet):
    """Declared unavailable periods; POST declares one (the expert or their administration)."""

    queryset = Unavailability.objects.all()
    serializer_class = UnavailabilitySerializer
    filterset_fields = ["profile"]
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.unavailability_declare(
            user=self.request.user,
            profile=data["profile"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            reason=data.get("reason", ""),
        )


class DeploymentSerializer(serializers.ModelSerializer):
    activity = serializers.IntegerField(source="slot.activity_id", read_only=True)
    role = serializers.CharField(source="slot.role", read_only=True)

    class Meta:
        model = Deployment
        fields = ["id", "slot", "activity", "role", "profile", "status", "start_date", "end_date"]


class DeploymentViewSet(ScopedReadOnlyViewSet):
    queryset = Deployment.objects.select_related("slot")
    serializer_class = DeploymentSerializer
    filterset_class = DeploymentFilterSet


class SlotSerializer(serializers.ModelSerializer):
    pool = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Slot
        fields = ["id", "activity", "role", "pool", "language", "terms_of_reference"]


class CandidateSerializer(serializers.Serializer):
    profile = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
    components = serializers.DictField(child=serializers.FloatField())


class ExcludedSerializer(serializers.Serializer):
    profile = serializers.IntegerField()
    name = serializers.CharField()
    rules = serializers.ListField(child=serializers.CharField())


class ShortlistSerializer(serializers.Serializer):
    candidates = CandidateSerializer(many=True)
    excluded = ExcludedSerializer(many=True)
    weights = serializers.DictField(child=serializers.FloatField())


class SlotViewSet(ScopedReadOnlyViewSet):
    queryset = Slot.objects.select_related("pool")
    serializer_class = SlotSerializer
    filterset_fields = ["activity", "role"]

    @extend_schema(responses=ShortlistSerializer)
    @action(detail=True, methods=["get"])
    def shortlist(self, request, pk=None):
        """The ranked shortlist for this slot, with each candidate's score and reasons, and the
        experts excluded with the rule that excluded each (organisers only)."""
        from experts.matching import WEIGHTS, shortlist

        slot = self.get_object()
        if not services.can_staff(request.user, slot):
            return Response({"detail": "Only the organisers of the activity staff its slots."}, status=403)
        result = shortlist(request.user, slot, limit=10)
        return Response(
            {
                "candidates": [
                    {
                        "profile": c.profile.pk,
                        "name": str(c.profile),
                        "score": c.score,
                        "reasons": c.reasons,
                        "components": c.components,
                    }
                    for c in result.candidates
                ],
                "excluded": [
                    {
                        "profile": e.profile.pk,
                        "name": str(e.profile),
                        "rules": [c.message for c in e.conflicts],
                    }
                    for e in result.excluded
                ],
                "weights": WEIGHTS,
            }
        )


router = routers.DefaultRouter()
router.register("profiles", ProfileViewSet)
router.register("pools", PoolViewSet)
router.register("accreditations", AccreditationViewSet)
router.register("availability", UnavailabilityViewSet)
router.register("deployments", DeploymentViewSet)
router.register("slots", SlotViewSet)
