"""The 17 PICARD conferences of 2006-2022 load from the reference folder, keep their sources and
confidence, and a second load changes nothing; a bad row loads nothing."""

import datetime
import shutil

import pytest
from django.core.management import CommandError, call_command

from conferences.models import Conference
from conferences.reference import conferences_load
from network.reference import SHIPPED_REFERENCE_DIR, LoadReport

pytestmark = pytest.mark.django_db


def test_the_picard_conferences_load_with_their_sources_and_stay_idempotent():
    report = conferences_load(directory=SHIPPED_REFERENCE_DIR, report=LoadReport())
    assert report.created["conferences"] == 17
    first = Conference.objects.get(kind="picard", number=1)
    assert (first.year, first.city, first.starts_on, first.ends_on) == (
        2006,
        "Brussels",
        datetime.date(2006, 3, 1),
        datetime.date(2006, 3, 3),
    )
    assert first.source_ids == "S_INCU_2006" and first.confidence == "high"
    baku = Conference.objects.get(kind="picard", number=10)
    assert baku.starts_on is None and baku.confidence == "medium" and "dates not found" in baku.notes
    virtual = Conference.objects.get(kind="picard", number=15)
    assert (
        virtual.format.startswith("virtual")
        and virtual.title == "15th PICARD Conference, virtual (web conference) 2020"
    )
    again = conferences_load(directory=SHIPPED_REFERENCE_DIR, report=LoadReport())
    assert again.changed == 0 and again.unchanged["conferences"] == 17
    assert Conference.history.count() == 17


def test_a_bad_row_loads_nothing(tmp_path):
    folder = tmp_path / "reference"
    shutil.copytree(SHIPPED_REFERENCE_DIR, folder)
    path = folder / "picard_conferences.csv"
    text = path.read_text(encoding="utf-8").replace("1-3 March 2006", "31-33 March 2006")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="picard_conferences.csv, line 2"):
        call_command("load_reference", str(folder), verbosity=0)
    assert not Conference.objects.exists()


def test_load_reference_loads_them():
    call_command("load_reference", verbosity=0)
    assert Conference.objects.filter(kind="picard").count() == 17
