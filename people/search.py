from core.search import SearchIndex, register_search
from people.models import Person


def register() -> None:
    register_search(SearchIndex(Person, fields=("first_name", "last_name", "email")))
