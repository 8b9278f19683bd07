"""The reference loader: real data in, idempotent, updates in place, all-or-nothing on bad rows."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from network.models import Committee, CommitteeMembership, Member, Office, OfficeLocation, Region, Source
from network.reference import SHIPPED_REFERENCE_DIR, ReferenceDataError, reference_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_copy(tmp_path):
    target = tmp_path / "reference"
    shutil.copytree(SHIPPED_REFERENCE_DIR, target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target


def replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_real_network_is_loaded():
    assert Region.objects.count() == 6
    assert Member.objects.count() == 187
    assert Office.objects.filter(kind="rocb").count() == 6
    assert Office.objects.filter(kind="rtc").count() == 30
    assert Office.objects.filter(kind="secretariat").count() == 1
    assert Office.objects.filter(region__code="A/P", kind="rtc").count() == 10
    assert Committee.objects.count() == 10
    assert Source.objects.filter(key="S_WCOAP_ABOUT").exists()


def test_rows_keep_their_sources_and_confidence():
    china = Office.objects.get(code="rtc-china")
    assert china.confidence == "medium"
    assert "S_WCO_AP_RTC2015" in china.source_keys
    japan = Member.objects.get(iso_alpha2="JP")
    assert japan.region.code == "A/P"
    assert Office.objects.get(code="rocb-ap").host_member.iso_alpha2 == "TH"


def test_partial_dates_keep_the_year():
    kosovo = Member.objects.get(iso_alpha2="XK")
    assert kosovo.joined_on is None and kosovo.joined_year == 2017
    belgium = Member.objects.get(iso_alpha2="BE")
    assert str(belgium.joined_on) == "1952-12-11"


def test_location_history_of_the_americas_rocb():
    cities = dict(OfficeLocation.objects.filter(office__code="rocb-ams").values_list("city", "is_current"))
    assert cities == {"Buenos Aires": False, "Montevideo": True}


def test_every_office_is_placed_on_the_map():
    assert not Office.objects.filter(latitude__isnull=True).exists()


def test_coordination_meetings_seat_every_rocb_and_rtc():
    seats = CommitteeMembership.objects.filter(committee__code="rtc-coordination-meeting")
    assert seats.count() == 30


def test_a_second_run_changes_nothing():
    history_before = Member.history.count()
    report = reference_load(directory=SHIPPED_REFERENCE_DIR)
    assert report.changed == 0
    assert Member.history.count() == history_before


def test_a_changed_row_is_updated_not_duplicated(reference_copy):
    replace_in(reference_copy / "members.csv", "BT,BTN,Bhutan,A/P", "BT,BTN,Kingdom of Bhutan,A/P")
    report = reference_load(directory=reference_copy)
    assert report.updated["member administrations"] == 1
    assert report.changed == 1
    assert Member.objects.count() == 187
    bhutan = Member.objects.get(iso_alpha2="BT")
    assert bhutan.name == "Kingdom of Bhutan"
    assert bhutan.history.first().history_change_reason == "reference data load"


@pytest.mark.parametrize(
    ("file", "old", "new", "reason"),
    [
        (
            "members.csv",
            "AF,AFG,Afghanistan,A/P,,S_WCOAP_ABOUT,high",
            "AF,AFG,Afghanistan,A/P,,S_WCOAP_ABOUT,sure",
            "confidence 'sure'",
        ),
        ("members.csv", "AU,AUS,Australia,A/P", "AU,AUS,Australia,XX", "region 'XX' is not in regions.csv"),
        (
            "members.csv",
            "BD,BGD,Bangladesh,A/P,",
            "BD,BGD,Bangladesh,A/P,31/12/1990",
            "not a year or a YYYY-MM-DD",
        ),
        ("members.csv", "BT,BTN,", "B1,BTN,", "not two letters"),
        ("rtcs.csv", "A/P,Fiji,", "A/P,Atlantis,", "host country 'Atlantis' is not a member"),
    ],
)
def test_a_malformed_row_stops_the_load_and_writes_nothing(reference_copy, file, old, new, reason):
    # A valid change earlier in the same load must not be written either.
    replace_in(reference_copy / "regions.csv", "A/P,Asia/Pacific,", "A/P,Asia-Pacific renamed,")
    replace_in(reference_copy / file, old, new)
    with pytest.raises(ReferenceDataError) as raised:
        reference_load(directory=reference_copy)
    assert raised.value.file == file
    assert raised.value.line > 1
    assert reason in raised.value.reason
    assert Region.objects.get(code="A/P").name == "Asia/Pacific"


def test_the_error_names_file_line_and_reason(reference_copy):
    lines = (reference_copy / "members.csv").read_text(encoding="utf-8").splitlines()
    line_number = next(i for i, line in enumerate(lines, start=1) if line.startswith("FJ,"))
    replace_in(reference_copy / "members.csv", "FJ,FJI,Fiji,A/P", "FJ,FJI,Fiji,Oceania")
    with pytest.raises(CommandError, match=rf"members.csv, line {line_number}: region 'Oceania'"):
        call_command("load_reference", str(reference_copy))


def test_missing_columns_and_files_are_reported(reference_copy):
    (reference_copy / "rtcs.csv").unlink()
    with pytest.raises(ReferenceDataError, match="rtcs.csv, line 0: file not found"):
        reference_load(directory=reference_copy)
    (reference_copy / "rtcs.csv").write_text("region,host_country\nA/P,Fiji\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="rtcs.csv, line 1: missing columns"):
        reference_load(directory=reference_copy)


def test_a_non_utf8_file_is_reported(reference_copy):
    (reference_copy / "members.csv").write_bytes("iso_alpha2\n\xff\xfe".encode("latin-1"))
    with pytest.raises(ReferenceDataError, match="members.csv.*not UTF-8"):
        reference_load(directory=reference_copy)
