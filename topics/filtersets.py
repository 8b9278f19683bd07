import django_filters
from django.utils.translation import gettext_lazy as _

from network.filtersets import SearchFilterSet
from topics.models import Topic


class TopicFilterSet(SearchFilterSet):
    search_fields = ("label_en", "label_fr", "description", "slug")
    broader = django_filters.ModelChoiceFilter(
        field_name="parent",
        queryset=Topic.objects.filter(parent__isnull=True),
        label=_("Broader topic"),
        to_field_name="slug",
    )

    class Meta:
        model = Topic
        fields = ["q", "broader"]
