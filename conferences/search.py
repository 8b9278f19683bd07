from conferences.models import Conference, Submission
from core.search import SearchIndex, register_search


def register() -> None:
    register_search(SearchIndex(Conference, fields=("title", "theme", "city", "host")))
    register_search(SearchIndex(Submission, fields=("title", "abstract")))
