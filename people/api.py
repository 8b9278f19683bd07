from rest_framework import routers, serializers

from core.api import ScopedReadOnlyViewSet
from people.filtersets import PersonFilterSet
from people.models import Person


class PersonSerializer(serializers.ModelSerializer):
    member = serializers.SlugRelatedField(slug_field="iso_alpha2", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "first_name", "last_name", "email", "member", "gender", "job_title"]


class PersonViewSet(ScopedReadOnlyViewSet):
    """People in the caller's scope (personal data: never public)."""

    queryset = Person.objects.select_related("member")
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet


router = routers.DefaultRouter()
router.register("people", PersonViewSet)
