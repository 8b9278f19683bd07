"""REST endpoints under /api/surveys/: questionnaires (with their current definition), waves with
their aggregated results, responses with their answers, and needs. Read-only: questionnaires are
written on the pages (builder, XLSForm import) and answers through personal links."""

from drf_spectacular.utils import extend_schema
from rest_framework import routers, serializers
from rest_framework.decorators import action
from rest_framework.response import Response as APIResponse

from core.api import ScopedReadOnlyViewSet
from surveys import results, services
from surveys.filtersets import QuestionnaireFilterSet, ResponseFilterSet, WaveFilterSet
from surveys.models import Need, Questionnaire, Response, Wave


class QuestionnaireSerializer(serializers.ModelSerializer):
    version = serializers.SerializerMethodField()
    definition = serializers.SerializerMethodField()

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "code",
            "purpose",
            "titles",
            "descriptions",
            "is_template",
            "owner_office",
            "version",
            "definition",
        ]

    def _current(self, questionnaire):
        versions = sorted(questionnaire.versions.all(), key=lambda version: -version.number)
        return versions[0] if versions else None

    def get_version(self, questionnaire) -> int | None:
        current = self._current(questionnaire)
        return current.number if current else None

    def get_definition(self, questionnaire) -> dict:
        current = self._current(questionnaire)
        return current.definition if current else {}


class QuestionnaireViewSet(ScopedReadOnlyViewSet):
    queryset = Questionnaire.objects.prefetch_related("versions")
    serializer_class = QuestionnaireSerializer
    filterset_class = QuestionnaireFilterSet


# Years as plain integers: the model's small-integer bounds differ between SQLite and PostgreSQL,
# and the schema must be one and the same on both.
class WaveSerializer(serializers.ModelSerializer):
    questionnaire = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    year = serializers.IntegerField(read_only=True)

    class Meta:
        model = Wave
        fields = [
            "id",
            "questionnaire",
            "stage",
            "activity",
            "region",
            "year",
            "audience",
            "anonymous",
            "opens_on",
            "closes_on",
            "sent_at",
        ]


class QuestionResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    label = serializers.CharField()
    answered = serializers.IntegerField()
    labels = serializers.ListField(child=serializers.CharField())
    values = serializers.ListField(child=serializers.FloatField())
    mean = serializers.FloatField(allow_null=True)


class WaveResultsSerializer(serializers.Serializer):
    respondents = serializers.IntegerField()
    suppressed = serializers.BooleanField()
    questions = QuestionResultSerializer(many=True)


class WaveViewSet(ScopedReadOnlyViewSet):
    queryset = Wave.objects.select_related("questionnaire", "region", "activity")
    serializer_class = WaveSerializer
    filterset_class = WaveFilterSet

    @extend_schema(responses=WaveResultsSerializer)
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Counts per question (filters: member and region ids, gender, role); none under 5 if anonymous."""
        wave = self.get_object()
        summary = results.wave_results(request.user, wave, results.clean_filters(request.query_params), "en")
        return APIResponse(WaveResultsSerializer(summary).data)


class ResponseSerializer(serializers.ModelSerializer):
    answers = serializers.SerializerMethodField()
    member = serializers.SlugRelatedField(slug_field="iso_alpha2", read_only=True)

    class Meta:
        model = Response
        fields = [
            "id",
            "wave",
            "version",
            "person",
            "member",
            "gender",
            "role",
            "language",
            "status",
            "submitted_at",
            "score",
            "answers",
        ]

    def get_answers(self, response) -> dict:
        return services.answers_from_rows(response.version.definition, response.answers.all())


class ResponseViewSet(ScopedReadOnlyViewSet):
    # Versions are prefetched, not joined: a handful of definitions, not one copy per row to sort.
    queryset = Response.objects.select_related("member").prefetch_related("version", "answers")
    serializer_class = ResponseSerializer
    filterset_class = ResponseFilterSet


class NeedSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    member = serializers.SlugRelatedField(slug_field="iso_alpha2", read_only=True)
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    year = serializers.IntegerField(read_only=True)

    class Meta:
        model = Need
        fields = ["id", "region", "year", "member", "topic", "weight"]


class NeedViewSet(ScopedReadOnlyViewSet):
    queryset = Need.objects.select_related("region", "member", "topic").order_by("-year", "pk")
    serializer_class = NeedSerializer
    filterset_fields = ["year"]


router = routers.DefaultRouter()
router.register("questionnaires", QuestionnaireViewSet)
router.register("waves", WaveViewSet)
router.register("responses", ResponseViewSet)
router.register("needs", NeedViewSet)
