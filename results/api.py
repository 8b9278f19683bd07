"""REST endpoints under /api/results/: results and indicators, read-only. An indicator carries its
years (target, actual and status), computed or recorded, as the results page shows them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import routers, serializers

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


class IndicatorViewSet(ScopedReadOnlyViewSet):
    queryset = Indicator.objects.select_related("result__programme").prefetch_related("targets", "actuals")
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet


router = routers.DefaultRouter()
router.register("results", ResultViewSet)
router.register("indicators", IndicatorViewSet)
