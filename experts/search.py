from core.search import SearchIndex, register_search
from experts.models import ExpertProfile, Pool


def register() -> None:
    register_search(
        SearchIndex(
            ExpertProfile,
            fields=("person__first_name", "person__last_name", "current_post", "expertise", "instruments"),
            select_related=("person", "home_member"),
        )
    )
    register_search(SearchIndex(Pool, fields=("name", "name_fr", "description")))
