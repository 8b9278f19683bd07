from accounts.models import User
from core.search import SearchIndex, register_search


def register() -> None:
    register_search(SearchIndex(User, fields=("username", "first_name", "last_name")))
