"""Roster imports: a preview with each row's errors, then every row or none, inside the scope."""

import pytest

from activities.imports import import_commit, import_preview
from activities.models import ImportBatch
from activities.tests.factories import PersonFactory
from activities.tests.test_imports import csv_bytes, xlsx
from experts.models import AccreditationStatus, ExpertProfile
from experts.tests.factories import PoolFactory
from network.models import Member

pytestmark = pytest.mark.django_db

HEADER = ["first_name", "last_name", "email", "member", "languages", "topics", "years_experience", "pools"]


def preview(user, content, name="roster.csv"):
    return import_preview(user=user, kind=ImportBatch.Kind.EXPERTS, name=name, content=content)


def test_a_clean_roster_imports_with_languages_topics_and_nominations(user_named):
    PoolFactory(code="diagnostic")
    rows = [
        ["Aiko", "Tanaka", "aiko.tanaka@customs.go.jp", "JP", "ja:native;en:fluent", "", "14", "diagnostic"],
        ["Minh", "Nguyen", "minh@customs.gov.vn", "VN", "vi:native; en:working", "", "9", ""],
    ]
    rows[0][4] = "en:fluent"  # Japanese is not among the working languages cbhub offers
    rows[1][4] = "en:working;fr:working"
    batch = preview(user_named("rocb.ap"), xlsx(rows, HEADER), name="roster.xlsx")
    assert batch.errors == []
    assert import_commit(user=user_named("rocb.ap"), batch=batch) == 2
    aiko = ExpertProfile.objects.get(person__email="aiko.tanaka@customs.go.jp")
    assert aiko.years_experience == 14 and aiko.home_member.iso_alpha2 == "JP"
    assert list(aiko.languages.values_list("language", "level")) == [("en", "fluent")]
    assert aiko.accreditations.get().status == AccreditationStatus.NOMINATED


def test_each_bad_row_is_named_and_nothing_is_saved(user_named):
    rows = [
        ["Ama", "Mensah", "ama@gra.gov.gh", "GH", "en:fluent", "", "5", ""],  # another region
        ["Li", "Wei", "not-an-email", "CN", "xx:native", "no-such-topic", "two", "no-pool"],
        ["Li", "Wei", "", "CN", "en:superb", "", "99", ""],
    ]
    batch = preview(user_named("rocb.ap"), csv_bytes(rows, HEADER))
    reasons = {(error["row"], error["column"]) for error in batch.errors}
    assert {
        (2, "member"),
        (3, "email"),
        (3, "languages"),
        (3, "topics"),
        (3, "years_experience"),
        (3, "pools"),
        (4, "languages"),
        (4, "years_experience"),
    } <= reasons
    before = ExpertProfile.objects.count()
    with pytest.raises(Exception, match="Correct the errors"):
        import_commit(user=user_named("rocb.ap"), batch=batch)
    assert ExpertProfile.objects.count() == before


def test_a_person_outside_the_scope_is_not_named(user_named):
    PersonFactory(
        member=Member.objects.get(iso_alpha2="KE"), email="hidden@kra.go.ke", last_name="Hiddenname"
    )
    rows = [["A", "B", "hidden@kra.go.ke", "JP", "", "", "", ""]]
    batch = preview(user_named("rocb.ap"), csv_bytes(rows, HEADER))
    assert batch.errors and "Hiddenname" not in str(batch.errors)


def test_who_may_upload_a_roster(user_named):
    with pytest.raises(Exception, match="may not add experts"):
        preview(user_named("researcher"), csv_bytes([], HEADER))
