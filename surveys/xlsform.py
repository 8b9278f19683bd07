"""Questionnaires to and from XLSForm, the spreadsheet standard of KoboToolbox and ODK.

`definition_to_xlsform()` writes a definition (`surveys.definition`) as a workbook with the sheets
`survey`, `choices` and `settings`; `xlsform_to_definition()` reads one back, whether we wrote it or
someone designed it in Excel for Kobo. The file is parsed by pyxform itself (from a copy checked by
`core.safe_zip`), so a form we accept is a form pyxform, hence Kobo, accepts, and pyxform's own
messages reach the uploader. (ODK Validate, a Java program, is not run.)

The mapping (one `label::English (en)` / `hint::English (en)` column per language):

- a section is a `begin_group` (name: its code, label: its title);
- `single`/`multiple`: `select_one L` / `select_multiple L`, the list L named by the question code;
  a choice's `correct` flag is an extra choices column `cbhub_correct` (1 or 0). pyxform copies
  choices columns into the XForm, so a knowledge test deployed on Kobo carries its answers;
- `rating`: `range` with `start=<min> end=<max> step=1`; the end labels go to extra columns
  `cbhub_min_label::<language>`, `cbhub_max_label::<language>` (kept on a round trip, but a range has
  no end labels in Kobo, so its respondents do not see them);
- `matrix`: a `table-list` group named by the code and labelled by the question, one
  `select_one scale_<code>` row per matrix row, named `<code>__<row>`; the list `scale_<code>` holds
  the scale points, the end points labelled with `min_label`/`max_label`;
- `number`: `decimal`, its bounds a constraint `. >= 0 and . <= 100`; `date`; `text`; `long_text`:
  `text` with the appearance `multiline`;
- `topic`: `select_one cbhub_topics` (`select_multiple` when `many`); `member`:
  `select_one cbhub_members`; both lists are written from the taxonomy given to the export;
- `required`: `yes`; `show_if`: `relevant` (`${q} = 'v'`, `!=`, `>`, `<`, `selected(${q}, 'v')`,
  joined by `and` / `or`, nested combinations in parentheses);
- any other key of a question, section, choice or of the definition (`need_weight`, ...) is an extra
  column `cbhub_<key>` holding its JSON (choices sheet, survey sheet, settings sheet).

A round trip gives back the definition `definition_clean()` makes of it, except that `many: false` on
a topic and an `any`/`all` of a single condition are not told apart from their absence.

Reading also takes XLSForms as people write them: a plain `label` column (the default language,
English unless the settings say otherwise), `integer` and `decimal` as numbers, notes, calculations
and metadata (start, end, today, deviceid, ...) skipped, questions outside any group gathered into
sections of their own, nested groups flattened into their section (a group's `relevant` applies to
each of its questions), names lower-cased, `or_other` as an `other` choice plus the text question
pyxform adds for it, `selected()` on a one-answer question as `eq` (show_if's `selected` is for lists
of answers). Layout (appearances other than multiline and table-list,
media, messages, defaults) is dropped; what would change which answers are asked or accepted and
cannot be expressed here (repeats, other question types, conditional `required`, constraints other
than number bounds, `choice_filter`, skip logic beyond the operators above) is refused, with the row.
A `cbhub_topics`/`cbhub_members` list becomes a pick from the whole taxonomy: its values must be in
it, and a subset of it is not kept.
"""

from __future__ import annotations

import copy
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from pyxform.builder import create_survey_element_from_dict
from pyxform.errors import PyXFormError, PyXFormReadError
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import DefinitionData, xlsx_to_dict

from core.exports import FORMULA_STARTS
from core.safe_zip import SafeZip, ZipLimits, ZipRefused
from surveys.definition import CODE, DEFAULT_LANGUAGE, LANGUAGE, definition_clean, text_in

MAX_BYTES = 5 * 1024 * 1024
# 400 questions of six choices in five languages unpack to under 3 MB; ten leave room, and bound
# the time openpyxl spends on a file within them (about 3 s at worst).
LIMITS = ZipLimits(max_unpacked=10 * 1024 * 1024, max_ratio=100, ratio_floor=2 * 1024 * 1024)
MAX_SURVEY_ROWS = 2_000
MAX_CHOICE_ROWS = 20_000
MAX_DEPTH = 20  # groups within groups; pyxform (and this reader) recurse into each

LANGUAGE_NAMES = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "ar": "Arabic",
    "pt": "Portuguese",
    "ru": "Russian",
}
# Names people give their language columns, mapped back to codes (lower case).
LANGUAGE_ALIASES = {
    **{name.lower(): code for code, name in LANGUAGE_NAMES.items()},
    "français": "fr",
    "francais": "fr",
    "español": "es",
    "espanol": "es",
    "العربية": "ar",
    "português": "pt",
    "portugues": "pt",
    "русский": "ru",
}
NAMED_LANGUAGE = re.compile(r"\(\s*([A-Za-z]{2,3})\s*\)\s*$")

EXTRA = "cbhub_"
TOPICS_LIST, MEMBERS_LIST = "cbhub_topics", "cbhub_members"
CORRECT, MIN_LABEL, MAX_LABEL, TITLE = "cbhub_correct", "cbhub_min_label", "cbhub_max_label", "cbhub_title"
OWN_COLUMNS = {CORRECT, MIN_LABEL, MAX_LABEL, TITLE}
# Keys the mapping itself carries; any other key travels in a cbhub_<key> column.
QUESTION_KEYS = {
    "code",
    "kind",
    "required",
    "label",
    "help",
    "choices",
    "show_if",
    "scale",
    "rows",
    "min",
    "max",
    "many",
}
SECTION_KEYS = {"code", "title", "questions"}
CHOICE_KEYS = {"value", "label", "correct"}
DEFINITION_KEYS = {"languages", "sections"}

SYMBOLS = {"eq": "=", "ne": "!=", "gt": ">", "lt": "<"}
OPERATORS = {symbol: op for op, symbol in SYMBOLS.items()}
YES = {"yes", "true", "true()", "1"}
NO = {"no", "false", "false()", "0", ""}
# Column order of the sheets written (by the part of a heading before "::"); others follow.
COLUMN_ORDER = [
    "type",
    "list_name",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "appearance",
    "parameters",
    "constraint",
    "form_title",
    "form_id",
    "default_language",
]


# --- writing -----------------------------------------------------------------------------------


def definition_to_xlsform(
    *,
    definition: dict,
    title: dict,
    form_id: str,
    topics: list[tuple[str, str, str]],
    members: list[tuple[str, str, str]],
) -> bytes:
    """The definition as an XLSForm workbook (.xlsx bytes). `topics` and `members` are the
    (value, English label, French label) the `cbhub_topics` / `cbhub_members` lists offer."""
    writer = _Writer(languages=list(definition.get("languages") or [DEFAULT_LANGUAGE]))
    for position, section in enumerate(definition["sections"], start=1):
        writer.section(section, position)
    if TOPICS_LIST in writer.lists_used:
        writer.taxonomy(TOPICS_LIST, topics)
    if MEMBERS_LIST in writer.lists_used:
        writer.taxonomy(MEMBERS_LIST, members)
    settings = writer.settings(definition, title, form_id)
    return _workbook({"survey": writer.survey, "choices": writer.choices, "settings": [settings]})


def language_column(code: str) -> str:
    """The language as XLSForm columns name it: `English (en)`, or the bare code."""
    return f"{LANGUAGE_NAMES[code]} ({code})" if code in LANGUAGE_NAMES else code


@dataclass
class _Writer:
    """The rows of the survey and choices sheets, as dicts of heading → value."""

    languages: list[str]
    survey: list[dict] = field(default_factory=list)
    choices: list[dict] = field(default_factory=list)
    lists_used: set[str] = field(default_factory=set)

    def texts(self, column: str, texts) -> dict:
        if isinstance(texts, str):
            texts = {self.languages[0]: texts}
        texts = texts or {}
        # The definition's languages first, in its order: a reader takes the order of the columns.
        codes = [
            *(code for code in self.languages if code in texts),
            *(code for code in texts if code not in self.languages),
        ]
        return {f"{column}::{language_column(code)}": texts[code] for code in codes if texts[code]}

    def section(self, section: dict, position: int) -> None:
        code = section.get("code") or f"section_{position}"
        self.survey.append(
            {
                "type": "begin_group",
                "name": code,
                **self.texts("label", section.get("title")),
                **_extra_columns(section, SECTION_KEYS),
            }
        )
        for question in section["questions"]:
            self.question(question)
        self.survey.append({"type": "end_group", "name": code})

    def question(self, question: dict) -> None:
        if question["kind"] == "matrix":
            self.matrix(question)
            return
        row = {
            "type": self.question_type(question),
            "name": question["code"],
            **self.texts("label", question.get("label")),
            **self.texts("hint", question.get("help")),
            **_extra_columns(question, QUESTION_KEYS),
        }
        if question.get("required"):
            row["required"] = "yes"
        if question.get("show_if"):
            row["relevant"] = condition_to_relevant(question["show_if"])
        self.survey.append({**row, **self.details(question)})

    def question_type(self, question: dict) -> str:
        kind, code = question["kind"], question["code"]
        if kind in ("single", "multiple"):
            self.lists_used.add(code)
            self.choice_list(code, question["choices"])
            return f"{'select_one' if kind == 'single' else 'select_multiple'} {code}"
        if kind in ("topic", "member"):
            name = TOPICS_LIST if kind == "topic" else MEMBERS_LIST
            self.lists_used.add(name)
            return f"{'select_multiple' if question.get('many') else 'select_one'} {name}"
        return {"rating": "range", "number": "decimal", "date": "date"}.get(kind, "text")

    def details(self, question: dict) -> dict:
        """The columns particular to a kind: a range's parameters, a number's bounds, ..."""
        kind = question["kind"]
        if kind == "long_text":
            return {"appearance": "multiline"}
        if kind == "rating":
            scale = question["scale"]
            return {
                "parameters": f"start={scale['min']} end={scale['max']} step=1",
                **self.texts(MIN_LABEL, scale.get("min_label")),
                **self.texts(MAX_LABEL, scale.get("max_label")),
            }
        if kind == "number":
            bounds = [
                f". {symbol} {_number_text(question[bound])}"
                for bound, symbol in (("min", ">="), ("max", "<="))
                if question.get(bound) is not None
            ]
            return {"constraint": " and ".join(bounds)} if bounds else {}
        return {}

    def matrix(self, question: dict) -> None:
        """A table-list group: Kobo shows its rows as one grid, rated on the shared scale list."""
        code, scale_list = question["code"], f"scale_{question['code']}"
        group = {
            "type": "begin_group",
            "name": code,
            "appearance": "table-list",
            **self.texts("label", question.get("label")),
            **self.texts("hint", question.get("help")),
            **_extra_columns(question, QUESTION_KEYS),
        }
        if question.get("show_if"):
            group["relevant"] = condition_to_relevant(question["show_if"])
        self.survey.append(group)
        for matrix_row in question["rows"]:
            row = {
                "type": f"select_one {scale_list}",
                "name": f"{code}__{matrix_row['value']}",
                **self.texts("label", matrix_row.get("label")),
            }
            if question.get("required"):
                row["required"] = "yes"
            self.survey.append(row)
        self.survey.append({"type": "end_group", "name": code})
        self.scale_list(scale_list, question["scale"])

    def scale_list(self, name: str, scale: dict) -> None:
        low, high = scale["min"], scale["max"]
        for point in range(low, high + 1):
            labels = {code: str(point) for code in self.languages}
            ends = (
                scale.get("min_label") if point == low else scale.get("max_label") if point == high else None
            )
            labels.update({code: text for code, text in (ends or {}).items() if text})
            self.choices.append({"list_name": name, "name": str(point), **self.texts("label", labels)})

    def choice_list(self, name: str, choices: list[dict]) -> None:
        for choice in choices:
            row = {
                "list_name": name,
                "name": choice["value"],
                **self.texts("label", choice.get("label")),
                **_extra_columns(choice, CHOICE_KEYS),
            }
            if "correct" in choice:
                row[CORRECT] = 1 if choice["correct"] else 0
            self.choices.append(row)

    def taxonomy(self, name: str, entries: list[tuple[str, str, str]]) -> None:
        for value, english, french in entries:
            # Languages other than French show the English label rather than nothing.
            labels = {code: french if code == "fr" else english for code in self.languages}
            self.choices.append({"list_name": name, "name": value, **self.texts("label", labels)})

    def settings(self, definition: dict, title: dict, form_id: str) -> dict:
        first = self.languages[0]
        return {
            "form_title": text_in(title, first) or form_id,
            "form_id": form_id,
            "default_language": language_column(first),
            # form_title holds one language; every language of the title travels here.
            **self.texts(TITLE, title),
            **_extra_columns(definition, DEFINITION_KEYS),
        }


def _extra_columns(item: dict, known: set[str]) -> dict:
    return {
        f"{EXTRA}{key}": json.dumps(value, ensure_ascii=False)
        for key, value in item.items()
        if key not in known
    }


def _number_text(number) -> str:
    """A number as XPath writes it: never in exponent notation (1e-05 is not XPath)."""
    return str(number) if isinstance(number, int) else format(Decimal(repr(number)), "f")


def condition_to_relevant(condition: dict, nested: bool = False) -> str:
    """A `show_if` condition as an XLSForm `relevant` expression."""
    for key, joiner in (("all", " and "), ("any", " or ")):
        if key in condition:
            text = joiner.join(condition_to_relevant(part, nested=True) for part in condition[key])
            return f"({text})" if nested else text
    reference, value = f"${{{condition['question']}}}", _literal(condition.get("value"))
    if condition["op"] == "selected":
        return f"selected({reference}, {value})"
    return f"{reference} {SYMBOLS[condition['op']]} {value}"


def _literal(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number_text(value)
    text = str(value)
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    raise ValidationError(
        _("Skip logic compares with %(value)s, which holds both kinds of quote; XLSForm cannot write it.")
        % {"value": text}
    )


def _workbook(sheets: dict[str, list[dict]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        columns = _columns(rows) or ["list_name", "name", "label"]
        sheet.append(columns)
        for number, row in enumerate(rows, start=2):
            for column, heading in enumerate(columns, start=1):
                if row.get(heading) is not None:
                    _write(sheet.cell(row=number, column=column), row[heading])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _columns(rows: list[dict]) -> list[str]:
    seen = list(dict.fromkeys(heading for row in rows for heading in row))

    def rank(heading: str) -> tuple[int, int]:
        base = heading.split("::")[0]
        return (COLUMN_ORDER.index(base) if base in COLUMN_ORDER else len(COLUMN_ORDER), seen.index(heading))

    return sorted(seen, key=rank)


def _write(cell, value) -> None:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters cannot be stored in XLSX
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # Text that starts like a formula is kept exactly, as a text cell Excel will not evaluate,
        # rather than quoted as core.exports.spreadsheet_safe does: the text must come back unchanged.
        cell.data_type = "s"
        cell.quotePrefix = True


# --- reading: the file -------------------------------------------------------------------------


def xlsform_to_definition(*, content: bytes, topics: set[str], members: set[str]) -> tuple[dict, dict]:
    """(title by language, definition) read from an XLSForm workbook; a ValidationError saying what to
    fix otherwise. `topics` and `members` are the values the `cbhub_topics` / `cbhub_members` lists
    and skip logic on them may use. The title is empty when the settings give none."""
    workbook = _read_workbook(content)
    sheet = _SheetIndex.of(workbook)
    form = _pyxform_form(workbook)
    reader = _Reader(form=form, sheet=sheet, topics=topics, members=members)
    definition = reader.definition()
    return reader.title(), definition_clean(definition)


def _read_workbook(content: bytes):
    """pyxform's reading of the sheets (rows as dicts of heading → text), from a checked copy."""
    checked = _checked_copy(content)
    try:
        workbook = DefinitionData(**xlsx_to_dict(checked))
    except PyXFormReadError:  # openpyxl's own error, wrapped: it speaks of openpyxl's classes
        raise ValidationError(_("The Excel file is damaged and cannot be read.")) from None
    except PyXFormError as error:
        raise ValidationError(_pyxform_message(error)) from None
    except Exception:
        # openpyxl meets a damaged part with whatever its parsers raise (KeyError, ValueError, lxml
        # and defusedxml errors, ...): all of them mean the same to the person uploading.
        raise ValidationError(_("The Excel file is damaged and cannot be read.")) from None
    for rows, sheet, limit in (
        (workbook.survey, "survey", MAX_SURVEY_ROWS),
        (workbook.choices, "choices", MAX_CHOICE_ROWS),
    ):
        if rows and len(rows) > limit:
            raise ValidationError(
                _("The %(sheet)s sheet has more than %(limit)d rows.") % {"sheet": sheet, "limit": limit}
            )
    return workbook


def _checked_copy(content: bytes) -> bytes:
    """The workbook with every part inflated within LIMITS: openpyxl then reads only what was counted."""
    if len(content) > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)d MB; an XLSForm is far smaller.")
            % {"limit": MAX_BYTES // 2**20}
        )
    if content[:4] == b"\xd0\xcf\x11\xe0":
        raise ValidationError(_("This is an old Excel file (.xls); save it as an Excel workbook (.xlsx)."))
    if content[:4] != b"PK\x03\x04":
        raise ValidationError(_("This is not an Excel workbook (.xlsx)."))
    try:
        with SafeZip(content, LIMITS) as archive:
            if "xl/workbook.xml" not in archive:
                raise ValidationError(_("This is not an Excel workbook (.xlsx)."))
            return archive.repacked()
    except ZipRefused as error:
        raise ValidationError(str(error)) from None


def _pyxform_message(error) -> str:
    return _("The XLSForm is not valid: %(error)s") % {"error": str(error)}


def _pyxform_form(workbook) -> dict:
    """The form as pyxform understands it (its JSON form), after pyxform has also built the XForm:
    a file accepted here is one KoboToolbox and ODK accept."""
    try:
        form = workbook_to_json(workbook_dict=workbook, warnings=[])
        # validate=False: ODK Validate is a Java program run in a process of its own, too slow for an
        # upload and not installed in production; pyxform's own checks are what Kobo applies first.
        create_survey_element_from_dict(copy.deepcopy(form)).to_xml(validate=False, warnings=[])
    except PyXFormError as error:
        raise ValidationError(_pyxform_message(error)) from None
    except Exception as error:
        # pyxform checks as it builds; on input it did not foresee it can fail with a plain Python
        # error, which still says something about the form to whoever wrote it.
        raise ValidationError(_pyxform_message(f"{type(error).__name__}: {error}"[:300])) from None
    return form


def _is_type(written: str, *types: str) -> bool:
    return re.sub(r"[\s_]+", " ", written.strip().lower()) in types


@dataclass
class _SheetIndex:
    """What pyxform's form does not keep: the row of each name, the type as written, the language
    columns in their order, and which groups are table-lists."""

    rows: dict[str, tuple[int, str]]
    choice_rows: dict[tuple[str, str], int]
    label_languages: list[str]
    table_lists: set[str]
    titled: bool

    @classmethod
    def of(cls, workbook) -> _SheetIndex:
        rows, table_lists, depth = {}, set(), 0
        for number, row in enumerate(workbook.survey or [], start=2):
            name, written = str(row.get("name", "")), str(row.get("type", ""))
            if name:
                rows.setdefault(name, (number, written))
            depth += _is_type(written, "begin group", "begin repeat") - _is_type(
                written, "end group", "end repeat"
            )
            if depth > MAX_DEPTH:
                raise ValidationError(
                    _("Row %(row)d: groups are nested more than %(limit)d deep.")
                    % {"row": number, "limit": MAX_DEPTH}
                )
            appearance = str(row.get("appearance", "")).split()
            if _is_type(written, "begin group") and "table-list" in appearance:
                table_lists.add(name)
                # Without the appearance, pyxform keeps the group's label and hint on the group
                # (with it, it moves them to a generated note); the grid is ours to rebuild.
                row["appearance"] = " ".join(word for word in appearance if word != "table-list")
                if not row["appearance"]:
                    del row["appearance"]
        choice_rows = {}
        for number, row in enumerate(workbook.choices or [], start=2):
            key = (str(row.get("list_name", row.get("list name", ""))), str(row.get("name", "")))
            choice_rows.setdefault(key, number)
        headings = list((workbook.survey_header or [{}])[0])
        languages = [
            heading.split("::", 1)[1].strip() if "::" in heading else "default"
            for heading in headings
            if heading.split("::")[0].strip().lower() == "label"
        ]
        settings = (workbook.settings or [{}])[0]
        return cls(
            rows,
            choice_rows,
            languages,
            table_lists,
            bool(settings.get("form_title") or settings.get("title")),
        )


# --- reading: skip logic -----------------------------------------------------------------------


class _Unexpressible(Exception):
    """A relevant expression outside what `show_if` can say."""


# `../name` is how pyxform's or_other refers to its question from the "Specify other" question.
TOKEN = re.compile(
    r"""\s*(?:\$\{\s*(?P<ref>[^}\s]+)\s*\}|\.\./(?P<sibling>[A-Za-z_][\w.-]*)|(?P<string>'[^']*'|"[^"]*")|(?P<number>-?(?:\d+(?:\.\d*)?|\.\d+))
    |(?P<op>!=|<=|>=|=|<|>)|(?P<punct>[(),])|(?P<word>[A-Za-z_][\w:.-]*))""",
    re.X,
)


def relevant_to_condition(expression: str) -> dict:
    """A `relevant` expression as a `show_if` condition; _Unexpressible when it has no equivalent."""
    return _Parser(_tokens(expression)).parse()


def _tokens(expression: str) -> list[tuple[str, str]]:
    tokens, at = [], 0
    while expression[at:].strip():
        match = TOKEN.match(expression, at)
        if not match:
            raise _Unexpressible
        kind = match.lastgroup
        tokens.append(("ref" if kind == "sibling" else kind, match.group(kind)))
        at = match.end()
    return tokens


class _Parser:
    """`or` of `and`s of comparisons, `selected()` calls and parenthesised groups (XPath precedence)."""

    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens, self.at = tokens, 0

    def parse(self) -> dict:
        condition = self.either()
        if self.at != len(self.tokens):
            raise _Unexpressible
        return condition

    def either(self) -> dict:
        return self.combined("or", "any", self.both)

    def both(self) -> dict:
        return self.combined("and", "all", self.atom)

    def combined(self, word: str, key: str, part) -> dict:
        parts = [part()]
        while self.take("word", word):
            parts.append(part())
        return parts[0] if len(parts) == 1 else {key: parts}

    def atom(self) -> dict:
        if self.take("punct", "("):
            condition = self.either()
            self.expect("punct", ")")
            return condition
        if self.take("word", "selected"):
            self.expect("punct", "(")
            question = self.expect("ref")
            self.expect("punct", ",")
            value = self.literal()
            self.expect("punct", ")")
            return {"question": question.lower(), "op": "selected", "value": value}
        question = self.expect("ref")
        symbol = self.expect("op")
        if symbol not in OPERATORS:
            raise _Unexpressible
        return {"question": question.lower(), "op": OPERATORS[symbol], "value": self.literal()}

    def literal(self):
        if self.at < len(self.tokens) and self.tokens[self.at][0] == "number":
            text = self.expect("number")
            return float(text) if "." in text else int(text)
        return self.expect("string")[1:-1]

    def take(self, kind: str, text: str | None = None) -> bool:
        if (
            self.at < len(self.tokens)
            and self.tokens[self.at][0] == kind
            and text in (None, self.tokens[self.at][1])
        ):
            self.at += 1
            return True
        return False

    def expect(self, kind: str, text: str | None = None) -> str:
        if not self.take(kind, text):
            raise _Unexpressible
        return self.tokens[self.at - 1][1]


def _references(condition: dict) -> Iterator[dict]:
    """Every comparison of a condition."""
    for key in ("all", "any"):
        if key in condition:
            for part in condition[key]:
                yield from _references(part)
            return
    yield condition


def _all(conditions: list[dict]) -> dict:
    parts = [
        part for condition in conditions for part in (condition["all"] if "all" in condition else [condition])
    ]
    return parts[0] if len(parts) == 1 else {"all": parts}


def _cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """A path a → b → ... → a through the graph, if there is one."""
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for target in graph.get(node, []):
            if state.get(target) == "open":
                return path[path.index(target) :] + [target]
            if target in graph and target not in state and (found := visit(target, path)):
                return found
        path.pop()
        state[node] = "done"
        return None

    for node in graph:
        if node not in state and (found := visit(node, [])):
            return found
    return None


# --- reading: the form -------------------------------------------------------------------------


class _Reader:
    """Turns pyxform's JSON form into a definition. Faults in one question are collected and the
    others still read, so one upload reports them all."""

    def __init__(self, *, form: dict, sheet: _SheetIndex, topics: set[str], members: set[str]):
        self.form, self.sheet, self.topics, self.members = form, sheet, topics, members
        self.errors: list[str] = []
        self.rows: dict[str, int] = {}  # question code → row, for messages about skip logic
        # The language of plain label/hint columns: the settings' default_language, else English.
        self.default = DEFAULT_LANGUAGE
        given = form.get("default_language")
        if given and given != "default":
            self.default = self.language(given)
        self.languages = list(dict.fromkeys(self.language(name) for name in sheet.label_languages))

    def definition(self) -> dict:
        sections = self.sections(self.form.get("children", []))
        if not self.errors:
            self.check_logic(sections)
        if self.errors:
            raise ValidationError(self.errors[:30])
        return {
            **self.extras(self.form, DEFINITION_KEYS),
            "languages": list(self.languages) or [self.default],
            "sections": sections,
        }

    def title(self) -> dict:
        if self.form.get(TITLE):
            return self.texts(self.form[TITLE])
        return {self.default: str(self.form["title"])} if self.sheet.titled and self.form.get("title") else {}

    # --- structure ---

    def sections(self, nodes: list[dict]) -> list[dict]:
        sections: list[dict] = []
        loose: dict | None = None  # the section gathering questions outside any group
        for node in nodes:
            if node.get("control", {}).get("bodyless"):
                continue  # pyxform's own meta group (instanceID)
            try:
                if node["type"] == "group" and node["name"] not in self.sheet.table_lists:
                    loose = None
                    section = self.section(node)
                    if section["questions"]:
                        sections.append(section)
                    continue
                questions = list(self.questions([node], []))
            except ValidationError as error:
                self.errors.extend(error.messages)
                continue
            if questions and loose is None:
                loose = {"code": self.free_code(f"section_{len(sections) + 1}"), "questions": []}
                sections.append(loose)
            if questions:
                loose["questions"].extend(questions)
        return sections

    def free_code(self, code: str) -> str:
        taken = set(self.sheet.rows)
        while code in taken:
            code += "_"
        return code

    def section(self, node: dict) -> dict:
        section = {**self.extras(node, SECTION_KEYS), "code": node["name"].lower()}
        if node.get("label"):
            section["title"] = self.texts(node["label"])
        section["questions"] = list(self.questions(node.get("children", []), self.relevant(node, [])))
        return section

    def questions(self, nodes: list[dict], conditions: list[dict]) -> Iterator[dict]:
        for node in nodes:
            try:
                yield from self.node(node, conditions)
            except ValidationError as error:
                self.errors.extend(error.messages)

    def node(self, node: dict, conditions: list[dict]) -> Iterator[dict]:
        kind = node["type"]
        if kind == "group" and node["name"] in self.sheet.table_lists:
            yield self.matrix(node, conditions)
        elif kind == "group":
            yield from self.questions(node.get("children", []), self.relevant(node, conditions))
        elif not self.skipped(node):
            question = self.question(node)
            shown = self.relevant(node, conditions)
            if shown:
                question["show_if"] = _all(shown)
            yield question

    def skipped(self, node: dict) -> bool:
        """Notes, calculations and metadata hold no answer of the respondent's: dropped."""
        kind = node["type"]
        bind = QUESTION_TYPE_DICT.get(kind, {}).get("bind", {})
        return (
            kind in ("note", "calculate", "hidden", "audit", "xml-external", "csv-external")
            or "jr:preload" in bind
        )

    # --- one question ---

    def row(self, name: str) -> int:
        """The row of a name; pyxform's "Specify other" question (x_other) is on its question's row."""
        row = self.sheet.rows.get(name) or self.sheet.rows.get(name.removesuffix("_other")) or (0, "")
        return row[0]

    def where(self, name: str, group: bool = False) -> str:
        row = self.row(name)
        template = _("Group %(name)s (row %(row)d)") if group else _("Question %(name)s (row %(row)d)")
        return template % {"name": name, "row": row}

    def code(self, name: str) -> str:
        code = name.lower()
        if not CODE.match(code):
            raise ValidationError(
                _(
                    "%(where)s: its name must start with a letter and hold only letters, digits and _ "
                    "(at most 63)."
                )
                % {"where": self.where(name)}
            )
        self.rows[code] = self.row(name)
        return code

    def question(self, node: dict) -> dict:
        name = node["name"]
        question = {**self.extras(node, QUESTION_KEYS), "code": self.code(name), "kind": self.kind(node)}
        question["label"] = self.label(node)
        if node.get("hint"):
            question["help"] = self.texts(node["hint"])
        question["required"] = self.required(node)
        self.check_bind(node, numeric=question["kind"] == "number")
        question.update(self.details(node, question["kind"]))
        return question

    def kind(self, node: dict) -> str:
        kind, name = node["type"], node["name"]
        if kind in ("select one", "select all that apply"):
            return self.select_kind(node)
        if kind == "range":
            return "rating"
        spec = QUESTION_TYPE_DICT.get(kind, {})
        bound = (spec.get("control", {}).get("tag"), spec.get("bind", {}).get("type"))
        found = {
            ("input", "int"): "number",
            ("input", "decimal"): "number",
            ("input", "date"): "date",
            ("input", "string"): "text",
        }.get(bound)
        if found == "text":
            return (
                "long_text"
                if "multiline" in str(node.get("control", {}).get("appearance", "")).split()
                else "text"
            )
        if found:
            return found
        written = self.sheet.rows.get(name, (0, kind))[1] or kind
        raise ValidationError(
            _(
                "%(where)s: the type %(type)s is not supported; questions may be select_one, "
                "select_multiple, range, integer, decimal, date or text, in groups."
            )
            % {"where": self.where(name), "type": written}
        )

    def select_kind(self, node: dict) -> str:
        many = node["type"] == "select all that apply"
        list_name = str(node.get("list_name", node.get("itemset", "")))
        if node.get("choice_filter"):
            raise ValidationError(
                _("%(where)s: a choice_filter (cascading select) cannot be kept; remove it.")
                % {"where": self.where(node["name"])}
            )
        if "." in list_name:  # select_one_from_file: the choices are in a file not uploaded here
            raise ValidationError(
                _(
                    "%(where)s: choices from a file (%(file)s) are not supported; list them on the choices "
                    "sheet."
                )
                % {"where": self.where(node["name"]), "file": list_name}
            )
        if list_name == MEMBERS_LIST and many:
            raise ValidationError(
                _("%(where)s: a member question picks one administration: use select_one %(list)s.")
                % {"where": self.where(node["name"]), "list": MEMBERS_LIST}
            )
        if list_name in (TOPICS_LIST, MEMBERS_LIST):
            self.check_taxonomy(node, list_name)
            return "topic" if list_name == TOPICS_LIST else "member"
        return "multiple" if many else "single"

    def check_taxonomy(self, node: dict, list_name: str) -> None:
        allowed = self.topics if list_name == TOPICS_LIST else self.members
        unknown = [
            str(choice["name"]) for choice in node.get("choices", []) if str(choice["name"]) not in allowed
        ]
        if unknown:
            raise ValidationError(
                _("The list %(list)s offers %(values)s, which the platform does not know.")
                % {"list": list_name, "values": ", ".join(unknown[:5])}
            )

    def label(self, node: dict, group: bool = False) -> dict:
        label = self.texts(node.get("label"))
        if not label:
            raise ValidationError(_("%(where)s has no label.") % {"where": self.where(node["name"], group)})
        return label

    def required(self, node: dict) -> bool:
        value = str(node.get("bind", {}).get("required", "")).strip().lower()
        if value in YES or value in NO:
            return value in YES
        raise ValidationError(
            _("%(where)s: required must be yes or no; a condition (%(expression)s) cannot be kept.")
            % {"where": self.where(node["name"]), "expression": value}
        )

    def check_bind(self, node: dict, numeric: bool) -> None:
        bind = node.get("bind", {})
        for key in ("calculate", "readonly"):
            if bind.get(key) and str(bind[key]).strip().lower() not in NO:
                raise ValidationError(
                    _(
                        "%(where)s: a question whose answer is %(what)s cannot be kept; make it a calculate "
                        "row."
                    )
                    % {
                        "where": self.where(node["name"]),
                        "what": _("calculated") if key == "calculate" else _("read only"),
                    }
                )
        if bind.get("constraint") and not numeric:
            raise ValidationError(
                _(
                    "%(where)s: its constraint %(expression)s cannot be kept; only number questions take "
                    "bounds."
                )
                % {"where": self.where(node["name"]), "expression": bind["constraint"]}
            )

    def details(self, node: dict, kind: str) -> dict:
        if kind in ("single", "multiple"):
            return {"choices": self.choices(node)}
        if kind == "topic" and node["type"] == "select all that apply":
            return {"many": True}
        if kind == "rating":
            return {"scale": self.range_scale(node)}
        if kind == "number":
            return self.bounds(node)
        return {}

    def choices(self, node: dict) -> list[dict]:
        list_name, choices = str(node.get("list_name", "")), []
        for choice in node.get("choices", []):
            item = {
                **self.extras(choice, CHOICE_KEYS),
                "value": self.choice_value(list_name, str(choice["name"])),
            }
            item["label"] = self.texts(choice.get("label")) or {self.default: str(choice["name"])}
            if choice.get(CORRECT) is not None:
                item["correct"] = self.flag(choice[CORRECT], list_name, str(choice["name"]))
            choices.append(item)
        return choices

    def choice_where(self, list_name: str, name: str) -> str:
        return _("List %(list)s, choice %(name)s (choices sheet, row %(row)d)") % {
            "list": list_name,
            "name": name,
            "row": self.sheet.choice_rows.get((list_name, name), 0),
        }

    def choice_value(self, list_name: str, name: str) -> str:
        value = name.lower()
        if not CODE.match(value):
            raise ValidationError(
                _(
                    "%(where)s: a choice name must start with a letter and hold only letters, digits and _ "
                    "(rename 1 to c1 or one, for instance)."
                )
                % {"where": self.choice_where(list_name, name)}
            )
        return value

    def flag(self, value, list_name: str, name: str) -> bool:
        text = str(value).strip().lower()
        if text in YES or text in NO:
            return text in YES
        raise ValidationError(
            _("%(where)s: %(column)s must be 1 or 0.")
            % {"where": self.choice_where(list_name, name), "column": CORRECT}
        )

    def range_scale(self, node: dict) -> dict:
        parameters = node.get("parameters", {})
        start, end, step = (
            str(parameters.get(key, default)).strip()
            for key, default in (("start", "1"), ("end", "10"), ("step", "1"))
        )
        if not (re.fullmatch(r"\d+", start) and re.fullmatch(r"\d+", end) and step in ("1", "1.0")):
            raise ValidationError(
                _(
                    "%(where)s: a range becomes a rating from one whole number to another in steps of 1; "
                    "its parameters are start=%(start)s end=%(end)s step=%(step)s."
                )
                % {"where": self.where(node["name"]), "start": start, "end": end, "step": step}
            )
        scale = {"min": int(start), "max": int(end)}
        for key, column in (("min_label", MIN_LABEL), ("max_label", MAX_LABEL)):
            if node.get(column):
                scale[key] = self.texts(node[column])
        return scale

    def bounds(self, node: dict) -> dict:
        constraint = str(node.get("bind", {}).get("constraint", "")).strip()
        bounds: dict = {}
        number = r"(-?(?:\d+(?:\.\d*)?|\.\d+))"
        for part in re.split(r"\s+and\s+", constraint) if constraint else []:
            if match := re.fullmatch(rf"\.\s*(>=|<=)\s*{number}", part.strip()):
                symbol, text = match.groups()
            elif match := re.fullmatch(rf"{number}\s*(<=|>=)\s*\.", part.strip()):
                text, symbol = match.groups()
                symbol = ">=" if symbol == "<=" else "<="
            else:
                raise ValidationError(
                    _(
                        "%(where)s: its constraint %(expression)s cannot be kept; a number takes bounds "
                        "written as . >= 0 and . <= 100."
                    )
                    % {"where": self.where(node["name"]), "expression": constraint}
                )
            bounds["min" if symbol == ">=" else "max"] = float(text) if "." in text else int(text)
        return bounds

    def matrix(self, node: dict, conditions: list[dict]) -> dict:
        """A table-list group of select_one rows sharing a list of whole numbers."""
        name = node["name"]
        children = [child for child in node.get("children", []) if not self.skipped(child)]
        lists = {str(child.get("list_name")) for child in children}
        if not children or len(lists) != 1 or any(child["type"] != "select one" for child in children):
            raise self.matrix_error(name)
        if any(child.get("bind", {}).get("relevant") for child in children):
            raise ValidationError(
                _(
                    "%(where)s: the rows of a table-list cannot have skip logic of their own; put it on the "
                    "group."
                )
                % {"where": self.where(name, group=True)}
            )
        code = self.code(name)
        question = {
            **self.extras(node, QUESTION_KEYS),
            "code": code,
            "kind": "matrix",
            "label": self.label(node, group=True),
            "required": any(self.required(child) for child in children),
            "rows": [
                {"value": self.row_value(code, child["name"]), "label": self.label(child)}
                for child in children
            ],
            "scale": self.matrix_scale(name, children[0].get("choices", [])),
        }
        if node.get("hint"):
            question["help"] = self.texts(node["hint"])
        shown = self.relevant(node, conditions)
        if shown:
            question["show_if"] = _all(shown)
        return question

    def matrix_error(self, name: str) -> ValidationError:
        return ValidationError(
            _(
                "%(where)s has the table-list appearance, so it becomes a matrix: every question in it "
                "must be a select_one of the same list, whose choices are whole numbers (1, 2, 3...)."
            )
            % {"where": self.where(name, group=True)}
        )

    def row_value(self, code: str, name: str) -> str:
        value = name.lower().removeprefix(f"{code}__")
        if not CODE.match(value):
            raise ValidationError(
                _(
                    "%(where)s: a matrix row is named <matrix>__<row>, the row starting with a letter and "
                    "holding only letters, digits and _."
                )
                % {"where": self.where(name)}
            )
        return value

    def matrix_scale(self, name: str, choices: list[dict]) -> dict:
        points = {}
        for choice in choices:
            if not re.fullmatch(r"\d+", str(choice["name"])):
                raise self.matrix_error(name)
            points[int(choice["name"])] = self.texts(choice.get("label"))
        low, high = min(points), max(points)
        if sorted(points) != list(range(low, high + 1)):
            raise self.matrix_error(name)
        scale = {"min": low, "max": high}
        for key, point in (("min_label", low), ("max_label", high)):
            # An end point labelled with its own number has no label of its own.
            labels = {code: text for code, text in points[point].items() if text != str(point)}
            if labels:
                scale[key] = labels
        return scale

    # --- texts and extra columns ---

    def language(self, name: str) -> str:
        """The code of a language as a column names it: `French (fr)`, `French`, `fr`."""
        if name == "default":
            return self.default
        name = str(name).strip()
        match = NAMED_LANGUAGE.search(name)
        code = match.group(1).lower() if match else LANGUAGE_ALIASES.get(name.lower(), name.lower())
        if not LANGUAGE.match(code):
            raise ValidationError(
                _("The language %(name)s is not one we know: name its columns like label::English (en).")
                % {"name": name}
            )
        return code

    def texts(self, value) -> dict:
        if not value:
            return {}
        if not isinstance(value, dict):
            value = {"default": value}
        texts = {}
        for name, text in value.items():
            if str(text).strip():
                code = self.language(name)
                texts[code] = str(text).strip()
                if code not in self.languages:
                    self.languages.append(code)
        return texts

    def extras(self, node: dict, known: set[str]) -> dict:
        """cbhub_<key> columns back as keys; a key the mapping carries itself is never overwritten."""
        extras = {}
        for column, value in node.items():
            key = column.removeprefix(EXTRA)
            if column.startswith(EXTRA) and column not in OWN_COLUMNS and key not in known:
                extras[key] = self.texts(value) if isinstance(value, dict) else _json_or_text(value)
        return extras

    # --- skip logic ---

    def relevant(self, node: dict, conditions: list[dict]) -> list[dict]:
        """The conditions a node is shown under: those of its groups, then its own."""
        expression = str(node.get("bind", {}).get("relevant", "")).strip()
        if not expression:
            return conditions
        try:
            return [*conditions, relevant_to_condition(expression)]
        except _Unexpressible:
            raise ValidationError(
                _(
                    "%(where)s: its relevant expression %(expression)s cannot be expressed here. Skip logic "
                    "compares an earlier question with a value (=, !=, >, <) or uses "
                    "selected(${question}, 'value'), the comparisons joined with and / or."
                )
                % {"where": self.where(node["name"], group=node["type"] == "group"), "expression": expression}
            ) from None

    def check_logic(self, sections: list[dict]) -> None:
        """Cycles first (a cycle always also looks ahead: the cycle is the fault to name), then each
        reference: to a question we keep, an earlier one, with a value it can have."""
        questions = {question["code"]: question for section in sections for question in section["questions"]}
        graph = {
            code: [part["question"] for part in _references(question["show_if"])]
            for code, question in questions.items()
            if question.get("show_if")
        }
        cycle = _cycle(graph)
        if cycle:
            raise ValidationError(_("Skip logic forms a cycle: %(path)s.") % {"path": " → ".join(cycle)})
        order = {code: position for position, code in enumerate(questions)}
        for question in questions.values():
            for part in _references(question["show_if"]) if question.get("show_if") else []:
                self.check_reference(question, part, questions, order)

    def check_reference(self, question: dict, part: dict, questions: dict, order: dict) -> None:
        code, target = question["code"], part["question"]
        where = _("Question %(name)s (row %(row)d)") % {"name": code, "row": self.rows.get(code, 0)}
        if target not in questions:
            self.errors.append(
                _(
                    "%(where)s: its skip logic looks at %(target)s, which is not a question kept here "
                    "(notes, calculations, metadata and matrix rows cannot be looked at)."
                )
                % {"where": where, "target": target}
            )
        elif order[target] >= order[code]:
            self.errors.append(
                _(
                    "%(where)s: its skip logic looks at %(target)s, which comes later; it may only look at "
                    "an earlier question."
                )
                % {"where": where, "target": target}
            )
        else:
            self.fit_value(questions[target], part, where)

    def fit_value(self, target: dict, part: dict, where: str) -> None:
        """A comparison's value as the question it looks at holds its answers."""
        kind = target["kind"]
        if part["op"] == "selected" and (
            kind in ("single", "member") or (kind == "topic" and not target.get("many"))
        ):
            part["op"] = "eq"  # XPath's selected() on a one-answer pick is equality; show_if's is for lists
        if kind in ("single", "multiple") and isinstance(part["value"], str):
            part["value"] = part["value"].lower()  # as choice names are
        elif kind in ("topic", "member") and part["op"] in ("eq", "ne", "selected"):
            allowed = self.topics if kind == "topic" else self.members
            if str(part["value"]) not in allowed:
                self.errors.append(
                    _("%(where)s: its skip logic expects %(value)s, which the platform does not know.")
                    % {"where": where, "value": part["value"]}
                )


def _json_or_text(value):
    """An extra column's cell: JSON as we write it, or plain text as a person types it (NaN and
    Infinity stay text: a JSON column cannot store them)."""
    try:
        return json.loads(value, parse_constant=_not_json)
    except (TypeError, ValueError, RecursionError):
        return value


def _not_json(constant: str):
    raise ValueError(constant)
