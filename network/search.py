from core.search import SearchIndex, register_search
from network.models import Committee, Member, Office, Region


def register() -> None:
    register_search(SearchIndex(Region, fields=("name", "name_fr", "code", "official_long_name")))
    register_search(SearchIndex(Office, fields=("name", "name_fr", "city", "country", "institution")))
    register_search(SearchIndex(Member, fields=("name", "name_fr", "iso_alpha2", "iso_alpha3")))
    register_search(SearchIndex(Committee, fields=("name", "acronym", "description")))
