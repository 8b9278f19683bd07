"""Hostile files, made in code: what a careless user or an attacker sends to every upload and import.

Each `Hostile` has a name and a builder; the builder is given the table an import expects (its
heading and one good row), so the same hostile shape (a duplicated heading, a formula) is built for
the nominations import, the activities import and, where it makes sense, the document uploads.
Expensive files (zip bombs) are built once per test session.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from openpyxl import Workbook

GOOD_TEXT = (
    "Good practice report: post-clearance audit in Kenya.\n\nThe Kenya Revenue Authority built an audit unit "
    "that examines the records of importers after their goods are released, selected with risk profiles."
)
NOMINATION_TABLE = (["first_name", "last_name", "member", "email"], ["Mei", "Tanaka", "JP", "mei@c.example"])
ACTIVITY_TABLE = (
    ["title", "kind", "lead_office", "start_date", "end_date", "budget_amount", "budget_currency"],
    ["Workshop on PCA", "national_workshop", "rocb-ap", "2027-03-01", "2027-03-03", "1500", "EUR"],
)
MB = 1024 * 1024


# --- builders ------------------------------------------------------------------------------------


def xlsx(header: list, rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(header: list, rows: list[list]) -> bytes:
    return "\n".join(",".join(map(str, line)) for line in [header, *rows]).encode()


def docx(text: str = GOOD_TEXT) -> bytes:
    from docx import Document

    document = Document()
    for paragraph in text.split("\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf(text: str | None = GOOD_TEXT) -> bytes:
    """A one-page PDF of `text`; None makes a page without text (as a scan)."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for number, line in enumerate((text or "").split("\n")):
        page.drawString(40, 800 - 16 * number, line[:90])
    page.showPage()
    page.save()
    return buffer.getvalue()


def encrypted_pdf(user_password: str, algorithm: str = "AES-256", text: str = GOOD_TEXT) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf(text))).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _stream_member(archive: zipfile.ZipFile, name: str, head: bytes, filler: bytes, size: int, tail: bytes):
    """Write a member of about `size` bytes without holding it in memory."""
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = 1  # fast to build; it still packs each megabyte into a few hundred bytes
    with archive.open(info, "w") as out:
        out.write(head)
        block = filler * max(1, MB // len(filler))
        for _ in range(size // len(block)):
            out.write(block)
        out.write(tail)


def _zip_with(members: dict[str, bytes], big: tuple | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if big and name == big[0]:
                _stream_member(archive, *big)
            else:
                archive.writestr(name, data)
        if big and big[0] not in members:
            _stream_member(archive, *big)
    return buffer.getvalue()


def _members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def excel_style_xlsx(rows: list[list]) -> bytes:
    """A workbook as Excel writes it (openpyxl writes inline strings): shared strings, one of them in
    rich-text runs with a phonetic guide, a date as a serial number with a date style, a number,
    a boolean, a gap between columns. `rows` hold str, int, float, bool or datetime.date."""
    import datetime
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter

    strings, sheet_rows = [], []
    for number, row in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(row, start=1):
            ref = f"{get_column_letter(column)}{number}"
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, datetime.date):
                serial = (value - datetime.date(1899, 12, 30)).days
                cells.append(f'<c r="{ref}" s="1"><v>{serial}</v></c>')
            elif isinstance(value, int | float):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
        sheet_rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    items = []
    for index, text in enumerate(strings):
        if index == 0 and len(text) > 1:  # the first string in two runs, with a phonetic guide
            items.append(
                f"<si><r><t>{escape(text[:1])}</t></r><r><rPr><b/></rPr><t>{escape(text[1:])}</t></r>"
                '<rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>'
            )
        else:
            items.append(f'<si><t xml:space="preserve">{escape(text)}</t></si>')
    members = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Data" sheetId="1" r:id="rId7"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId7" Type="{rel}/worksheet" Target="worksheets/data.xml"/>'
            f'<Relationship Id="rId8" Type="{rel}/sharedStrings" Target="/xl/strings.xml"/>'
            f'<Relationship Id="rId9" Type="{rel}/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": (
            f'<styleSheet xmlns="{main}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>'
            "</styleSheet>"
        ),
        "xl/strings.xml": f'<sst xmlns="{main}">{"".join(items)}</sst>',
        "xl/worksheets/data.xml": f'<worksheet xmlns="{main}"><sheetData>{"".join(sheet_rows)}</sheetData></worksheet>',
    }
    return _zip_with({name: text.encode() for name, text in members.items()})


@functools.cache
def xlsx_bomb(megabytes: int = 150) -> bytes:
    """The probe's workbook: a valid sheet, then `megabytes` of XML elements after </sheetData>
    (honest zip headers)."""
    members = _members(xlsx(*NOMINATION_TABLE[:1], [NOMINATION_TABLE[1]]))
    sheet = members["xl/worksheets/sheet1.xml"]
    head, tail = sheet.split(b"</sheetData>")
    return _zip_with(
        members,
        big=(
            "xl/worksheets/sheet1.xml",
            head + b"</sheetData><extLst>",
            b"<x/>",
            megabytes * MB,
            b"</extLst>" + tail,
        ),
    )


def lie_about_size(content: bytes, member: str, declared: int = 1000) -> bytes:
    """The archive with `member`'s declared size (and CRC, to match what that size holds) rewritten,
    in the local header and the central directory: the deflated data still inflates in full."""
    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo(member)
        with archive.open(info) as stream:
            crc = zlib.crc32(stream.read(declared))
    struct.pack_into("<I", data, info.header_offset + 14, crc)
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    position = data.find(b"PK\x01\x02")
    while position != -1:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46 : position + 46 + length]) == member.encode():
            struct.pack_into("<I", data, position + 16, crc)
            struct.pack_into("<I", data, position + 24, declared)
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(data)


@functools.cache
def docx_fake_sizes(megabytes: int = 300) -> bytes:
    """The probe's DOCX: ~300 KB that declares 1,000 bytes for word/document.xml and inflates
    `megabytes`."""
    members = _members(docx())
    document = members["word/document.xml"]
    head, tail = document.split(b"</w:body>")
    bomb = _zip_with(members, big=("word/document.xml", head, b"<w:p/>", megabytes * MB, b"</w:body>" + tail))
    return lie_about_size(bomb, "word/document.xml")


@functools.cache
def xlsx_fake_sizes(megabytes: int = 150) -> bytes:
    return lie_about_size(xlsx_bomb(megabytes), "xl/worksheets/sheet1.xml")


@functools.cache
def docx_honest_bomb(megabytes: int = 200) -> bytes:
    """Honest headers, 1,000 times smaller than what it holds."""
    members = _members(docx())
    return _zip_with(members, big=("word/media/filler.bin", b"", b"\x00", megabytes * MB, b""))


def zip_of_many_parts(base: bytes, parts: int = 6000) -> bytes:
    members = _members(base)
    members.update({f"customXml/item{number}.xml": b"<a/>" for number in range(parts)})
    return _zip_with(members)


def recompressed(content: bytes, method: int = zipfile.ZIP_BZIP2) -> bytes:
    """The same parts compressed with another method (bzip2 inflates a whole read in one call)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in _members(content).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def truncated(content: bytes) -> bytes:
    return content[: len(content) // 2]


# --- the set -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    """One hostile file. `build(table)` gets the (heading, good row) of the import it is sent to."""

    id: str
    filename: str
    build: Callable[[tuple], bytes]
    bomb: bool = False  # must be refused fast and within bounded memory
    big: bool = False  # larger than every upload limit

    def content(self, table: tuple) -> bytes:
        return self.build(table)


def _duplicated_heading(table):
    header, row = table
    return csv_text([*header, header[0]], [[*row, "second " + row[0]]])


def _duplicated_heading_xlsx(table):
    header, row = table
    return xlsx([*header, header[0]], [[*row, "second " + row[0]]])


def _formula(table):
    header, row = table
    return xlsx(header, [[*row[:-1], "=1/0"]])


def _with_amount(table, value):
    header, row = table
    if "budget_amount" in header:
        return header, [
            value if heading == "budget_amount" else cell for heading, cell in zip(header, row, strict=True)
        ]
    return [*header, "budget_amount"], [*row, value]


def _nan(table, value="NaN"):
    """A budget cell that reads as NaN: text, as Excel keeps what it cannot take as a number."""
    return xlsx(*_with_amount(table, value)[:1], [_with_amount(table, value)[1]])


def _infinite_number(table):
    """A numeric cell holding 1e999, which reads as float infinity (openpyxl cannot write one)."""
    header, row = _with_amount(table, 987654321)
    sheet = "xl/worksheets/sheet1.xml"
    members = _members(xlsx(header, [row]))
    members[sheet] = members[sheet].replace(b"<v>987654321</v>", b"<v>1e999</v>")
    assert b"1e999" in members[sheet]
    return _zip_with(members)


def _nan_csv(table, value="NaN"):
    header, row = table
    if "budget_amount" in header:
        row = [
            value if heading == "budget_amount" else cell for heading, cell in zip(header, row, strict=True)
        ]
        return csv_text(header, [row])
    return csv_text([*header, "budget_amount"], [[*row, value]])


def _value_without_heading(table):
    header, row = table
    return csv_text(header, [[*row, "lost value"]])


HOSTILE_FILES = [
    # zip bombs and archives that lie
    Hostile("xlsx-bomb-after-sheetdata", "people.xlsx", lambda table: xlsx_bomb(), bomb=True),
    Hostile("xlsx-fake-sizes", "people.xlsx", lambda table: xlsx_fake_sizes(), bomb=True),
    Hostile("docx-fake-sizes", "report.docx", lambda table: docx_fake_sizes(), bomb=True),
    Hostile("docx-bomb", "report.docx", lambda table: docx_honest_bomb(), bomb=True),
    Hostile("docx-bomb-named-xlsx", "people.xlsx", lambda table: docx_honest_bomb(), bomb=True),
    Hostile("xlsx-bomb-named-docx", "report.docx", lambda table: xlsx_bomb(), bomb=True),
    Hostile("docx-many-parts", "report.docx", lambda table: zip_of_many_parts(docx()), bomb=True),
    Hostile("docx-bzip2", "report.docx", lambda table: recompressed(docx())),
    Hostile(
        "xlsx-lzma", "people.xlsx", lambda table: recompressed(xlsx(table[0], [table[1]]), zipfile.ZIP_LZMA)
    ),
    Hostile("xlsx-many-parts", "people.xlsx", lambda table: zip_of_many_parts(xlsx(*table[:1], [table[1]]))),
    # the content is not what the name says
    Hostile("pdf-named-docx", "report.docx", lambda table: pdf()),
    Hostile("docx-named-pdf", "report.pdf", lambda table: docx()),
    Hostile(
        "html-named-pdf", "report.pdf", lambda table: b"<html><body>" + GOOD_TEXT.encode() + b"</body></html>"
    ),
    Hostile(
        "png-named-txt", "notes.txt", lambda table: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
    ),
    Hostile("elf-named-csv", "people.csv", lambda table: b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64),
    Hostile("xlsx-named-csv", "people.csv", lambda table: xlsx(table[0], [table[1]])),
    Hostile("csv-named-xlsx", "people.xlsx", lambda table: csv_text(table[0], [table[1]])),
    Hostile("exe-named-pdf", "report.pdf", lambda table: b"MZ\x90\x00" + b"\x00" * 64),
    Hostile("unsupported-extension", "payload.exe", lambda table: b"MZ\x90\x00" + b"\x00" * 64),
    Hostile("no-extension", "README", lambda table: GOOD_TEXT.encode()),
    # damaged and protected
    Hostile("truncated-docx", "report.docx", lambda table: truncated(docx())),
    Hostile("truncated-xlsx", "people.xlsx", lambda table: truncated(xlsx(table[0], [table[1]]))),
    Hostile(
        "damaged-pdf", "report.pdf", lambda table: b"%PDF-1.7\n1 0 obj << /Length 999999 >> stream\n\x00"
    ),
    Hostile("pdf-with-password", "report.pdf", lambda table: encrypted_pdf("secret")),
    Hostile("zip-garbage", "people.xlsx", lambda table: b"PK\x03\x04" + b"\xff" * 200),
    # empty
    Hostile("empty-pdf", "report.pdf", lambda table: b""),
    Hostile("empty-docx", "report.docx", lambda table: b""),
    Hostile("empty-txt", "notes.txt", lambda table: b""),
    Hostile("empty-csv", "people.csv", lambda table: b""),
    Hostile("empty-xlsx", "people.xlsx", lambda table: b""),
    Hostile("blank-text", "notes.txt", lambda table: b" \n\t\n" * 10),
    Hostile("headings-only", "people.csv", lambda table: csv_text(table[0], [])),
    # larger than every limit
    Hostile("oversized-txt", "notes.txt", lambda table: b"word " * (26 * MB // 5 + 1), big=True),
    # imports that would lose data
    Hostile("duplicated-heading-csv", "people.csv", _duplicated_heading),
    Hostile("duplicated-heading-xlsx", "people.xlsx", _duplicated_heading_xlsx),
    Hostile("formula-cell", "people.xlsx", _formula),
    Hostile("nan-cell-xlsx", "people.xlsx", _nan),
    Hostile("inf-cell-xlsx", "people.xlsx", _infinite_number),
    Hostile("nan-csv", "people.csv", _nan_csv),
    Hostile("infinity-csv", "people.csv", lambda table: _nan_csv(table, "-Infinity")),
    Hostile("huge-amount-csv", "people.csv", lambda table: _nan_csv(table, "1e400")),
    Hostile("value-without-heading", "people.csv", _value_without_heading),
    Hostile(
        "not-utf8-csv", "people.csv", lambda table: "first_name,last_name\nÉlodie,Brun\n".encode("latin-1")
    ),
]

# Good content under names a file system or a page could choke on: accepted under a safe name, or
# refused with a message; never a 500, never a path outside the upload folder.
ODD_NAMES = [
    "𠀀" * 100 + ".txt",  # 100 four-byte characters: 400 bytes, more than a file name may have
    "é" * 300 + ".txt",
    "a" * 1000 + ".txt",
    "../../../etc/passwd.txt",
    "..\\..\\windows\\win.ini.txt",
    "\u202etxt.exe.txt",  # right-to-left override
    "line\r\nbreak.txt",
    'quote"d;name.txt',
    "nul\x00byte.txt",
    ".txt",
    "CON.txt",
    " spaced . txt",
]
