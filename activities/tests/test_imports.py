"""CSV/XLSX imports: a preview with each row's errors, then all rows or none."""

import io

import pytest
from openpyxl import Workbook

from activities.imports import import_commit, import_preview
from activities.models import Activity, ImportBatch, Nomination, Participation
from activities.tests.factories import ActivityFactory, PersonFactory
from network.models import Member

pytestmark = pytest.mark.django_db

HEADER = ["first_name", "last_name", "email", "member", "gender", "role"]


def xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=HEADER) -> bytes:
    return "\n".join(",".join(map(str, line)) for line in [header, *rows]).encode()


def preview(user, content, name="nominations.xlsx", activity=None):
    return import_preview(
        user=user,
        kind=ImportBatch.Kind.NOMINATIONS,
        name=name,
        content=content,
        activity=activity or ActivityFactory(),
    )


def test_a_clean_file_imports_all_rows_as_participants(user_named):
    rows = [
        ["Mei", "Tanaka", "mei@customs.example", "JP", "female", "participant"],
        ["Ravi", "Patel", "", "India", "male", "trainer"],
    ]
    batch = preview(user_named("rocb.ap"), xlsx(rows))
    assert batch.errors == [] and len(batch.rows) == 2
    assert not Nomination.objects.filter(activity=batch.activity).exists()  # nothing before confirmation
    assert import_commit(user=user_named("rocb.ap"), batch=batch) == 2
    participations = Participation.objects.filter(activity=batch.activity).select_related("person")
    assert {(p.person.last_name, p.role) for p in participations} == {
        ("Tanaka", "participant"),
        ("Patel", "trainer"),
    }


def test_each_rows_errors_are_listed_with_row_column_and_reason(user_named):
    activity = ActivityFactory()
    already = PersonFactory(email="taken@customs.example")
    Nomination.objects.create(
        activity=activity, person=already, member=already.member, nominated_by=user_named("rocb.ap")
    )
    rows = [
        ["", "Tanaka", "", "JP", "", ""],
        ["Ana", "Silva", "", "Atlantis", "", ""],
        ["Kofi", "Mensah", "kofi@x.example", "GH", "robot", ""],
        ["Kofi", "Mensah", "kofi@x.example", "GH", "male", ""],
        [already.first_name, already.last_name, "taken@customs.example", "JP", "", ""],
    ]
    batch = preview(user_named("rocb.ap"), xlsx(rows), activity=activity)
    found = {(error["row"], error["column"]) for error in batch.errors}
    assert {(2, "first_name"), (3, "member"), (4, "gender"), (5, "email"), (6, "last_name")} <= found
    assert any("Atlantis" in error["reason"] for error in batch.errors)
    with pytest.raises(Exception, match="nothing was saved"):
        import_commit(user=user_named("rocb.ap"), batch=batch)
    assert Nomination.objects.filter(activity=activity).count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.csv", xlsx([["a", "b", "", "JP", "", ""]]), "looks like an Excel workbook"),
        ("people.xlsx", b"first_name,last_name\nA,B\n", "not an Excel workbook"),
        ("people.xlsx", b"PK\x03\x04garbage", "cannot be read"),
        ("people.csv", "first_name,last_name,member\nÉlodie,Brun,FR\n".encode("latin-1"), "not UTF-8"),
        ("people.csv", b"", "empty"),
        ("people.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx"),
        ("people.csv", b"first_name,surname\nA,B\n", "Required column missing"),
    ],
)
def test_malformed_or_mislabelled_files_are_explained(user_named, name, content, message):
    batch = preview(user_named("rocb.ap"), content, name=name)
    assert any(message in error["reason"] for error in batch.errors), batch.errors


def test_csv_files_work_too(user_named):
    batch = preview(user_named("rocb.ap"), csv_bytes([["Hana", "Kim", "", "KR", "female", ""]]), name="n.csv")
    assert batch.errors == []


def test_all_or_nothing_when_the_data_changed_since_the_preview(user_named):
    rows = [
        ["Mei", "Tanaka", "mei@c.example", "JP", "", ""],
        ["Ravi", "Patel", "ravi@c.example", "IN", "", ""],
    ]
    batch = preview(user_named("rocb.ap"), xlsx(rows))
    person = PersonFactory(email="ravi@c.example", member=Member.objects.get(iso_alpha2="IN"))
    Nomination.objects.create(
        activity=batch.activity, person=person, member=person.member, nominated_by=user_named("rocb.ap")
    )
    with pytest.raises(Exception, match="Row 3"):
        import_commit(user=user_named("rocb.ap"), batch=batch)
    assert not Participation.objects.filter(activity=batch.activity).exists()
    assert Nomination.objects.filter(activity=batch.activity).count() == 1


def test_activity_import_checks_topics_dates_members_and_money(user_named):
    header = [
        "title",
        "kind",
        "lead_office",
        "start_date",
        "end_date",
        "topics",
        "host_member",
        "budget_amount",
        "budget_currency",
    ]
    rows = [
        [
            "Workshop on PCA",
            "national_workshop",
            "rocb-ap",
            "2027-03-01",
            "2027-03-03",
            "pca",
            "TH",
            "15000",
            "EUR",
        ],
        ["Bad dates", "national_workshop", "rocb-ap", "2027-03-05", "2027-03-01", "pca", "TH", "", ""],
        [
            "Bad topic",
            "national_workshop",
            "rocb-ap",
            "2027-03-01",
            "2027-03-02",
            "astrology",
            "Narnia",
            "",
            "",
        ],
        ["No currency", "national_workshop", "rocb-ap", "2027-03-01", "2027-03-02", "", "", "100", ""],
        ["Not mine", "national_workshop", "rocb-esa", "2027-03-01", "2027-03-02", "", "", "", ""],
    ]
    batch = import_preview(
        user=user_named("rocb.ap"),
        kind=ImportBatch.Kind.ACTIVITIES,
        name="a.xlsx",
        content=xlsx(rows, header),
    )
    found = {(error["row"], error["column"]) for error in batch.errors}
    assert {
        (3, "end_date"),
        (4, "topics"),
        (4, "host_member"),
        (5, "budget_currency"),
        (6, "lead_office"),
    } <= found
    assert not Activity.objects.filter(title="Workshop on PCA").exists()
    clean = import_preview(
        user=user_named("rocb.ap"),
        kind=ImportBatch.Kind.ACTIVITIES,
        name="a.xlsx",
        content=xlsx(rows[:1], header),
    )
    assert import_commit(user=user_named("rocb.ap"), batch=clean) == 1
    created = Activity.objects.get(title="Workshop on PCA")
    assert created.region.code == "A/P" and list(created.topics.values_list("slug", flat=True)) == ["pca"]


def test_upload_pages(client_for):
    activity = ActivityFactory()
    client = client_for("rocb.ap")
    upload = io.BytesIO(xlsx([["Mei", "Tanaka", "", "JP", "female", ""]]))
    upload.name = "nominations.xlsx"
    response = client.post(f"/activities/{activity.pk}/import/", {"file": upload, "kind": "nominations"})
    assert response.status_code == 302
    preview_page = client.get(response["Location"])
    assert "1 row is ready to import" in preview_page.content.decode()
    client.post(response["Location"])
    assert activity.participations.count() == 1
    # Another user cannot see or confirm someone else's upload.
    assert client_for("rtc.japan").get(response["Location"]).status_code == 404
