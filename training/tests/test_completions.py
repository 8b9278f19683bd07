"""Completion imports from an LMS export: a preview with each row's errors, then every row or none;
learners matched inside the uploader's scope; a completion reported again is updated; the confirm as
a job; and a person's completions on their page."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from openpyxl import Workbook

from activities.imports import import_commit, import_may_upload, import_preview
from activities.models import ImportBatch
from activities.tests.factories import ActivityFactory, ParticipationFactory, PersonFactory
from jobs.models import JobStatus
from jobs.services import job_run
from network.models import Member, Office
from people.models import Person
from training import completions  # noqa: F401 - registers the import kind and its job
from training.completions import (
    completion_import_enqueue,
    completion_import_preview,
    read_completion_table,
)
from training.elearning import completion_record, person_completions
from training.models import Completion, CompletionSource, Product, ProductStatus

pytestmark = pytest.mark.django_db

HEADER = [
    "email",
    "first_name",
    "last_name",
    "member",
    "product",
    "status",
    "enrolled_on",
    "completed_on",
    "score",
]


def csv_bytes(rows, header=HEADER) -> bytes:
    return "\n".join(",".join(map(str, line)) for line in [header, *rows]).encode()


def xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_product(office_code="rtc-japan", **fields) -> Product:
    values = {
        "owner_office": Office.objects.get(code=office_code),
        "title": "Introduction to the Revised Kyoto Convention",
        "kind": "elearning",
        "level": "foundation",
        "duration_hours": 4,
        "delivery_modes": "virtual",
        "languages": "en",
        "status": ProductStatus.OFFERED,
        **fields,
    }
    return Product.objects.create(**values)


@pytest.fixture
def module(db) -> Product:
    return make_product()


@pytest.fixture
def learner(db) -> Person:
    """A Japanese officer who attended one of RTC Japan's workshops: in the centre's scope."""
    person = PersonFactory(
        first_name="Aiko",
        last_name="Tanaka",
        email="aiko.tanaka@customs.go.jp",
        member=Member.objects.get(iso_alpha2="JP"),
    )
    ParticipationFactory(
        activity=ActivityFactory(lead_office=Office.objects.get(code="rtc-japan")), person=person
    )
    return person


def preview(user, content, name="lms.csv"):
    return completion_import_preview(user=user, name=name, content=content)


def reasons(batch) -> dict[tuple[int, str], str]:
    return {(error["row"], error["column"]): error["reason"] for error in batch.errors}


def test_a_clean_export_imports_every_row_and_adds_new_learners_once(user_named, module, learner):
    rtc = user_named("rtc.japan")
    rows = [
        [
            "AIKO.TANAKA@customs.go.jp",
            "Aiko",
            "Tanaka",
            "JP",
            module.pk,
            "completed",
            "2025-01-10",
            "2025-02-01",
            "88.5",
        ],
        ["", "Kenta", "Mori", "Japan", module.title, "enrolled", "2025-03-01", "", ""],
        ["", "Kenta", "Mori", "JPN", module.pk, "passed", "2025-03-01", "2025-03-20", "91"],
    ]
    batch = preview(rtc, csv_bytes(rows))
    assert batch.errors == []
    assert [row["person"] for row in batch.rows] == [learner.pk, None, None]
    people = Person.objects.count()
    assert import_commit(user=rtc, batch=batch) == 3
    assert Person.objects.count() == people + 1  # Kenta Mori once, for his two rows
    kenta = Person.objects.get(last_name="Mori")
    assert kenta.member.iso_alpha2 == "JP" and kenta.name_key == "kenta mori"
    aiko = Completion.objects.get(person=learner)
    assert (aiko.status, aiko.completed_on, aiko.score, aiko.source) == (
        "completed",
        datetime.date(2025, 2, 1),
        Decimal("88.50"),
        CompletionSource.IMPORT,
    )
    assert aiko.member.iso_alpha2 == "JP"
    assert set(kenta.completions.values_list("status", flat=True)) == {"enrolled", "passed"}
    batch.refresh_from_db()
    assert batch.imported_at is not None


def test_an_xlsx_export_imports_too(user_named, module, learner):
    rows = [
        [
            "aiko.tanaka@customs.go.jp",
            "Aiko",
            "Tanaka",
            "JP",
            module.pk,
            "passed",
            None,
            datetime.date(2025, 5, 2),
            75,
        ]
    ]
    batch = preview(user_named("rtc.japan"), xlsx(rows), name="lms.xlsx")
    assert batch.errors == []
    assert import_commit(user=user_named("rtc.japan"), batch=batch) == 1
    assert Completion.objects.get(person=learner).completed_on == datetime.date(2025, 5, 2)


def test_a_completion_reported_again_is_updated_not_refused(user_named, module, learner):
    rtc = user_named("rtc.japan")
    first = preview(
        rtc,
        csv_bytes(
            [[learner.email, "Aiko", "Tanaka", "JP", module.pk, "passed", "2025-01-02", "2025-02-01", "70"]]
        ),
    )
    import_commit(user=rtc, batch=first)
    again = preview(
        rtc, csv_bytes([[learner.email, "Aiko", "Tanaka", "JP", module.pk, "passed", "", "2025-02-03", "82"]])
    )
    assert again.errors == [] and again.rows[0]["update"] is True
    import_commit(user=rtc, batch=again)
    completion = Completion.objects.get(person=learner, product=module)
    assert completion.score == Decimal("82") and completion.completed_on == datetime.date(2025, 2, 3)
    assert completion.enrolled_on == datetime.date(2025, 1, 2)  # an empty cell keeps what was recorded


def test_one_bad_row_and_nothing_is_saved(user_named, module, learner):
    rtc = user_named("rtc.japan")
    rows = [
        [learner.email, "Aiko", "Tanaka", "JP", module.pk, "completed", "", "2025-02-01", ""],
        ["", "Kenta", "Mori", "JP", module.pk, "completed", "", "2025-02-01", "140"],
    ]
    batch = preview(rtc, csv_bytes(rows))
    assert reasons(batch) == {(3, "score"): "A score is between 0 and 100."}
    people, completions_before = Person.objects.count(), Completion.objects.count()
    with pytest.raises(ValidationError, match="Correct the errors"):
        import_commit(user=rtc, batch=batch)
    assert (Person.objects.count(), Completion.objects.count()) == (people, completions_before)


def test_every_bad_cell_is_named_with_its_reason(user_named, module, learner):
    rtc = user_named("rtc.japan")
    course = make_product(title="Risk management workshop", kind="technical")
    retired = make_product(title="Old valuation module", status=ProductStatus.RETIRED)
    other_rtc = Office.objects.filter(kind="rtc", region__code="A/P").exclude(code="rtc-japan").first()
    theirs = make_product(office_code=other_rtc.code, title="Their module")
    make_product(title="Twice")
    make_product(title="Twice")
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    rows = [
        ["", "A", "One", "JP", "no such module", "completed", "", "2025-01-01", ""],  # 2
        ["", "A", "Two", "JP", course.pk, "completed", "", "2025-01-01", ""],  # 3
        ["", "A", "Three", "JP", retired.pk, "completed", "", "2025-01-01", ""],  # 4
        ["", "A", "Four", "JP", module.pk, "completed", "", tomorrow, ""],  # 5
        ["", "A", "Five", "JP", module.pk, "completed", "1999-12-31", "2025-01-01", ""],  # 6
        ["", "A", "Six", "JP", module.pk, "completed", "", "01/02/2025", ""],  # 7
        ["", "A", "Seven", "JP", module.pk, "completed", "", "2025-01-01", "-1"],  # 8
        ["", "A", "Eight", "JP", module.pk, "completed", "", "2025-01-01", "lots"],  # 9
        ["", "A", "Nine", "JP", module.pk, "finished", "", "2025-01-01", ""],  # 10
        ["", "A", "Ten", "JP", module.pk, "completed", "", "", ""],  # 11
        ["", "A", "Eleven", "JP", module.pk, "completed", "2025-02-01", "2025-01-01", ""],  # 12
        ["not-an-email", "A", "Twelve", "JP", module.pk, "completed", "", "2025-01-01", ""],  # 13
        ["", "A", "Thirteen", "Atlantis", module.pk, "completed", "", "2025-01-01", ""],  # 14
        ["", "A", "Fourteen", "JP", theirs.pk, "completed", "", "2025-01-01", ""],  # 15
        ["", "A", "Fifteen", "JP", "Twice", "completed", "", "2025-01-01", ""],  # 16
        ["", "A", "Sixteen", "JP", module.pk, "enrolled", "", "", ""],  # 17
        ["", "A", "Seventeen", "JP", module.pk, "completed", "", "2025-01-01", "12.345"],  # 18
        ["", "", "Eighteen", "JP", "", "", "", "", ""],  # 19
        [learner.email, "Aiko", "Tanaka", "JP", module.pk, "completed", "", "2025-01-01", ""],  # 20
        [learner.email, "Aiko", "Tanaka", "JP", module.pk, "completed", "", "2025-01-02", ""],  # 21
    ]
    found = reasons(preview(rtc, csv_bytes(rows)))
    expected = {
        (2, "product"): "Unknown product “no such module”: give its id or its exact title.",
        (3, "product"): "“Risk management workshop” is not an e-learning module.",
        (4, "product"): "“Old valuation module” is retired: its completions are no longer recorded.",
        (5, "completed_on"): "The date must be between 2000-01-01 and today.",
        (6, "enrolled_on"): "The date must be between 2000-01-01 and today.",
        (7, "completed_on"): "“01/02/2025” is not a date (YYYY-MM-DD).",
        (8, "score"): "A score is between 0 and 100.",
        (9, "score"): "“lots” is not a number.",
        (10, "status"): "“finished” is not one of: enrolled, completed, passed.",
        (11, "completed_on"): "Give the date the module was completed.",
        (12, "completed_on"): "The completion date is before the enrolment date.",
        (13, "email"): "“not-an-email” is not an email address.",
        (14, "member"): "Unknown member administration “Atlantis”.",
        (15, "product"): "You may not record completions of “Their module”.",
        (16, "product"): "Several products are titled “Twice”: give its id.",
        (17, "enrolled_on"): "Give the date of enrolment.",
        (18, "score"): "Give a score with at most two decimals.",
        (19, "first_name"): "Required.",
        (19, "product"): "Required.",
        (19, "status"): "Required.",
        (21, "product"): "Same completion as row 20.",
    }
    for key, reason in expected.items():
        assert found.get(key) == reason, key
    assert not any(row == 20 for row, _column in found)


def test_the_columns_are_checked_before_the_rows(user_named):
    batch = preview(
        user_named("rtc.japan"),
        csv_bytes([["x"] * 6], ["email", "first_name", "last_name", "member", "product", "emial"]),
    )
    assert reasons(batch) == {
        (1, "status"): "Required column missing.",
        (1, "emial"): (
            "Unknown column; the columns are: first_name, last_name, member, product, status, email, "
            "enrolled_on, completed_on, score."
        ),
    }


def test_an_importer_matches_and_touches_nobody_outside_their_scope(user_named, module):
    kenya = Member.objects.get(iso_alpha2="KE")
    hidden = PersonFactory(
        first_name="Wanjiru", last_name="Hiddenname", email="w.hidden@kra.go.ke", member=kenya
    )
    rows = [
        ["w.hidden@kra.go.ke", "Someone", "Else", "JP", module.pk, "completed", "", "2025-01-01", ""],
        ["", "Wanjiru", "Hiddenname", "KE", module.pk, "completed", "", "2025-01-01", ""],
    ]
    batch = preview(user_named("rtc.japan"), csv_bytes(rows))
    found = reasons(batch)
    assert found[(2, "email")].startswith("This email address belongs to a person outside your scope.")
    # Kenya is another region's: the centre may neither see nor add its people.
    assert found[(3, "last_name")] == (
        "Nobody in your scope has this email or name, and you may not add people of this administration."
    )
    assert "Hiddenname" not in str(batch.errors) and "w.hidden" not in str(batch.errors)
    assert all(row["person"] is None for row in batch.rows)
    with pytest.raises(ValidationError):
        import_commit(user=user_named("rtc.japan"), batch=batch)
    assert not hidden.completions.exists()
    hidden.refresh_from_db()
    assert (hidden.first_name, hidden.member_id) == ("Wanjiru", kenya.pk)


def test_a_centre_sees_the_learners_it_imported_when_it_imports_again(user_named, module):
    """The learners an RTC added took no part in its activities; their completions put them in its
    scope, so a second file matches them instead of refusing their emails."""
    rtc = user_named("rtc.japan")
    row = ["kenta.mori@customs.go.jp", "Kenta", "Mori", "JP", module.pk, "passed", "", "2025-01-01", "80"]
    import_commit(user=rtc, batch=preview(rtc, csv_bytes([row])))
    again = preview(rtc, csv_bytes([[*row[:5], "completed", "", "2025-01-01", ""]]))
    assert again.errors == []
    assert again.rows[0]["person"] == Person.objects.get(email="kenta.mori@customs.go.jp").pk


def test_who_may_upload(user_named, module):
    content = csv_bytes([["", "A", "B", "KE", module.pk, "completed", "", "2025-01-01", ""]])
    for username in ("focal.kenya", "rocb.ap", "expert", "researcher", "donor"):
        assert not import_may_upload(user_named(username), kind=ImportBatch.Kind.COMPLETIONS)
        with pytest.raises(ValidationError, match="You may not record e-learning completions."):
            preview(user_named(username), content)
        with pytest.raises(ValidationError, match="You may not record e-learning completions."):
            import_preview(
                user=user_named(username), kind=ImportBatch.Kind.COMPLETIONS, name="x.csv", content=content
            )
    assert import_may_upload(user_named("rtc.japan"), kind=ImportBatch.Kind.COMPLETIONS)
    # The Secretariat records any centre's completions, and adds people of any administration.
    batch = preview(user_named("secretariat"), content)
    assert batch.errors == []
    assert import_commit(user=user_named("secretariat"), batch=batch) == 1
    assert Completion.objects.get(product=module).member.iso_alpha2 == "KE"


def test_the_generic_import_flow_takes_the_kind_too(user_named, module, learner):
    rtc = user_named("rtc.japan")
    content = csv_bytes(
        [[learner.email, "Aiko", "Tanaka", "JP", module.pk, "completed", "", "2025-01-01", ""]]
    )
    batch = import_preview(user=rtc, kind=ImportBatch.Kind.COMPLETIONS, name="lms.csv", content=content)
    assert batch.errors == []
    assert import_commit(user=rtc, batch=batch) == 1


def test_the_rows_are_checked_again_when_confirmed(user_named, module, learner):
    rtc = user_named("rtc.japan")
    batch = preview(
        rtc,
        csv_bytes([[learner.email, "Aiko", "Tanaka", "JP", module.pk, "completed", "", "2025-01-01", ""]]),
    )
    Product.objects.filter(pk=module.pk).update(status=ProductStatus.RETIRED)
    with pytest.raises(
        ValidationError, match=r"Row 2: .* is retired: its completions are no longer recorded\. Nothing"
    ):
        import_commit(user=rtc, batch=batch)
    assert not Completion.objects.exists()


def test_only_the_uploader_confirms_and_only_once(user_named, module, learner):
    batch = preview(
        user_named("rtc.japan"),
        csv_bytes([[learner.email, "Aiko", "Tanaka", "JP", module.pk, "completed", "", "2025-01-01", ""]]),
    )
    with pytest.raises(ValidationError, match="Only the person who uploaded"):
        import_commit(user=user_named("secretariat"), batch=batch)
    import_commit(user=user_named("rtc.japan"), batch=batch)
    with pytest.raises(ValidationError, match="already imported"):
        import_commit(user=user_named("rtc.japan"), batch=batch)


def test_a_long_export_passes_the_nominations_row_limit(user_named, module):
    rows = [
        [
            f"learner{n}@customs.go.jp",
            "Learner",
            f"Number{n}",
            "JP",
            module.pk,
            "completed",
            "",
            "2025-01-01",
            "",
        ]
        for n in range(6000)
    ]
    assert len(read_completion_table("lms.csv", csv_bytes(rows))) == 6000


def test_the_confirm_as_a_job(user_named, module, learner):
    rtc = user_named("rtc.japan")
    rows = [
        [learner.email, "Aiko", "Tanaka", "JP", module.pk, "completed", "", "2025-01-01", "60"],
        ["", "Kenta", "Mori", "JP", module.pk, "completed", "", "2025-01-01", ""],
    ]
    batch = preview(rtc, csv_bytes(rows))
    job = completion_import_enqueue(user=rtc, batch=batch)
    assert completion_import_enqueue(user=rtc, batch=batch) == job  # confirmed twice: one job
    with pytest.raises(ValidationError, match="Only the person who uploaded"):
        completion_import_enqueue(user=user_named("secretariat"), batch=batch)
    job = job_run(job.pk)
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"rows": 2, "created": 2, "updated": 0, "people_created": 1}
    assert "2 rows imported" in job.outcomes[0]["reason"]
    assert Completion.objects.filter(product=module).count() == 2
    bad = preview(rtc, csv_bytes([["", "Kenta", "Mori", "JP", module.pk, "completed", "", "2025-13-01", ""]]))
    with pytest.raises(ValidationError, match="Correct the errors"):
        completion_import_enqueue(user=rtc, batch=bad)


def test_completion_record_by_hand(user_named, module, learner):
    rtc = user_named("rtc.japan")
    completion = completion_record(
        user=rtc,
        person=learner,
        product=module,
        status="passed",
        completed_on=datetime.date(2025, 1, 5),
        score=90,
    )
    again = completion_record(user=rtc, person=learner, product=module, status="passed", score=95)
    assert (
        again.pk == completion.pk
        and again.score == Decimal("95")
        and again.completed_on == datetime.date(2025, 1, 5)
    )
    with pytest.raises(ValidationError, match="score"):
        completion_record(user=rtc, person=learner, product=module, status="passed", score=101)
    hidden = PersonFactory(member=Member.objects.get(iso_alpha2="KE"))
    with pytest.raises(ValidationError):
        completion_record(user=rtc, person=hidden, product=module, status="passed")


def test_a_persons_completions_for_their_page(user_named, module, learner):
    completion_record(
        user=user_named("secretariat"),
        person=learner,
        product=module,
        status="passed",
        completed_on=datetime.date(2025, 1, 5),
        score=90,
    )
    assert list(person_completions(user_named("rtc.japan"), learner)) == list(learner.completions.all())
    assert list(person_completions(user_named("rocb.ap"), learner)) == list(learner.completions.all())
    assert not person_completions(user_named("focal.kenya"), learner).exists()
    html = render_to_string(
        "training/_person_completions.html",
        {"completions": person_completions(user_named("rtc.japan"), learner)},
    )
    assert module.title in html and "Passed" in html and "90" in html
    empty = render_to_string("training/_person_completions.html", {"completions": Completion.objects.none()})
    assert "None recorded." in empty


def test_a_title_shared_with_a_retired_module_names_the_current_one(user_named, module, learner):
    make_product(title=module.title, status=ProductStatus.RETIRED)
    batch = preview(
        user_named("rtc.japan"),
        csv_bytes([[learner.email, "Aiko", "Tanaka", "JP", module.title, "completed", "", "2025-01-01", ""]]),
    )
    assert batch.errors == [] and batch.rows[0]["product_id"] == module.pk


def test_the_upload_page_previews_then_confirms_as_a_job(client_for, module, learner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jobs.queues import DatabaseQueue

    client = client_for("rtc.japan")
    assert client.get("/training/completions/import/").status_code == 200
    row = [learner.email, "Aiko", "Tanaka", "JP", module.pk, "completed", "", "2025-01-10", "90"]
    upload = SimpleUploadedFile("lms.csv", csv_bytes([row]), content_type="text/csv")
    response = client.post("/training/completions/import/", {"file": upload})
    assert response.status_code == 302 and "/activities/imports/" in response["Location"]
    assert not Completion.objects.exists()  # nothing before the confirm
    confirm = client.post(response["Location"])
    assert confirm.status_code == 302 and "/jobs/" in confirm["Location"]
    DatabaseQueue().work(burst=True)
    assert Completion.objects.get(person=learner, product=module).status == "completed"
    assert client_for("focal.kenya").get("/training/completions/import/").status_code == 403


def test_a_persons_page_lists_their_completions_for_those_who_may_see_them(client_for, module, learner):
    Completion.objects.create(
        person=learner, member=learner.member, product=module, status="passed", source="import"
    )
    page = client_for("rtc.japan").get(f"/people/{learner.pk}/")
    assert page.status_code == 200 and module.title in page.content.decode()
    assert client_for("focal.kenya").get(f"/people/{learner.pk}/").status_code == 404


def test_a_product_cell_of_odd_digits_is_a_row_error_not_a_crash(user_named, module, learner):
    rows = [[learner.email, "Aiko", "Tanaka", "JP", "²", "completed", "", "2025-01-10", ""]]
    batch = preview(user_named("rtc.japan"), csv_bytes(rows))
    assert reasons(batch)[(2, "product")].startswith("Unknown product")


def test_completions_of_a_product_not_yet_offered_are_refused(user_named, learner):
    pilot = make_product(title="Pilot module", status=ProductStatus.ENDORSED)
    rows = [[learner.email, "Aiko", "Tanaka", "JP", pilot.pk, "completed", "", "2025-01-10", ""]]
    batch = preview(user_named("rtc.japan"), csv_bytes(rows))
    assert "not offered yet" in reasons(batch)[(2, "product")]
