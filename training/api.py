"""REST endpoints under /api/training/: the catalogue's products (written through the services, as
the pages are), their modules and sessions, the competency frameworks, e-learning completions and
recognised programmes. The xAPI statements endpoint is `training.xapi`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from rest_framework import routers, serializers

from core.api import ScopedModelViewSet, ScopedReadOnlyViewSet
from training import services
from training.filtersets import (
    ApplicationFilterSet,
    CompletionFilterSet,
    ModuleFilterSet,
    ProductFilterSet,
    SessionFilterSet,
)
from training.models import (
    Competency,
    CompetencyFramework,
    Completion,
    Module,
    Product,
    RecognitionApplication,
    Session,
)


class ModuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Module
        fields = ["id", "product", "position", "title", "title_fr", "hours", "objectives", "competencies"]
        read_only_fields = fields


class ProductSerializer(serializers.ModelSerializer):
    # Declared: a small integer's range is the database's (32,767 on PostgreSQL), and the committed
    # schema must read the same on both.
    duration_hours = serializers.IntegerField(min_value=1, max_value=2000)

    class Meta:
        model = Product
        fields = [
            "id",
            "owner_office",
            "title",
            "title_fr",
            "description",
            "description_fr",
            "kind",
            "level",
            "audience",
            "duration_hours",
            "delivery_modes",
            "languages",
            "objectives",
            "prerequisites",
            "topics",
            "competencies",
            "materials",
            "assessment",
            "status",
            "version",
        ]
        read_only_fields = ["id", "status", "version"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["owner_office"].read_only = True  # a product does not change hands
        return fields


class ProductViewSet(ScopedModelViewSet):
    """Products; the lifecycle moves are the pages' buttons (`/training/products/<id>/move/`)."""

    queryset = Product.objects.select_related("owner_office").prefetch_related("topics", "competencies")
    serializer_class = ProductSerializer
    filterset_class = ProductFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        from django.db.models import Prefetch

        from knowledge.models import Document

        # The materials listed are those the caller may see, as on the page.
        visible = Document.objects.restrict(self.request.user)
        return super().get_queryset().prefetch_related(Prefetch("materials", queryset=visible))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        owner = data.pop("owner_office", None)
        if owner is None:
            raise ValidationError({"owner_office": "Name the office that offers the product."})
        serializer.instance = services.product_create(user=self.request.user, owner_office=owner, data=data)

    def perform_update(self, serializer):
        serializer.instance = services.product_update(
            user=self.request.user, product=serializer.instance, data=dict(serializer.validated_data)
        )


class ModuleViewSet(ScopedReadOnlyViewSet):
    queryset = Module.objects.prefetch_related("competencies")
    serializer_class = ModuleSerializer
    filterset_class = ModuleFilterSet


class SessionSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = Session
        fields = ["id", "activity", "product", "version"]
        read_only_fields = fields


class SessionViewSet(ScopedReadOnlyViewSet):
    queryset = Session.objects.select_related("version")
    serializer_class = SessionSerializer
    filterset_class = SessionFilterSet


class CompetencySerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    level = serializers.CharField(source="area.level", read_only=True)
    framework = serializers.CharField(source="area.framework.code", read_only=True)

    class Meta:
        model = Competency
        fields = ["id", "framework", "level", "area", "code", "name", "name_fr", "source", "is_retired"]
        read_only_fields = fields


class CompetencyViewSet(ScopedReadOnlyViewSet):
    queryset = Competency.objects.select_related("area__framework")
    serializer_class = CompetencySerializer
    filterset_fields = ["is_retired"]


class FrameworkSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompetencyFramework
        fields = ["id", "code", "name", "name_fr", "source", "member"]
        read_only_fields = fields


class FrameworkViewSet(ScopedReadOnlyViewSet):
    queryset = CompetencyFramework.objects.all()
    serializer_class = FrameworkSerializer


class CompletionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Completion
        fields = [
            "id",
            "person",
            "member",
            "product",
            "status",
            "enrolled_on",
            "completed_on",
            "score",
            "source",
        ]
        read_only_fields = fields


class CompletionViewSet(ScopedReadOnlyViewSet):
    queryset = Completion.objects.all()
    serializer_class = CompletionSerializer
    filterset_class = CompletionFilterSet


class ApplicationSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.name", read_only=True)
    country = serializers.CharField(source="institution.country.iso_alpha2", read_only=True)

    class Meta:
        model = RecognitionApplication
        fields = [
            "id",
            "institution",
            "country",
            "framework",
            "programme",
            "status",
            "decided_on",
            "expires_on",
        ]
        read_only_fields = fields


class ApplicationViewSet(ScopedReadOnlyViewSet):
    queryset = RecognitionApplication.objects.select_related("institution__country")
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilterSet


router = routers.DefaultRouter()
router.register("products", ProductViewSet)
router.register("modules", ModuleViewSet)
router.register("sessions", SessionViewSet)
router.register("competencies", CompetencyViewSet)
router.register("frameworks", FrameworkViewSet)
router.register("completions", CompletionViewSet)
router.register("recognitions", ApplicationViewSet)
