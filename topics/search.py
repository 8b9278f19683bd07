from core.search import SearchIndex, register_search
from topics.models import Topic


def register() -> None:
    register_search(SearchIndex(Topic, fields=("label_en", "label_fr", "description", "slug")))
