from core.search import SearchIndex, register_search
from results.models import Indicator, Result


def register() -> None:
    register_search(SearchIndex(Result, fields=("statement_en", "statement_fr")))
    register_search(SearchIndex(Indicator, fields=("title_en", "title_fr")))
