from activities.models import Activity, AssistanceRequest
from core.search import SearchIndex, register_search


def register() -> None:
    register_search(SearchIndex(Activity, fields=("title", "city", "objectives")))
    register_search(
        SearchIndex(
            AssistanceRequest, fields=("need_statement", "member__name"), select_related=("member", "service")
        )
    )
