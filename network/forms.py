"""Edit forms for registry records. They only shape input; the rules live in the services."""

from django import forms

from core.forms import ScopedModelForm
from network.models import Member, Office, Region

SOURCED_FIELDS = ["source_ids", "confidence", "notes"]


class RegionForm(ScopedModelForm):
    class Meta:
        model = Region
        fields = ["name", "official_long_name", "member_count_sourced", "recent_vice_chairs", *SOURCED_FIELDS]


class MemberForm(ScopedModelForm):
    class Meta:
        model = Member
        fields = ["name", "iso_alpha2", "iso_alpha3", "region", "joined_on", "joined_year", *SOURCED_FIELDS]
        widgets = {"joined_on": forms.DateInput(attrs={"type": "date"})}


class OfficeForm(ScopedModelForm):
    class Meta:
        model = Office
        fields = [
            "code",
            "kind",
            "name",
            "region",
            "host_member",
            "institution",
            "city",
            "country",
            "latitude",
            "longitude",
            "coordinate_precision",
            "year_established",
            "established_detail",
            *SOURCED_FIELDS,
        ]
