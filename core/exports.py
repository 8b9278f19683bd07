"""Exports of a filtered, restricted list (CSV, XLSX). Views pass in a queryset already restricted.

Every text cell goes through `spreadsheet_safe`: a spreadsheet would run a cell that starts with
=, +, -, @, a tab or a carriage return as a formula (OWASP "CSV injection"), so such text is prefixed
with a single quote. Numbers, dates and booleans are written as they are.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse

from core.tables import Column


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(queryset, columns: list[Column], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow([spreadsheet_safe(str(column.label)) for column in columns])
        for obj in queryset.iterator(chunk_size=500):
            yield writer.writerow([spreadsheet_safe(column.value(obj)) for column in columns])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(queryset, columns: list[Column], filename: str) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(filename[:31])
    sheet.append([spreadsheet_safe(str(column.label)) for column in columns])
    for obj in queryset.iterator(chunk_size=500):
        sheet.append([_cell(column.value(obj)) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBERS = (int, float, Decimal)


def spreadsheet_safe(value):
    """The value as a cell that cannot run as a formula: numbers (and dates, booleans, None) as they
    are, any other value as text, quoted when it starts like a formula."""
    if value is None or isinstance(value, (*NUMBERS, datetime.date)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value):
    value = spreadsheet_safe(value)
    # Dates stay text, as in the CSV; numbers stay numbers.
    return str(value) if isinstance(value, datetime.date) else value


EXPORTERS = {"csv": csv_response, "xlsx": xlsx_response}
