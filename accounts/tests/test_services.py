"""Role rules: each scoped role needs its scope, and the region is derived from it."""

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from accounts.services import user_create
from network.models import Member, Office, Region

pytestmark = pytest.mark.django_db


def test_an_rtc_coordinator_takes_the_region_of_the_centre():
    user = user_create(
        username="c1",
        password=None,
        role=Role.RTC_COORDINATOR,
        office=Office.objects.get(code="rtc-malaysia"),
    )
    assert user.region.code == "A/P"


def test_a_focal_point_takes_the_region_of_the_administration():
    user = user_create(
        username="f1",
        password="pw-long-enough-1",
        role=Role.FOCAL_POINT,
        member=Member.objects.get(iso_alpha2="SN"),
    )
    assert user.region.code == "WCA" and user.check_password("pw-long-enough-1")


@pytest.mark.parametrize(
    ("role", "scope", "field"),
    [
        (Role.ROCB_OFFICER, {}, "region"),
        (Role.RTC_COORDINATOR, {"office_code": "rocb-ap"}, "office"),
        (Role.FOCAL_POINT, {}, "member"),
    ],
)
def test_a_scoped_role_without_its_scope_is_refused(role, scope, field):
    office = Office.objects.get(code=scope["office_code"]) if scope else None
    with pytest.raises(ValidationError) as raised:
        user_create(username="x", password=None, role=role, office=office)
    assert field in raised.value.message_dict


def test_unknown_role_is_refused():
    with pytest.raises(ValidationError):
        user_create(username="x", password=None, role="emperor", region=Region.objects.first())
