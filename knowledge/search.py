from core.search import SearchIndex, register_search
from knowledge.models import Document


def register() -> None:
    register_search(SearchIndex(Document, fields=("title", "author_names")))
