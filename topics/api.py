from rest_framework import routers, serializers

from core.api import ScopedReadOnlyViewSet
from topics.filtersets import TopicFilterSet
from topics.models import Topic


class TopicSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Topic
        fields = [
            "id",
            "slug",
            "label_en",
            "label_fr",
            "parent",
            "description",
            "term_attested",
            "source_ids",
        ]


class TopicViewSet(ScopedReadOnlyViewSet):
    """The shared topic taxonomy (two levels, English and French labels)."""

    queryset = Topic.objects.select_related("parent")
    serializer_class = TopicSerializer
    filterset_class = TopicFilterSet


router = routers.DefaultRouter()
router.register("topics", TopicViewSet)
