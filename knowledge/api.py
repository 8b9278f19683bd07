"""REST endpoints: documents (scoped), upload (a background job), hybrid search, similar documents."""

import uuid

from django.core.files.storage import default_storage
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import routers, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ScopedReadOnlyViewSet
from core.uploads import safe_filename
from jobs.models import Job
from jobs.services import job_enqueue
from knowledge import retrieval
from knowledge.extraction import check_upload
from knowledge.jobs import INGEST
from knowledge.models import Document, DocumentKind, Visibility
from knowledge.views import search_filters


class DocumentSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", read_only=True, many=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "kind",
            "status",
            "date",
            "language",
            "author_names",
            "region",
            "visibility",
            "topics",
            "created_at",
        ]


class JobSerializer(serializers.ModelSerializer):
    done = serializers.IntegerField(read_only=True)
    total = serializers.IntegerField(read_only=True)
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "done",
            "total",
            "percent",
            "message",
            "outcomes",
            "created_at",
            "finished_at",
        ]


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, default=DocumentKind.OTHER)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.NETWORK)
    date = serializers.DateField(required=False)
    region = serializers.CharField(required=False, allow_blank=True)
    topics = serializers.CharField(required=False, allow_blank=True, help_text="topic slugs separated by ;")

    def validate_file(self, upload):
        check_upload(upload)  # refused before anything is stored
        return upload


class DocumentViewSet(ScopedReadOnlyViewSet):
    """Documents the caller may see. POST a file to upload it: the answer is the ingestion job."""

    queryset = Document.objects.select_related("region").prefetch_related("topics")
    serializer_class = DocumentSerializer
    filterset_fields = ["kind", "language", "visibility"]
    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=UploadSerializer, responses={202: JobSerializer})
    def create(self, request, *args, **kwargs):
        upload = UploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = dict(upload.validated_data)
        file = data.pop("file")
        stored = default_storage.save(f"uploads/{uuid.uuid4().hex}/{safe_filename(file.name)}", file)
        metadata = {
            key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in data.items()
        }
        job = job_enqueue(
            kind=INGEST,
            user=request.user,
            total=1,
            payload={
                "items": [{"name": safe_filename(file.name), "storage_name": stored, "metadata": metadata}]
            },
        )
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=DocumentSerializer(many=True))
    # A plain list of at most a few documents: neither paged nor filtered, and declared so.
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def similar(self, request, pk=None):
        """Documents closest in meaning to this one, inside the caller's scope."""
        return Response(
            DocumentSerializer(retrieval.more_like_this(request.user, self.get_object()), many=True).data
        )


class SearchHitSerializer(serializers.Serializer):
    document = DocumentSerializer()
    score = serializers.FloatField()
    snippet = serializers.CharField(help_text="HTML with the query's words in <mark>")


class SearchResultsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    hits = SearchHitSerializer(many=True)
    facets = serializers.DictField(child=serializers.ListField())


class SearchView(APIView):
    """Hybrid search of documents (full text and meaning), with facets, inside the caller's scope."""

    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, required=True)]
        + [
            OpenApiParameter(name, OpenApiTypes.STR)
            for name in ("kind", "topic", "region", "year", "language")
        ]
        + [OpenApiParameter("page", OpenApiTypes.INT)],
        responses=SearchResultsSerializer,
    )
    def get(self, request):
        query = request.query_params.get("q", "").strip()
        if not query:
            raise ValidationError({"q": "Give the words or question to search for."})
        if len(query) > retrieval.MAX_QUERY_LENGTH:
            raise ValidationError(
                {"q": f"Search terms are limited to {retrieval.MAX_QUERY_LENGTH} characters."}
            )
        try:
            page = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            raise ValidationError({"page": "A page is a whole number."}) from None
        results = retrieval.search(request.user, query, search_filters(request.query_params), page=page)
        return Response(SearchResultsSerializer(results).data)


class JobViewSet(ScopedReadOnlyViewSet):
    """Background jobs the caller started, with their progress and each item's outcome."""

    queryset = Job.objects.all()
    serializer_class = JobSerializer


router = routers.DefaultRouter()
router.register("documents", DocumentViewSet)
router.register("jobs", JobViewSet)
