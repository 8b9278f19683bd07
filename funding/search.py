from core.search import SearchIndex, register_search
from funding.models import Donor


def register() -> None:
    register_search(SearchIndex(Donor, fields=("name",)))
