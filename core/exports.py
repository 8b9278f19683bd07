"""Exports of a filtered, restricted list (CSV, XLSX). Views pass in a queryset already restricted."""

import csv
import io

from django.http import HttpResponse, StreamingHttpResponse

from core.tables import Column


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(queryset, columns: list[Column], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow([str(column.label) for column in columns])
        for obj in queryset.iterator(chunk_size=500):
            yield writer.writerow([column.value(obj) for column in columns])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(queryset, columns: list[Column], filename: str) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(filename[:31])
    sheet.append([str(column.label) for column in columns])
    for obj in queryset.iterator(chunk_size=500):
        sheet.append([_cell(column.value(obj)) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _cell(value):
    return value if isinstance(value, int | float | str) or value is None else str(value)


EXPORTERS = {"csv": csv_response, "xlsx": xlsx_response}
