"""Rows of the first sheet of an XLSX workbook, streamed, from a file that may be hostile.

openpyxl reads the whole sheet part even in read-only mode, and handles every XML element in Python:
a workbook with megabytes of elements after its cells keeps a core busy for minutes. Here the zip is
read through `core.safe_zip` (real inflated bytes bounded), the shared strings and the sheet are
parsed incrementally by lxml with only the elements that matter reaching Python, and parsing stops
at the end of the sheet's data. Cell values are converted by openpyxl's own cell parser (types,
shared strings, dates), so they read as openpyxl would read them.

Formulas and error values are reported, not hidden: a cached value may be stale or missing, so an
import must refuse them rather than read them as blanks.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from lxml import etree

from core.safe_zip import SafeZip, ZipLimits, ZipRefused

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"


class XlsxError(Exception):
    """The workbook cannot be read; the message says why (for the uploader)."""


@dataclass
class Cell:
    row: int
    column: int  # 1-based
    value: object
    kind: str  # "n", "s", "b", "d", "f" (formula), "e" (error value)

    @property
    def reference(self) -> str:
        from openpyxl.utils import get_column_letter

        return f"{get_column_letter(self.column)}{self.row}"


def _parser_options() -> dict:
    # No DTDs, no entities, no network: an XLSX part is plain XML.
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def _damaged(part: str, error) -> str:
    return _("The Excel file is damaged and cannot be read (%(part)s: %(error)s).") % {
        "part": part,
        "error": str(error)[:200],
    }


def _tree(archive: SafeZip, name: str):
    try:
        return etree.fromstring(archive.read(name), etree.XMLParser(**_parser_options()))
    except etree.LxmlError as error:
        raise XlsxError(_damaged(name, error)) from None


def _first_sheet(archive: SafeZip) -> tuple[str, str, bool]:
    """(sheet part, shared strings part or "", whether dates count from 1904)."""
    workbook_part = "xl/workbook.xml"
    if workbook_part not in archive:
        raise XlsxError(_("The file is named .xlsx but is not an Excel workbook."))
    workbook = _tree(archive, workbook_part)
    namespace = workbook.tag[1:].split("}")[0] if workbook.tag.startswith("{") else MAIN
    properties = workbook.find(f"{{{namespace}}}workbookPr")
    date1904 = properties is not None and properties.get("date1904", "0").lower() in ("1", "true")
    sheet = workbook.find(f"{{{namespace}}}sheets/{{{namespace}}}sheet")
    if sheet is None:
        raise XlsxError(_("The Excel file has no sheet."))
    rel_id = next((value for key, value in sheet.attrib.items() if key.endswith("}id")), None)
    rels_part = "xl/_rels/workbook.xml.rels"
    targets, shared = {}, ""
    if rels_part in archive:
        for rel in _tree(archive, rels_part).iter(f"{{{PACKAGE_RELATIONSHIPS}}}Relationship"):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            target = posixpath.normpath(target)
            targets[rel.get("Id")] = target
            if rel.get("Type", "").endswith("/sharedStrings"):
                shared = target
    sheet_part = targets.get(rel_id, "xl/worksheets/sheet1.xml")
    if sheet_part not in archive:
        raise XlsxError(_("The Excel file has no sheet."))
    if not shared and "xl/sharedStrings.xml" in archive:
        shared = "xl/sharedStrings.xml"
    return sheet_part, shared if shared in archive else "", date1904


def _shared_strings(archive: SafeZip, part: str, limit: int) -> list[str]:
    if not part:
        return []
    strings = []
    with archive.open(part) as stream:
        try:
            for _event, item in etree.iterparse(
                stream, events=("end",), tag=(f"{{{MAIN}}}si", f"{{{STRICT_MAIN}}}si"), **_parser_options()
            ):
                namespace = item.tag[1:].split("}")[0]
                # The text of a string is its runs' text; phonetic guides (rPh) are not part of it.
                strings.append(
                    "".join(
                        node.text or ""
                        for node in item.iter(f"{{{namespace}}}t")
                        if node.getparent().tag != f"{{{namespace}}}rPh"
                    )
                )
                item.clear()
                while item.getprevious() is not None:
                    del item.getparent()[0]
                if len(strings) > limit:
                    raise XlsxError(_("The Excel file holds too many distinct texts."))
        except etree.LxmlError as error:
            raise XlsxError(_damaged(part, error)) from None
    return strings


def _date_formats(archive: SafeZip) -> tuple[set, set]:
    if "xl/styles.xml" not in archive:
        return set(), set()
    from openpyxl.styles.stylesheet import Stylesheet

    try:
        stylesheet = Stylesheet.from_tree(_tree(archive, "xl/styles.xml"))
    except XlsxError:
        raise
    except Exception:  # an unusual stylesheet only loses the date formats, as openpyxl itself warns
        return set(), set()
    return stylesheet.date_formats, stylesheet.timedelta_formats


def xlsx_cells(
    content: bytes, *, limits: ZipLimits, max_columns: int, max_strings: int
) -> Iterator[list[Cell]]:
    """Each non-empty row of the first sheet as its non-empty cells, in order; XlsxError or ZipRefused
    (from `core.safe_zip`) when the file cannot be read within the limits. The caller stops reading
    when it has enough rows: nothing further is parsed."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900
    from openpyxl.worksheet._reader import WorkSheetParser

    with SafeZip(content, limits) as archive:
        sheet_part, shared_part, date1904 = _first_sheet(archive)
        shared = _shared_strings(archive, shared_part, limit=max_strings)
        date_formats, timedelta_formats = _date_formats(archive)
        cells = WorkSheetParser(
            None,
            shared,
            data_only=False,
            epoch=CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900,
            date_formats=date_formats,
            timedelta_formats=timedelta_formats,
        )
        tags = {f"{{{ns}}}{name}" for ns in (MAIN, STRICT_MAIN) for name in ("row", "sheetData")}
        with archive.open(sheet_part) as stream:
            try:
                for _event, element in etree.iterparse(
                    stream, events=("end",), tag=tuple(tags), **_parser_options()
                ):
                    if element.tag.endswith("}sheetData"):
                        return  # what follows the data (formatting, extensions) is never read
                    try:
                        number, parsed = cells.parse_row(element)
                    except Exception:  # any cell openpyxl cannot convert is a damaged file, never a 500
                        raise XlsxError(
                            _("The Excel file has a damaged row after row %(row)d.")
                            % {"row": cells.row_counter}
                        ) from None
                    element.clear()
                    while element.getprevious() is not None:
                        del element.getparent()[0]
                    row = [
                        Cell(item["row"], item["column"], item["value"], item["data_type"])
                        for item in parsed
                        if item["value"] is not None and item["value"] != ""
                    ]
                    if not row:
                        continue
                    wide = next((cell for cell in row if cell.column > max_columns), None)
                    if wide is not None:
                        raise XlsxError(
                            _("Cell %(cell)s is beyond the %(limit)d columns an import may have.")
                            % {"cell": wide.reference, "limit": max_columns}
                        )
                    yield row
            except etree.LxmlError as error:
                raise XlsxError(_damaged(sheet_part, error)) from None


__all__ = ["Cell", "XlsxError", "ZipRefused", "xlsx_cells"]
