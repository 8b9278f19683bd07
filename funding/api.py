from rest_framework import routers, serializers

from core.api import ScopedModelViewSet, ScopedReadOnlyViewSet
from funding.filtersets import DonorFilterSet, RateFilterSet
from funding.models import Donor, ExchangeRate, FundingAgreement


class DonorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Donor
        fields = ["id", "name", "kind"]


class AgreementSerializer(serializers.ModelSerializer):
    donor = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = FundingAgreement
        fields = [
            "id",
            "donor",
            "programme",
            "title",
            "reference",
            "currency",
            "amount_committed",
            "amount_disbursed",
            "signed_on",
        ]


class RateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExchangeRate
        fields = ["id", "currency", "valid_from", "eur_per_unit"]


class DonorViewSet(ScopedReadOnlyViewSet):
    queryset = Donor.objects.all()
    serializer_class = DonorSerializer
    filterset_class = DonorFilterSet


class AgreementViewSet(ScopedReadOnlyViewSet):
    """Funding agreements: the Secretariat and ROCB officers see all; a donor its own."""

    queryset = FundingAgreement.objects.select_related("donor")
    serializer_class = AgreementSerializer


class RateViewSet(ScopedModelViewSet):
    """The dated exchange-rate table (euros per unit); the Secretariat edits it."""

    queryset = ExchangeRate.objects.all()
    serializer_class = RateSerializer
    filterset_class = RateFilterSet


router = routers.DefaultRouter()
router.register("donors", DonorViewSet)
router.register("agreements", AgreementViewSet)
router.register("rates", RateViewSet)
