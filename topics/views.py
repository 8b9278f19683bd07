from django.utils.translation import gettext_lazy as _

from core.tables import Column
from core.views import ObjectDetailView, ObjectListView
from network.views import SourcesMixin
from topics.filtersets import TopicFilterSet
from topics.models import Topic


class TopicListView(ObjectListView):
    queryset = Topic.objects.select_related("parent")
    filterset_class = TopicFilterSet
    export_name = "topics"
    columns = [
        Column(_("Topic"), "label"),
        Column(_("Broader topic"), "parent.label"),
        Column(_("Slug"), "slug"),
    ]


class TopicDetailView(SourcesMixin, ObjectDetailView):
    queryset = Topic.objects.select_related("parent")
    template_name = "topics/topic_detail.html"
