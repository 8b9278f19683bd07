"""Issue 7 §2, each finding at its mechanism: bounded zip reading, streamed XLSX rows, the import
permission before reading, upload limits while receiving, names trimmed by bytes, uploads cleaned
up by the job, formula-safe exports, imports that refuse to lose data, UTF-16 text and AES PDFs."""

from __future__ import annotations

import csv
import datetime
import io
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from activities.imports import import_preview, read_table
from activities.models import ImportBatch, Status
from activities.tests.factories import ActivityFactory, ParticipationFactory, PersonFactory
from core.exports import spreadsheet_safe
from core.safe_zip import SafeZip, ZipBombError, ZipLimits, ZipRefused
from core.tests import hostile_files as hostile
from core.uploads import safe_filename
from jobs.models import Job
from jobs.queues import DatabaseQueue
from knowledge.extraction import ExtractionError, extract_text
from knowledge.jobs import INGEST
from knowledge.models import Document

LIMITS = ZipLimits(max_unpacked=10 * 1024 * 1024, max_ratio=100, ratio_floor=1024 * 1024)


# --- zip reading -------------------------------------------------------------------------------


def test_a_member_that_lies_about_its_size_is_refused_after_reading_what_it_declares():
    archive = SafeZip(hostile.docx_fake_sizes(), LIMITS)
    started = time.monotonic()
    with pytest.raises(ZipBombError, match="false sizes"):
        archive.read("word/document.xml")
    assert archive.inflated <= 1000 + 64 * 1024  # at most one chunk past what it declared
    assert time.monotonic() - started < 1


def test_every_inflated_byte_is_charged_to_one_budget_for_the_archive():
    # The header admits to 3 MB, within the limit; reading it again and again spends the budget.
    content = hostile._zip_with({"part.xml": b"<a>" + b" " * (3 * 1024 * 1024) + b"</a>"})
    archive = SafeZip(content, ZipLimits(max_unpacked=10 * 1024 * 1024, max_ratio=10_000))
    for _ in range(3):
        archive.read("part.xml")
    with pytest.raises(ZipBombError):
        archive.read("part.xml")
    assert archive.inflated <= 10 * 1024 * 1024 + 64 * 1024


def test_an_honest_bomb_is_refused_from_its_header_before_inflating_anything():
    with pytest.raises(ZipBombError):
        SafeZip(hostile.docx_honest_bomb(), LIMITS)


def test_a_good_archive_is_read_and_repacked_unchanged():
    content = hostile.docx()
    with SafeZip(content, LIMITS) as archive:
        copy = archive.repacked()
    import zipfile

    original, repacked = zipfile.ZipFile(io.BytesIO(content)), zipfile.ZipFile(io.BytesIO(copy))
    assert {info.filename: original.read(info) for info in original.infolist()} == {
        info.filename: repacked.read(info) for info in repacked.infolist()
    }
    with pytest.raises(ZipRefused):
        SafeZip(b"PK\x03\x04garbage", LIMITS)


def test_docx_extraction_is_bounded_and_fast_for_the_probes_file():
    bomb = hostile.docx_fake_sizes()
    started = time.monotonic()
    with pytest.raises(ExtractionError, match="false sizes"):
        extract_text("report.docx", bomb)
    assert time.monotonic() - started < 2
    assert extract_text("report.docx", hostile.docx())[1].startswith("Good practice report")


# --- XLSX imports ------------------------------------------------------------------------------


def test_the_xlsx_bomb_is_refused_at_once_and_data_after_the_sheet_is_never_parsed():
    bomb, liar = hostile.xlsx_bomb(), hostile.xlsx_fake_sizes()
    started = time.monotonic()
    with pytest.raises(Exception, match="decompression bomb"):
        read_table("people.xlsx", bomb)
    with pytest.raises(Exception, match="false sizes|damaged"):
        read_table("people.xlsx", liar)
    assert time.monotonic() - started < 2
    # Within the limits (5 MB of elements after </sheetData>), the rows are read and the rest is not.
    members = hostile._members(hostile.xlsx(*hostile.NOMINATION_TABLE[:1], [hostile.NOMINATION_TABLE[1]]))
    sheet = members["xl/worksheets/sheet1.xml"]
    head, tail = sheet.split(b"</sheetData>")
    members["xl/worksheets/sheet1.xml"] = (
        head + b"</sheetData><extLst>" + b"<x/>" * (1024 * 1024) + b"</extLst>" + tail
    )
    started = time.monotonic()
    rows = read_table("people.xlsx", hostile._zip_with(members))
    assert time.monotonic() - started < 1  # openpyxl takes several seconds on this
    assert rows == [{"first_name": "Mei", "last_name": "Tanaka", "member": "JP", "email": "mei@c.example"}]


def test_xlsx_values_read_as_before_dates_numbers_and_shared_strings():
    header = ["title", "start_date", "budget_amount", "count"]
    rows = [["Ünïcode title", datetime.date(2027, 3, 1), 1500.5, 3]]
    assert read_table("a.xlsx", hostile.xlsx(header, rows)) == [
        {"title": "Ünïcode title", "start_date": "2027-03-01", "budget_amount": "1500.5", "count": "3"}
    ]


def test_an_excel_written_workbook_reads_shared_strings_dates_and_gaps():
    content = hostile.excel_style_xlsx(
        [
            ["first_name", "last_name", "member", "", "start_date", "budget_amount", "active"],
            ["Mei", "Tanaka & Co", "JP", None, datetime.date(2027, 3, 1), 1500.25, True],
        ]
    )
    # The first heading is in two rich-text runs with a phonetic guide, which is not part of the text.
    assert read_table("a.xlsx", content) == [
        {
            "first_name": "Mei",
            "last_name": "Tanaka & Co",
            "member": "JP",
            "start_date": "2027-03-01",
            "budget_amount": "1500.25",
            "active": "True",
        }
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "a.csv",
            hostile.csv_text(["email", "first_name", "email"], [["a@x", "A", "b@x"]]),
            "“email” appears twice (columns A and C)",
        ),
        (
            "a.xlsx",
            hostile.xlsx(["email", "first_name", "Email"], [["a@x", "A", "b@x"]]),
            "“email” appears twice",
        ),
        (
            "a.xlsx",
            hostile.xlsx(["first_name", "budget_amount"], [["A", "=1/0"]]),
            "Row 2, column B (cell B2) holds a formula",
        ),
        (
            "a.csv",
            hostile.csv_text(["first_name"], [["A", "lost"]]),
            "Row 2, column B has a value but the column has no heading",
        ),
    ],
)
def test_files_that_would_lose_data_are_refused_with_the_cell(name, content, message):
    with pytest.raises(Exception, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_table(name, content)


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["NaN", "nan", "sNaN", "inf", "-Infinity", "1e400", "12.345"])
def test_amounts_that_are_not_amounts_are_row_errors_not_500s(user_named, amount):
    header, row = hostile.ACTIVITY_TABLE
    row = [amount if heading == "budget_amount" else cell for heading, cell in zip(header, row, strict=True)]
    batch = import_preview(
        user=user_named("rocb.ap"),
        kind=ImportBatch.Kind.ACTIVITIES,
        name="a.csv",
        content=hostile.csv_text(header, [row]),
    )
    assert [(error["row"], error["column"]) for error in batch.errors] == [(2, "budget_amount")]


@pytest.mark.django_db
def test_unknown_columns_are_refused_rather_than_dropped(user_named):
    header, row = hostile.NOMINATION_TABLE
    batch = import_preview(
        user=user_named("rocb.ap"),
        kind=ImportBatch.Kind.NOMINATIONS,
        name="n.csv",
        content=hostile.csv_text([*header[:-1], "emial"], [row]),
        activity=ActivityFactory(),
    )
    assert batch.errors[0]["column"] == "emial" and "Unknown column" in batch.errors[0]["reason"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("expert", "/activities/import/"),
        ("researcher", "/activities/import/"),
        ("donor", "/activities/import/"),
    ],
)
def test_the_import_permission_is_checked_before_the_file_is_read(client_for, monkeypatch, username, url):
    read = []
    monkeypatch.setattr("activities.imports.read_table", lambda *args: read.append(args) or [])
    upload = SimpleUploadedFile("people.xlsx", hostile.xlsx_bomb())
    response = client_for(username).post(url, {"file": upload, "kind": "activities"})
    assert response.status_code == 403 and read == []
    assert client_for(username).get(url).status_code == 403
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_nominations_import_needs_the_right_to_nominate(client_for):
    activity = ActivityFactory(status=Status.SCHEDULED)
    upload = SimpleUploadedFile(
        "n.csv", hostile.csv_text(*hostile.NOMINATION_TABLE[:1], [hostile.NOMINATION_TABLE[1]])
    )
    assert (
        client_for("expert")
        .post(f"/activities/{activity.pk}/import/", {"file": upload, "kind": "nominations"})
        .status_code
        == 403
    )
    assert client_for("focal.kenya").get(f"/activities/{activity.pk}/import/").status_code == 200


# --- upload limits and names --------------------------------------------------------------------


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/knowledge/upload/", "/api/knowledge/documents/"])
def test_a_60_mb_upload_is_refused_before_it_is_stored(client_for, url, monkeypatch):
    received = []
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    original = TemporaryFileUploadHandler.receive_data_chunk
    monkeypatch.setattr(
        TemporaryFileUploadHandler,
        "receive_data_chunk",
        lambda self, data, start: received.append(len(data)) or original(self, data, start),
    )
    files = stored_files()
    client = client_for("focal.kenya")
    upload = SimpleUploadedFile("big.txt", b"words " * (10 * 1024 * 1024))
    response = client.post(
        url, {"files" if "api" not in url else "file": upload, "kind": "other", "visibility": "network"}
    )
    assert response.status_code == 400
    assert "larger than 25 MB" in response.content.decode()
    assert sum(received) <= settings.UPLOAD_MAX_BYTES  # the rest was never written to disk
    assert stored_files() == files and not Job.objects.exists()


def test_names_are_trimmed_by_bytes_keeping_the_extension():
    name = safe_filename("𠀀" * 100 + ".pdf")
    assert name.endswith(".pdf") and len(name.encode()) <= 120 and name.startswith("𠀀")
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("a\x00b\u202e.txt") == "ab.txt"
    assert safe_filename("") == "file" and safe_filename(".pdf") == "pdf"
    assert len(safe_filename("é" * 300, max_bytes=255).encode()) <= 255


@pytest.mark.django_db
def test_a_four_byte_name_is_stored_not_a_500(client_for):
    client = client_for("focal.kenya")
    upload = SimpleUploadedFile("𠀀" * 100 + ".txt", hostile.GOOD_TEXT.encode())
    response = client.post(
        "/knowledge/upload/", {"files": [upload], "kind": "other", "visibility": "network"}
    )
    assert response.status_code == 302
    DatabaseQueue().work(burst=True)
    document = Document.objects.get()
    version = document.versions.get()
    assert version.filename.endswith(".txt") and Path(version.file.name).name.endswith(".txt")


@pytest.mark.django_db
def test_the_job_deletes_the_uploaded_copies_accepted_or_refused(client_for):
    files = stored_files()
    client = client_for("focal.kenya")
    uploads = [
        SimpleUploadedFile("good.txt", hostile.GOOD_TEXT.encode()),
        SimpleUploadedFile("blank.txt", b"   \n" * 20),  # passes the upload checks, refused by the job
    ]
    response = client.post("/knowledge/upload/", {"files": uploads, "kind": "other", "visibility": "network"})
    assert response.status_code == 302
    assert any(name.startswith("uploads/") for name in stored_files() - files)
    DatabaseQueue().work(burst=True)
    left = stored_files() - files
    assert not any(name.startswith("uploads/") for name in left)
    assert len(left) == 1  # the stored document's own version
    job = Job.objects.get(kind=INGEST)
    assert {outcome["name"]: outcome["status"] for outcome in job.outcomes} == {
        "good.txt": "created",
        "blank.txt": "failed",
    }


@pytest.mark.django_db
def test_a_mislabelled_file_among_several_is_reported_and_never_stored(client_for):
    files = stored_files()
    uploads = [
        SimpleUploadedFile("good.txt", hostile.GOOD_TEXT.encode()),
        SimpleUploadedFile("fake.pdf", hostile.docx()),
    ]
    response = client_for("focal.kenya").post(
        "/knowledge/upload/", {"files": uploads, "kind": "other", "visibility": "network"}
    )
    assert response.status_code == 302
    job = Job.objects.get(kind=INGEST)
    assert [item["name"] for item in job.payload["items"] if "storage_name" in item] == ["good.txt"]
    assert len(stored_files() - files) == 1


# --- exports -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_quoted(value):
    assert spreadsheet_safe(value) == "'" + value


def test_numbers_and_dates_stay_what_they_are():
    from decimal import Decimal

    for value in (-5, 2.5, Decimal("-1.50"), datetime.date(2027, 1, 1), None, True):
        assert spreadsheet_safe(value) == value
    assert spreadsheet_safe("Plain title") == "Plain title"


@pytest.mark.django_db
def test_csv_and_xlsx_exports_neutralise_formulas(client_for):
    title = '=HYPERLINK("http://evil.example","Click")'
    ActivityFactory(title=title, status=Status.SCHEDULED, city="-cmd", budget_amount=1500)
    client = client_for("secretariat")
    rows = list(
        csv.reader(
            io.StringIO(b"".join(client.get("/activities/", {"export": "csv"}).streaming_content).decode())
        )
    )
    assert ["'" + title] == [cell for cell in rows[1] if "HYPERLINK" in cell]
    assert "'-cmd" in rows[1]
    response = client.get("/activities/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    hyperlink = next(cell for cell in cells if "HYPERLINK" in str(cell.value))
    assert hyperlink.data_type == "s" and hyperlink.value == "'" + title  # text, not a formula
    assert not any(cell.data_type == "f" for cell in cells)


@pytest.mark.django_db
def test_the_participants_export_neutralises_names(client_for):
    person = PersonFactory(first_name="=cmd|' /C calc'!A0", last_name="@SUM")
    ParticipationFactory(person=person, activity=ActivityFactory(status=Status.SCHEDULED))
    response = client_for("secretariat").get("/activities/participations/", {"export": "csv"})
    content = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(content)))
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.django_db
def test_the_dashboard_csv_neutralises_labels(client_for, monkeypatch):
    from activities import dashboards

    monkeypatch.setattr(
        dashboards,
        "cached_dashboard_data",
        lambda *args, **kwargs: {"kind": {"labels": ["=1+1", "Plain"], "values": [1, -2]}},
    )
    response = client_for("secretariat").get("/activities/dashboard/", {"chart": "kind"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1:] == [["'=1+1", "1"], ["Plain", "-2"]]


# --- formats that should work ---------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_text_with_a_byte_order_mark(encoding):
    text = "Rapport : la douane a créé une unité de gestion des risques."
    content = text.encode(encoding)
    if encoding == "utf-16-be":
        content = b"\xfe\xff" + content
    assert extract_text("notes.txt", content) == ("text", text)
    assert extract_text("notes.md", content)[1] == text


def test_an_aes_encrypted_pdf_with_an_empty_user_password_is_read():
    kind, text = extract_text("report.pdf", hostile.encrypted_pdf("", algorithm="AES-256"))
    assert kind == "pdf" and "post-clearance audit" in text
    assert extract_text("report.pdf", hostile.encrypted_pdf("", algorithm="AES-128"))[0] == "pdf"
    with pytest.raises(ExtractionError, match="encrypted"):
        extract_text("report.pdf", hostile.encrypted_pdf("secret"))


@pytest.mark.django_db
def test_a_certificate_for_a_name_with_quotes_and_line_breaks_downloads(client_for):
    from activities.models import Attendance

    person = PersonFactory(last_name='O"Brien\r\nSet-Cookie: x=1 𠀀')
    activity = ActivityFactory(status=Status.DELIVERED)
    participation = ParticipationFactory(person=person, activity=activity, attendance=Attendance.ATTENDED)
    response = client_for("secretariat").get(f"/activities/participations/{participation.pk}/certificate.pdf")
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert "\n" not in header and "\r" not in header and header.startswith("attachment;")
