"""REST endpoints for the registry: /api/network/regions|offices|members|committees/."""

from rest_framework import routers, serializers

from core.api import ScopedModelViewSet
from network import filtersets
from network.models import Committee, CommitteeMembership, Member, Office, OfficeLocation, Region

SOURCED = ["source_ids", "confidence", "notes"]


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = [
            "id",
            "code",
            "slug",
            "name",
            "official_long_name",
            "member_count_sourced",
            "recent_vice_chairs",
            *SOURCED,
        ]
        read_only_fields = ["code", "slug"]


class MemberSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="slug", queryset=Region.objects.all())

    class Meta:
        model = Member
        fields = ["id", "iso_alpha2", "iso_alpha3", "name", "region", "joined_on", "joined_year", *SOURCED]


class OfficeLocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = OfficeLocation
        fields = ["city", "country", "since", "until", "is_current", *SOURCED]


class OfficeSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(
        slug_field="slug", queryset=Region.objects.all(), allow_null=True, required=False
    )
    host_member = serializers.SlugRelatedField(
        slug_field="iso_alpha2", queryset=Member.objects.all(), allow_null=True, required=False
    )
    locations = OfficeLocationSerializer(many=True, read_only=True)

    class Meta:
        model = Office
        fields = [
            "id",
            "code",
            "kind",
            "name",
            "region",
            "host_member",
            "institution",
            "city",
            "country",
            "latitude",
            "longitude",
            "coordinate_precision",
            "year_established",
            "established_detail",
            "location_history",
            "locations",
            *SOURCED,
        ]


class CommitteeMembershipSerializer(serializers.ModelSerializer):
    member = serializers.SlugRelatedField(slug_field="iso_alpha2", read_only=True)
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = CommitteeMembership
        fields = ["member", "office", "person_name", "role", "since_year", "until_year"]


class CommitteeSerializer(serializers.ModelSerializer):
    memberships = CommitteeMembershipSerializer(many=True, read_only=True)

    class Meta:
        model = Committee
        fields = [
            "id",
            "code",
            "name",
            "acronym",
            "relation",
            "is_virtual",
            "description",
            "memberships",
            *SOURCED,
        ]


class RegionViewSet(ScopedModelViewSet):
    """WCO regions. Public to read; the Secretariat and the region's ROCB officers change them."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = filtersets.RegionFilterSet
    http_method_names = ["get", "head", "options", "put", "patch"]


class OfficeViewSet(ScopedModelViewSet):
    """Secretariat, ROCBs and RTCs; filter with ?kind=rocb|rtc|secretariat and ?region=<slug>."""

    queryset = Office.objects.select_related("region", "host_member").prefetch_related("locations")
    serializer_class = OfficeSerializer
    filterset_class = filtersets.OfficeFilterSet


class MemberViewSet(ScopedModelViewSet):
    """Member administrations; filter with ?region=<slug or code>."""

    queryset = Member.objects.select_related("region")
    serializer_class = MemberSerializer
    filterset_class = filtersets.MemberFilterSet


class CommitteeViewSet(ScopedModelViewSet):
    """Committees and working groups with their seats. Curated by the Secretariat."""

    queryset = Committee.objects.prefetch_related("memberships__member", "memberships__office")
    serializer_class = CommitteeSerializer
    filterset_class = filtersets.CommitteeFilterSet


router = routers.DefaultRouter()
router.register("regions", RegionViewSet)
router.register("offices", OfficeViewSet)
router.register("members", MemberViewSet)
router.register("committees", CommitteeViewSet)
