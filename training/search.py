from core.search import SearchIndex, register_search
from training.models import Product


def register() -> None:
    register_search(SearchIndex(Product, fields=("title", "title_fr", "description", "description_fr")))
