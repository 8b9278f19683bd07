"""Answers as spreadsheets: one row per response, and the panel (one row per person across an
activity's waves).

Labels are written in the language chosen, not codes. A matrix question stays whole: its rows are
adjacent columns under the question's heading (in XLSX a merged heading above the row labels), where
KoboToolbox's CSV scatters them. An anonymous wave's export has no column that could point at a
person (administration, gender, role), and a donor gets none at all (aggregates only).
"""

from __future__ import annotations

import csv
import io
from typing import NamedTuple

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.exports import spreadsheet_safe
from surveys import definition as spec
from surveys.models import Answer, Response, Stage, Wave
from surveys.services import answers_from_rows

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AnswerRow(NamedTuple):
    response_id: int
    code: str
    row: str
    text: str
    number: float | None


def answer_rows(response_ids: list[int]) -> list[AnswerRow]:
    """The answers of many responses as plain tuples: an export reads thousands of them."""
    fields = ("response_id", "code", "row", "text", "number")
    rows = Answer.objects.filter(response__in=response_ids).order_by("pk").values_list(*fields)
    return [AnswerRow(*row) for row in rows]


def _columns(definition: dict, language: str) -> list[tuple[str, str, str]]:
    """(question heading, sub-heading, key) for each column; a matrix gives one per row."""
    columns = []
    for question in spec.questions(definition):
        label = spec.text_in(question["label"], language)
        if question["kind"] == "matrix":
            columns += [
                (label, spec.text_in(row["label"], language), f"{question['code']}.{row['value']}")
                for row in question["rows"]
            ]
        else:
            columns.append((label, "", question["code"]))
    return columns


def _value_text(question: dict, value, language: str, names: dict) -> str | float | int:
    kind = question["kind"]
    if kind in ("single", "multiple"):
        values = value if isinstance(value, list) else [value]
        return "; ".join(spec.choice_label(question, item, language) for item in values)
    if kind in ("topic", "member"):
        values = value if isinstance(value, list) else [value]
        return "; ".join(names.get(item, item) for item in values)
    return value


def wave_table(wave: Wave, responses, language: str) -> tuple[list[tuple[str, str]], list[list]]:
    """The headings (question, sub-heading) and rows of a wave's export."""
    from network.models import Member
    from surveys.results import merged_definition
    from topics.models import Topic

    definition = merged_definition(wave, responses)
    questions = spec.question_map(definition)
    columns = _columns(definition, language)
    named = not wave.anonymous
    people = [_("Response"), _("Submitted"), _("Language")]
    if named:
        people += [_("Person"), _("Administration"), _("Gender"), _("Respondent")]
    people.append(_("Score"))
    headings = [(heading, "") for heading in people] + [(label, sub) for label, sub, _key in columns]
    names = {topic.slug: topic.label for topic in Topic.objects.all()}
    names |= {member.iso_alpha2: member.label for member in Member.objects.all()}
    answers_by_response: dict[int, list] = {}
    responses = list(responses.select_related("person", "member").prefetch_related("version").order_by("pk"))
    for answer in answer_rows([r.pk for r in responses]):
        answers_by_response.setdefault(answer.response_id, []).append(answer)
    rows = []
    for response in responses:
        answers = answers_from_rows(definition, answers_by_response.get(response.pk, []))
        row = [
            response.pk,
            response.submitted_at.isoformat() if response.submitted_at else "",
            response.language,
        ]
        if named:
            row += [
                str(response.person or ""),
                response.member.label if response.member else "",
                response.get_gender_display(),
                response.get_role_display(),
            ]
        row.append(round(response.score * 100, 1) if response.score is not None else "")
        for _label, _sub, key in columns:
            code, _dot, matrix_row = key.partition(".")
            value = answers.get(code)
            if matrix_row:
                row.append((value or {}).get(matrix_row, ""))
            else:
                row.append("" if value is None else _value_text(questions[code], value, language, names))
        rows.append(row)
    return headings, rows


def table_response(headings, rows, filename: str, export: str) -> HttpResponse:
    if export == "xlsx":
        return HttpResponse(
            _xlsx(headings, rows), content_type=XLSX_TYPE, headers=_attachment(filename, "xlsx")
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(f"{top} — {sub}" if sub else top) for top, sub in headings])
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return HttpResponse(
        buffer.getvalue(), content_type="text/csv; charset=utf-8", headers=_attachment(filename, "csv")
    )


def _attachment(filename: str, extension: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{filename}.{extension}"'}


def _xlsx(headings, rows) -> bytes:
    """Two heading rows: the question (merged over a matrix's columns), then the matrix row."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "responses"
    sheet.append([spreadsheet_safe(top) for top, _sub in headings])
    sheet.append([spreadsheet_safe(sub) for _top, sub in headings])
    start = 0
    for index in range(1, len(headings) + 1):
        if index == len(headings) or headings[index][0] != headings[start][0] or not headings[index][1]:
            if index - start > 1 and headings[start][1]:
                sheet.merge_cells(start_row=1, start_column=start + 1, end_row=1, end_column=index)
            start = index
    for row in rows:
        sheet.append([spreadsheet_safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the panel ---------------------------------------------------------------------------------


PANEL_STAGES = (Stage.NEEDS, Stage.PRE_TEST, Stage.POST_TEST, Stage.REACTION, Stage.FOLLOW_UP)


def activity_panel(user, activity, language: str) -> tuple[list[tuple[str, str]], list[list]]:
    """One row per person across the activity's named waves: needs, pre-test, post-test, gain,
    reaction and follow-up (their own and their supervisor's)."""
    from core.permissions import grants_filter
    from surveys.policies import RESPONSE_VIEW
    from topics.models import Topic

    seeing = grants_filter(user, RESPONSE_VIEW)
    responses = Response.objects.none() if seeing is None else Response.objects.filter(seeing)
    responses = list(
        responses.filter(wave__activity=activity, wave__anonymous=False, status="submitted")
        .select_related("person__member", "about", "wave")
        .prefetch_related("version")  # a few definitions, not one decoded per response
        .order_by("pk")
    )
    answers: dict[int, list] = {}
    for answer in answer_rows([r.pk for r in responses]):
        answers.setdefault(answer.response_id, []).append(answer)
    topic_names = {topic.slug: topic.label for topic in Topic.objects.all()}
    people: dict[int, dict] = {}
    for response in responses:
        subject = response.about if response.role == "supervisor" else response.person
        if subject is None:
            continue
        entry = people.setdefault(subject.pk, {"person": subject})
        given = answers_from_rows(response.version.definition, answers.get(response.pk, []))
        stage = response.wave.stage
        if stage == Stage.NEEDS:
            picked = [
                slug
                for value in given.values()
                for slug in (value if isinstance(value, list) else [value])
                if isinstance(slug, str) and slug in topic_names
            ]
            entry["needs"] = "; ".join(topic_names[slug] for slug in dict.fromkeys(picked))
        elif stage in (Stage.PRE_TEST, Stage.POST_TEST) and response.score is not None:
            entry[stage] = round(response.score * 100, 1)
        elif stage == Stage.REACTION:
            ratings = [v for v in given.values() if isinstance(v, int | float) and not isinstance(v, bool)]
            entry["reaction"] = round(sum(ratings) / len(ratings), 2) if ratings else ""
        elif stage == Stage.FOLLOW_UP:
            key = "supervisor_follow_up" if response.role == "supervisor" else "follow_up"
            question = spec.question_map(response.version.definition).get("applied_learning")
            value = given.get("applied_learning")
            entry[key] = spec.choice_label(question, value, language) if question and value else ""
    headings = [
        (_("Person"), ""),
        (_("Administration"), ""),
        (_("Gender"), ""),
        (_("Needs"), ""),
        (_("Pre-test (%)"), ""),
        (_("Post-test (%)"), ""),
        (_("Gain (points)"), ""),
        (_("Reaction (mean rating)"), ""),
        (_("Follow-up: applied"), ""),
        (_("Supervisor: applied"), ""),
    ]
    rows = []
    for entry in sorted(people.values(), key=lambda e: (e["person"].last_name, e["person"].first_name)):
        person = entry["person"]
        pre, post = entry.get(Stage.PRE_TEST), entry.get(Stage.POST_TEST)
        rows.append(
            [
                str(person),
                person.member.label if person.member else "",
                person.get_gender_display(),
                entry.get("needs", ""),
                "" if pre is None else pre,
                "" if post is None else post,
                round(post - pre, 1) if pre is not None and post is not None else "",
                entry.get("reaction", ""),
                entry.get("follow_up", ""),
                entry.get("supervisor_follow_up", ""),
            ]
        )
    return headings, rows
