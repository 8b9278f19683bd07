from network.filtersets import RegionFilter, SearchFilterSet
from people.models import Person


class PersonFilterSet(SearchFilterSet):
    search_fields = ("first_name", "last_name", "email", "member__name")
    region = RegionFilter(field_name="member__region")

    class Meta:
        model = Person
        fields = ["q", "region"]
