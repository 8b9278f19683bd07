from core.search import SearchIndex, register_search
from surveys.models import Questionnaire


def register() -> None:
    register_search(SearchIndex(Questionnaire, fields=("code", "titles", "descriptions")))
