from core.search import SearchIndex, register_search
from meetings.models import Decision, Meeting


def register() -> None:
    register_search(SearchIndex(Meeting, fields=("title", "series", "venue")))
    register_search(SearchIndex(Decision, fields=("text_en", "text_fr")))
