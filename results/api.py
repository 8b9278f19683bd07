"""REST endpoints under /api/results/: results and indicators, read-only. An indicator carries its
years (target, actual and status), computed or recorded, as the results page shows them."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import permissions, routers, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import APIView

from core.api import ScopedReadOnlyViewSet
from results import services
from results.filtersets import IndicatorFilterSet, ResultFilterSet
from results.models import Indicator, Result


class ResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = Result
        fields = [
            "id",
            "programme",
            "level",
            "parent",
            "code",
            "statement_en",
            "statement_fr",
            "is_published",
        ]
        read_only_fields = fields


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    target = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    actual = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    status = serializers.CharField(allow_null=True, help_text="on_track, at_risk, off_track or null")


class IndicatorSerializer(serializers.ModelSerializer):
    baseline_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, read_only=True
    )
    years = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "result",
            "title_en",
            "title_fr",
            "unit",
            "direction",
            "measure",
            "baseline_value",
            "baseline_date",
            "years",
        ]
        read_only_fields = fields

    @extend_schema_field(YearSerializer(many=True))
    def get_years(self, indicator) -> list[dict]:
        years = services.framework_years(indicator.result.programme)
        return [
            {"year": row.year, "target": row.target, "actual": row.actual, "status": row.status}
            for row in services.indicator_years(indicator, years)
        ]


class ResultViewSet(ScopedReadOnlyViewSet):
    queryset = Result.objects.all()
    serializer_class = ResultSerializer
    filterset_class = ResultFilterSet


class IndicatorPage(PageNumberPagination):
    page_size = 20  # each indicator carries every year's computed value


class IndicatorViewSet(ScopedReadOnlyViewSet):
    pagination_class = IndicatorPage
    queryset = Indicator.objects.select_related("result__programme").prefetch_related("targets", "actuals")
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet


router = routers.DefaultRouter()
router.register("results", ResultViewSet)
router.register("indicators", IndicatorViewSet)


class ProgrammeIatiView(APIView):
    """A programme as IATI 2.03 XML with its results, budgets and transactions, for publishing
    scripts (token authentication: `Authorization: Token …`). What goes in is what the caller may
    see: the lead office and the donors get the whole framework, anyone else the published results."""

    permission_classes = [permissions.AllowAny]  # the rows are restricted below, as on the page

    @extend_schema(
        responses={
            (200, "application/xml"): OpenApiResponse(
                OpenApiTypes.STR, description="IATI 2.03 activities XML"
            ),
            404: OpenApiResponse(description="No programme found"),
        }
    )
    def get(self, request, pk):
        from activities.models import Programme
        from core.permissions import Action, can
        from results.iati import programme_document

        programme = Programme.objects.select_related("lead_office").filter(pk=pk).first()
        if programme is None or not (
            can(request.user, Action.VIEW, programme)
            or Result.objects.restrict(request.user).filter(programme=programme).exists()
        ):
            raise Http404
        document = programme_document([programme], request.user)
        response = HttpResponse(document, content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="iati-{programme.code}.xml"'
        return response
