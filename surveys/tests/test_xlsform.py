"""XLSForm import and export (surveys.xlsform): the round trip, what pyxform makes of our workbooks,
forms written by hand as Kobo users write them, and every refusal, with its message.

No database and no network: workbooks are built in memory with openpyxl.
"""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from lxml import etree
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import convert

from core.tests import hostile_files as hostile
from surveys.definition import definition_clean
from surveys.xlsform import (
    MAX_SURVEY_ROWS,
    condition_to_relevant,
    definition_to_xlsform,
    relevant_to_condition,
    xlsform_to_definition,
)

TEMPLATES = sorted((Path(__file__).resolve().parent.parent / "data" / "templates").glob("*.json"))
TOPICS = [
    ("risk-management", "Risk management", "Gestion des risques"),
    ("hs", "HS classification", "Classement SH"),
]
MEMBERS = [("JP", "Japan", "Japon"), ("KE", "Kenya", "Kenya")]
TOPIC_VALUES = {value for value, _en, _fr in TOPICS}
MEMBER_VALUES = {value for value, _en, _fr in MEMBERS}
TITLE = {"en": "Needs survey", "fr": "Enquête sur les besoins"}
XFORMS = {"x": "http://www.w3.org/2002/xforms", "h": "http://www.w3.org/1999/xhtml"}


def texts(en: str, fr: str) -> dict:
    return {"en": en, "fr": fr}


def every_kind() -> dict:
    """A definition with every kind, every operator, any and all (nested), correct flags, an extra key
    (need_weight) and two languages."""
    return definition_clean(
        {
            "languages": ["en", "fr"],
            "sections": [
                {
                    "code": "about",
                    "title": texts("About you", "Vous"),
                    "questions": [
                        {
                            "code": "role",
                            "kind": "single",
                            "required": True,
                            "label": texts("Your role?", "Votre rôle ?"),
                            "help": texts("Pick one", "Un seul choix"),
                            "choices": [
                                {"value": "head", "label": texts("Head", "Chef"), "correct": True},
                                {"value": "staff", "label": texts("Staff", "Agent"), "correct": False},
                            ],
                        },
                        {
                            "code": "tools",
                            "kind": "multiple",
                            "label": texts("Tools used", "Outils utilisés"),
                            "choices": [
                                {"value": "risk", "label": texts("Risk profiles", "Profils de risque")},
                                {
                                    "value": "pca",
                                    "label": texts("Post-clearance audit", "Contrôle a posteriori"),
                                },
                            ],
                            "show_if": {"question": "role", "op": "eq", "value": "head"},
                        },
                        {
                            "code": "satisfaction",
                            "kind": "rating",
                            "label": texts("Satisfaction", "Satisfaction"),
                            "scale": {
                                "min": 1,
                                "max": 5,
                                "min_label": texts("Poor", "Faible"),
                                "max_label": texts("Excellent", "Excellente"),
                            },
                            "show_if": {
                                "any": [
                                    {"question": "tools", "op": "selected", "value": "risk"},
                                    {"question": "role", "op": "ne", "value": "staff"},
                                ]
                            },
                        },
                        {
                            "code": "staff_count",
                            "kind": "number",
                            "label": texts("Staff", "Effectif"),
                            "min": 0,
                            "max": 100.5,
                        },
                    ],
                },
                {
                    "code": "practice",
                    "title": texts("Practice", "Pratique"),
                    "questions": [
                        {
                            "code": "grid",
                            "kind": "matrix",
                            "required": True,
                            "label": texts("Rate each service", "Notez chaque service"),
                            "help": texts("1 is the lowest", "1 est le plus bas"),
                            "rows": [
                                {"value": "speed", "label": texts("Speed", "Rapidité")},
                                {"value": "cost", "label": texts("=Cost", "Coût")},  # starts like a formula
                            ],
                            "scale": {"min": 1, "max": 4, "min_label": texts("Bad", "Mauvais")},
                            "show_if": {
                                "all": [
                                    {"question": "staff_count", "op": "gt", "value": 3},
                                    {"question": "staff_count", "op": "lt", "value": 50},
                                ]
                            },
                        },
                        {"code": "since", "kind": "date", "label": texts("Since when?", "Depuis quand ?")},
                        {"code": "unit", "kind": "text", "label": texts("Unit", "Unité")},
                        {
                            "code": "story",
                            "kind": "long_text",
                            "label": texts("Tell us more", "Dites-nous en plus"),
                            "show_if": {
                                "all": [
                                    {
                                        "any": [
                                            {"question": "unit", "op": "eq", "value": "o'neil"},
                                            {"question": "since", "op": "ne", "value": "2020-01-01"},
                                        ]
                                    },
                                    {"question": "staff_count", "op": "gt", "value": 2.5},
                                ]
                            },
                        },
                        {
                            "code": "needs",
                            "kind": "topic",
                            "many": True,
                            "need_weight": 3,
                            "label": texts("Your needs", "Vos besoins"),
                        },
                        {
                            "code": "administration",
                            "kind": "member",
                            "label": texts("Your administration", "Votre administration"),
                            "show_if": {"question": "needs", "op": "selected", "value": "risk-management"},
                        },
                    ],
                },
            ],
        }
    )


def export(definition: dict, title: dict = TITLE) -> bytes:
    return definition_to_xlsform(
        definition=definition, title=title, form_id="needs_2027", topics=TOPICS, members=MEMBERS
    )


def import_(content: bytes) -> tuple[dict, dict]:
    return xlsform_to_definition(content=content, topics=TOPIC_VALUES, members=MEMBER_VALUES)


def workbook(
    survey: list[list], choices: list[list] | None = None, settings: list[list] | None = None
) -> bytes:
    """An XLSForm as a person makes it in Excel: sheets of rows, the first row the headings."""
    book = Workbook()
    book.active.title = "survey"
    for name, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        if rows is None:
            continue
        sheet = book["survey"] if name == "survey" else book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refused(content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        import_(content)
    return " ".join(caught.value.messages)


# --- the round trip ----------------------------------------------------------------------------


def test_round_trip_gives_the_same_definition_and_title():
    definition = every_kind()
    title, back = import_(export(copy.deepcopy(definition)))
    assert back == definition
    assert title == TITLE


def test_export_does_not_change_the_definition():
    definition = every_kind()
    export(definition)
    assert definition == every_kind()


def test_round_trip_keeps_extra_keys_of_sections_choices_and_the_definition():
    definition = every_kind()
    definition["scoring"] = {"pass": 0.7}
    definition["sections"][0]["intro"] = texts("Welcome", "Bienvenue")
    definition["sections"][0]["questions"][0]["choices"][0]["points"] = 2
    definition["sections"][0]["questions"][1]["bank_note"] = "kept as text"
    _title, back = import_(export(copy.deepcopy(definition)))
    assert back == definition


def test_round_trip_of_a_definition_in_other_languages_and_without_title():
    definition = definition_clean(
        {
            "languages": ["fr", "es", "de"],
            "sections": [
                {
                    "code": "s",
                    "questions": [
                        {"code": "q", "kind": "text", "label": {"fr": "Nom", "es": "Nombre", "de": "Name"}},
                        {"code": "n", "kind": "number", "label": {"fr": "Nombre"}, "min": 0.00001},
                    ],
                }
            ],
        }
    )
    content = export(copy.deepcopy(definition), title={"fr": "Enquête"})
    headings = [cell.value for cell in load_workbook(io.BytesIO(content))["survey"][1]]
    assert headings[2:5] == ["label::French (fr)", "label::Spanish (es)", "label::de"]
    title, back = import_(content)
    assert back == definition
    assert title == {"fr": "Enquête"}


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.stem)
def test_round_trip_of_each_template(path):
    template = json.loads(path.read_text(encoding="utf-8"))
    definition = definition_clean(copy.deepcopy(template["definition"]))
    content = export(copy.deepcopy(definition), title=template["title"])
    xform(content)  # pyxform takes it
    title, back = import_(content)
    for question in (question for section in definition["sections"] for question in section["questions"]):
        if question["kind"] == "topic" and not question.get("many"):
            question.pop("many", None)  # many: false and no many are one
    assert back == definition
    assert title == template["title"]


def test_templates_exist_or_are_skipped():
    if not TEMPLATES:
        pytest.skip("no templates in surveys/data/templates yet")
    assert all(path.suffix == ".json" for path in TEMPLATES)


# --- what pyxform makes of an export -----------------------------------------------------------


def xform(content: bytes):
    result = convert(xlsform=content, file_type=".xlsx", warnings=[])
    return etree.fromstring(result.xform.encode())


def bind(tree, path: str):
    (element,) = tree.xpath(f"//x:bind[@nodeset='{path}']", namespaces=XFORMS)
    return element


def test_export_is_a_valid_xlsform():
    tree = xform(export(every_kind()))
    assert tree.xpath("//h:title/text()", namespaces=XFORMS) == ["Needs survey"]
    languages = tree.xpath("//x:itext/x:translation/@lang", namespaces=XFORMS)
    assert languages == ["English (en)", "French (fr)"]
    assert bind(tree, "/data/about/role").get("required") == "true()"
    assert bind(tree, "/data/about/tools").get("relevant") == " /data/about/role  = 'head'"
    assert "selected( /data/about/tools , 'risk')" in bind(tree, "/data/about/satisfaction").get("relevant")
    assert bind(tree, "/data/about/staff_count").get("constraint") == ". >= 0 and . <= 100.5"
    assert bind(tree, "/data/about/staff_count").get("type") == "decimal"
    (slider,) = tree.xpath("//x:range", namespaces=XFORMS)
    assert (slider.get("start"), slider.get("end"), slider.get("step")) == ("1", "5", "1")
    (grid,) = tree.xpath("//x:group[@ref='/data/practice/grid']", namespaces=XFORMS)
    assert grid.get("appearance") == "field-list"  # what pyxform makes of table-list
    assert len(grid.xpath("x:select1[@appearance='list-nolabel']", namespaces=XFORMS)) == 2
    assert tree.xpath("//x:input[@ref='/data/practice/story']/@appearance", namespaces=XFORMS) == [
        "multiline"
    ]
    assert tree.xpath("//x:select[@ref='/data/practice/needs']//x:itemset/@nodeset", namespaces=XFORMS) == [
        "instance('cbhub_topics')/root/item"
    ]
    # The extra choices column is accepted, and carried into the form's choice instance.
    assert tree.xpath(
        "//x:instance[@id='role']//x:item[x:name='head']/x:cbhub_correct/text()", namespaces=XFORMS
    ) == ["1"]
    assert tree.xpath("//x:instance[@id='cbhub_members']//x:name/text()", namespaces=XFORMS) == ["JP", "KE"]


def test_export_sheets_columns_and_cells():
    book = load_workbook(io.BytesIO(export(every_kind())))
    assert book.sheetnames == ["survey", "choices", "settings"]
    survey = [[cell.value for cell in row] for row in book["survey"].iter_rows()]
    headings = survey[0]
    assert headings[:6] == [
        "type",
        "name",
        "label::English (en)",
        "label::French (fr)",
        "hint::English (en)",
        "hint::French (fr)",
    ]
    assert "cbhub_need_weight" in headings and "cbhub_min_label::French (fr)" in headings
    rows = {
        row[1]: dict(zip(headings, row, strict=True)) for row in reversed(survey[1:])
    }  # begin_group, not end_group
    assert (
        rows["satisfaction"]["type"] == "range"
        and rows["satisfaction"]["parameters"] == "start=1 end=5 step=1"
    )
    assert rows["grid"]["type"] == "begin_group" and rows["grid"]["appearance"] == "table-list"
    assert rows["grid__speed"]["type"] == "select_one scale_grid"
    assert (
        rows["needs"]["type"] == "select_multiple cbhub_topics" and rows["needs"]["cbhub_need_weight"] == "3"
    )
    assert rows["administration"]["type"] == "select_one cbhub_members"
    assert rows["story"]["appearance"] == "multiline"
    cost = next(cell for row in book["survey"].iter_rows() for cell in row if cell.value == "=Cost")
    assert cost.data_type == "s" and cost.quotePrefix  # text, never a formula
    choices = [[cell.value for cell in row] for row in book["choices"].iter_rows()]
    assert choices[0] == ["list_name", "name", "label::English (en)", "label::French (fr)", "cbhub_correct"]
    assert ["role", "head", "Head", "Chef", 1] in choices and [
        "role",
        "staff",
        "Staff",
        "Agent",
        0,
    ] in choices
    assert ["scale_grid", "1", "Bad", "Mauvais", None] in choices and [
        "scale_grid",
        "4",
        "4",
        "4",
        None,
    ] in choices
    settings = [[cell.value for cell in row] for row in book["settings"].iter_rows()]
    assert dict(zip(*settings, strict=True))["default_language"] == "English (en)"
    assert dict(zip(*settings, strict=True))["form_id"] == "needs_2027"


# --- skip logic expressions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "expression"),
    [
        ({"question": "a", "op": "eq", "value": "x"}, "${a} = 'x'"),
        ({"question": "a", "op": "ne", "value": "x"}, "${a} != 'x'"),
        ({"question": "a", "op": "gt", "value": 3}, "${a} > 3"),
        ({"question": "a", "op": "lt", "value": 2.5}, "${a} < 2.5"),
        ({"question": "a", "op": "selected", "value": "x"}, "selected(${a}, 'x')"),
        ({"question": "a", "op": "eq", "value": "it's"}, '${a} = "it\'s"'),
        (
            {
                "any": [
                    {
                        "all": [
                            {"question": "a", "op": "eq", "value": "x"},
                            {"question": "b", "op": "gt", "value": 1},
                        ]
                    },
                    {"question": "c", "op": "selected", "value": "y"},
                ]
            },
            "(${a} = 'x' and ${b} > 1) or selected(${c}, 'y')",
        ),
    ],
)
def test_conditions_and_relevant_expressions(condition, expression):
    assert condition_to_relevant(condition) == expression
    assert relevant_to_condition(expression) == condition


def test_relevant_expressions_follow_xpath_precedence_and_spacing():
    assert relevant_to_condition("${a}='x' or ${b}='y' and ${c}='z'") == {
        "any": [
            {"question": "a", "op": "eq", "value": "x"},
            {
                "all": [
                    {"question": "b", "op": "eq", "value": "y"},
                    {"question": "c", "op": "eq", "value": "z"},
                ]
            },
        ]
    }
    assert relevant_to_condition("selected( ${Tools} , 'risk' )") == {
        "question": "tools",
        "op": "selected",
        "value": "risk",
    }


# --- forms written by hand ---------------------------------------------------------------------


def test_a_kobo_form_written_in_excel_imports():
    survey = [
        ["type", "name", "label", "hint", "required", "relevant", "calculation", "appearance"],
        ["start", "start"],
        ["end", "end"],
        ["today", "today"],
        ["deviceid", "deviceid"],
        ["note", "welcome", "Welcome to the survey"],
        ["integer", "Age", "How old are you?", "In years", "TRUE", None, None, None],
        ["select_one yn", "trained", "Were you trained?", None, "yes"],
        ["calculate", "double_age", None, None, None, None, "${Age} * 2"],
        ["begin group", "work", "Your work"],
        ["select_multiple areas", "areas", "Which areas?", None, None, "${trained} = 'Yes'"],
        ["text", "Other_Area", "Which other area?", None, None, "selected(${areas}, 'other')"],
        ["decimal", "share", "Share of time", None, None, "${Age} > 18", None, None],
        ["date", "started", "Started on"],
        ["text", "comments", "Comments", None, None, None, None, "multiline"],
        ["begin_group", "likert", "How do you rate these?", None, None, None, None, "table-list"],
        ["select_one agree", "clarity", "Clarity"],
        ["select_one agree", "pace", "Pace"],
        ["end_group"],
        ["end group"],
        ["select_one cbhub_topics", "topic", "Main need"],
        ["range", "score", "Score"],
    ]
    choices = [
        ["list name", "name", "label"],
        ["yn", "Yes", "Yes"],
        ["yn", "No", "No"],
        ["areas", "risk", "Risk"],
        ["areas", "other", "Other"],
        ["agree", 1, "Disagree"],
        ["agree", 2, "Neutral"],
        ["agree", 3, "Agree"],
        ["cbhub_topics", "hs", "HS"],
    ]
    title, definition = import_(
        workbook(survey, choices, [["form_title", "form_id"], ["Training follow-up", "follow"]])
    )
    assert title == {"en": "Training follow-up"}
    assert definition["languages"] == ["en"]
    first, work, last = definition["sections"]
    assert [question["code"] for question in first["questions"]] == ["age", "trained"]
    assert first["questions"][0] == {
        "code": "age",
        "kind": "number",
        "label": {"en": "How old are you?"},
        "help": {"en": "In years"},
        "required": True,
        "choices": [],
    }
    assert first["questions"][1]["choices"] == [
        {"value": "yes", "label": {"en": "Yes"}},
        {"value": "no", "label": {"en": "No"}},
    ]
    assert work["code"] == "work" and work["title"] == {"en": "Your work"}
    questions = {question["code"]: question for question in work["questions"]}
    assert list(questions) == ["areas", "other_area", "share", "started", "comments", "likert"]
    assert questions["areas"]["show_if"] == {"question": "trained", "op": "eq", "value": "yes"}
    assert questions["other_area"]["show_if"] == {"question": "areas", "op": "selected", "value": "other"}
    assert questions["share"]["show_if"] == {"question": "age", "op": "gt", "value": 18}
    assert [questions[code]["kind"] for code in questions] == [
        "multiple",
        "text",
        "number",
        "date",
        "long_text",
        "matrix",
    ]
    assert questions["likert"]["rows"] == [
        {"value": "clarity", "label": {"en": "Clarity"}},
        {"value": "pace", "label": {"en": "Pace"}},
    ]
    assert questions["likert"]["scale"] == {
        "min": 1,
        "max": 3,
        "min_label": {"en": "Disagree"},
        "max_label": {"en": "Agree"},
    }
    assert [question["kind"] for question in last["questions"]] == ["topic", "rating"]
    assert last["questions"][1]["scale"] == {"min": 1, "max": 10}  # pyxform's default range
    assert last["code"] not in ("work", "first")


def test_a_group_relevant_applies_to_its_questions_and_languages_come_from_the_columns():
    survey = [
        ["type", "name", "label::English", "label::Français", "hint::fr", "relevant"],
        ["select_one yn", "ok", "OK?", "D'accord ?", "Répondez"],
        ["begin_group", "more", "More", "Plus", None, "${ok} = 'yes'"],
        ["text", "why", "Why?", "Pourquoi ?", None, "${ok} != 'no'"],
        ["begin_group", "inner", "Inner", "Intérieur", None, None],
        ["date", "when", "When?", "Quand ?"],
        ["end_group"],
        ["end_group"],
    ]
    choices = [
        ["list_name", "name", "label::English", "label::Français"],
        ["yn", "yes", "Yes", "Oui"],
        ["yn", "no", "No", "Non"],
    ]
    title, definition = import_(workbook(survey, choices))
    assert title == {}
    assert definition["languages"] == ["en", "fr"]
    ok = definition["sections"][0]["questions"][0]
    assert ok["label"] == {"en": "OK?", "fr": "D'accord ?"} and ok["help"] == {"fr": "Répondez"}
    why, when = definition["sections"][1]["questions"]
    assert why["show_if"] == {
        "all": [{"question": "ok", "op": "eq", "value": "yes"}, {"question": "ok", "op": "ne", "value": "no"}]
    }
    assert when["show_if"] == {"question": "ok", "op": "eq", "value": "yes"}


def test_or_other_becomes_an_other_choice_and_a_question_shown_when_it_is_picked():
    content = form(["select_one yn or_other", "a", "A"], ["select_multiple yn or_other", "b", "B"])
    questions = import_(content)[1]["sections"][0]["questions"]
    assert [(question["code"], question["kind"]) for question in questions] == [
        ("a", "single"),
        ("a_other", "text"),
        ("b", "multiple"),
        ("b_other", "text"),
    ]
    assert [choice["value"] for choice in questions[0]["choices"]] == ["yes", "no", "other"]
    # selected() on a select_one is equality: show_if's selected is for a list of answers.
    assert questions[1]["show_if"] == {"question": "a", "op": "eq", "value": "other"}
    assert questions[3]["show_if"] == {"question": "b", "op": "selected", "value": "other"}


def test_extra_columns_typed_by_hand_are_text_or_json():
    survey = [
        ["type", "name", "label", "cbhub_need_weight", "cbhub_note"],
        ["select_multiple cbhub_topics", "needs", "Needs", 2, "NaN"],
        ["text", "t", "T", None, "[1, 2"],
    ]
    _title, definition = import_(
        workbook(survey, [["list_name", "name", "label"], ["cbhub_topics", "hs", "HS"]])
    )
    needs, text = definition["sections"][0]["questions"]
    assert (needs["kind"], needs["many"], needs["need_weight"], needs["note"]) == ("topic", True, 2, "NaN")
    assert text["note"] == "[1, 2"


# --- refusals: the form --------------------------------------------------------------------------

HEAD = ["type", "name", "label", "relevant", "required", "constraint", "appearance", "choice_filter"]
YN = [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]]


def form(*rows: list, choices: list[list] = YN) -> bytes:
    return workbook([HEAD, *rows], choices)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            form(["foo", "a", "A"]), ["not valid", "Unknown question type 'foo'"], id="unknown-type"
        ),
        pytest.param(
            form(["text", "a", "A"], ["geopoint", "where", "Where?"]), ["row 3", "geopoint"], id="geopoint"
        ),
        pytest.param(form(["image", "photo", "Photo"]), ["row 2", "image"], id="image"),
        pytest.param(
            form(["begin_repeat", "people", "People"], ["text", "who", "Who"], ["end_repeat"]),
            ["row 2", "begin_repeat"],
            id="repeat",
        ),
        pytest.param(
            form(["text", "a", "A"], ["text", "b", "B", "string-length(${a}) > 3"]),
            ["Question b (row 3)", "string-length(${a}) > 3", "cannot be expressed"],
            id="unexpressible-relevant",
        ),
        pytest.param(
            form(["integer", "a", "A"], ["text", "b", "B", "${a} >= 3"]),
            ["${a} >= 3", "cannot be expressed"],
            id="ge",
        ),
        pytest.param(
            form(["text", "a", "A", "${a} = 'x'"]), ["Skip logic forms a cycle: a → a"], id="self-reference"
        ),
        pytest.param(
            form(["text", "a", "A", "${b} = 'x'"], ["text", "b", "B", "${a} = 'y'"]),
            ["Skip logic forms a cycle: a → b → a"],
            id="cycle",
        ),
        pytest.param(
            form(
                ["text", "a", "A", "${c} = 'x'"],
                ["text", "b", "B", "${a} = 'y'"],
                ["text", "c", "C", "${b} = 'z'"],
            ),
            ["Skip logic forms a cycle: a → c → b → a"],
            id="longer-cycle",
        ),
        pytest.param(
            form(["text", "a", "A", "${b} = 'x'"], ["text", "b", "B"]),
            ["Question a (row 2)", "looks at b, which comes later"],
            id="later-question",
        ),
        pytest.param(
            form(["note", "intro", "Hello"], ["text", "b", "B", "${intro} = 'x'"]),
            ["Question b (row 3)", "looks at intro", "not a question kept here"],
            id="note-reference",
        ),
        pytest.param(
            form(["text", "zz", "A", "${nope} = 'x'"]), ["not valid", "nope"], id="unknown-reference"
        ),
        pytest.param(
            form(["text", "my-question", "A"]), ["Question my-question (row 2)", "name must start"], id="name"
        ),
        pytest.param(
            form(["select_one yn", "a", "A"], choices=[["list_name", "name", "label"], ["yn", 1, "Yes"]]),
            ["List yn, choice 1 (choices sheet, row 2)", "choice name must start with a letter"],
            id="numeric-choice",
        ),
        pytest.param(
            form(["text", "a", "A"], ["text", "b", "B", None, "${a} = 'x'"]),
            ["Question b (row 3)", "required must be yes or no"],
            id="conditional-required",
        ),
        pytest.param(
            form(["text", "a", "A", None, None, "regex(., '^[0-9]+$')"]),
            ["Question a (row 2)", "constraint", "only number questions"],
            id="text-constraint",
        ),
        pytest.param(
            form(["integer", "a", "A", None, None, ". != 5"]),
            ["Question a (row 2)", ". != 5", "bounds"],
            id="bounds",
        ),
        pytest.param(
            form(
                ["select_one yn", "a", "A"],
                ["select_one yn", "b", "B", None, None, None, None, "name = ${a}"],
            ),
            ["Question b (row 3)", "choice_filter"],
            id="choice-filter",
        ),
        pytest.param(
            form(
                ["begin_group", "grid", "Grid", None, None, None, "table-list"],
                ["select_one yn", "x", "X"],
                ["end_group"],
            ),
            ["Group grid (row 2)", "table-list", "whole numbers"],
            id="table-list-of-words",
        ),
        pytest.param(
            workbook(
                [["type", "name", "label", "parameters"], ["range", "r", "R", "start=0 end=1 step=0.1"]]
            ),
            ["Question r (row 2)", "step=0.1"],
            id="range-step",
        ),
        pytest.param(
            workbook([["type", "name", "label::Klingon (tlhx)"], ["text", "a", "A"]]),
            ["Klingon", "label::English (en)"],
            id="language",
        ),
        pytest.param(
            form(
                ["select_one cbhub_topics", "t", "T"],
                choices=[["list_name", "name", "label"], ["cbhub_topics", "astrology", "Astrology"]],
            ),
            ["cbhub_topics", "astrology"],
            id="unknown-topic",
        ),
        pytest.param(
            form(
                ["select_multiple cbhub_members", "m", "M"],
                choices=[["list_name", "name", "label"], ["cbhub_members", "JP", "Japan"]],
            ),
            ["Question m (row 2)", "select_one cbhub_members"],
            id="several-members",
        ),
        pytest.param(
            workbook([["type", "name", "label", "label"], ["text", "a", "A", "B"]]),
            ["not valid"],
            id="duplicate-heading",
        ),
        pytest.param(workbook([["type", "name"], ["text", "a"]]), ["not valid"], id="no-label"),
    ],
)
def test_forms_we_cannot_keep_are_refused_with_the_reason(content, expected):
    message = refused(content)
    for words in expected:
        assert words in message


def test_every_fault_of_a_form_is_reported_at_once():
    message = refused(
        form(["geopoint", "where", "Where?"], ["text", "my-question", "A"], ["image", "photo", "Photo"])
    )
    assert "row 2" in message and "row 3" in message and "row 4" in message


def test_a_cycle_is_named_before_a_reference_to_a_later_question():
    message = refused(
        form(
            ["text", "a", "A", "${b} = 'x'"],
            ["text", "b", "B", "${a} = 'y'"],
            ["text", "c", "C", "${d} = 'z'"],
            ["text", "d", "D"],
        )
    )
    assert "Skip logic forms a cycle: a → b → a" in message
    assert "comes later" not in message


def test_skip_logic_on_a_topic_must_name_a_known_topic():
    content = form(
        ["select_one cbhub_topics", "t", "T"],
        ["text", "why", "Why?", "${t} = 'astrology'"],
        choices=[["list_name", "name", "label"], ["cbhub_topics", "hs", "HS"]],
    )
    assert "expects astrology" in refused(content)


def test_groups_nested_too_deep_are_refused():
    rows = (
        [["begin_group", f"g{depth}", "G"] for depth in range(30)]
        + [["text", "a", "A"]]
        + [["end_group"]] * 30
    )
    assert "Row 22: groups are nested more than 20 deep" in refused(
        workbook([["type", "name", "label"], *rows])
    )


def test_too_many_rows_are_refused():
    rows = [["text", f"q{number}", f"Question {number}"] for number in range(MAX_SURVEY_ROWS + 1)]
    assert f"more than {MAX_SURVEY_ROWS} rows" in refused(workbook([["type", "name", "label"], *rows]))


# --- refusals: the file --------------------------------------------------------------------------


def rezipped(content: bytes, replace: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy_,
    ):
        for info in source.infolist():
            copy_.writestr(info.filename, replace.get(info.filename, source.read(info)))
    return buffer.getvalue()


def small_form() -> bytes:
    return workbook([["type", "name", "label"], ["text", "a", "A"]])


ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>&lol2;</sheets></workbook>'
)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        pytest.param(lambda: b"type,name,label\ntext,a,A\n", "not an Excel workbook", id="csv"),
        pytest.param(lambda: b"", "not an Excel workbook", id="empty"),
        pytest.param(
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Excel file (.xls)", id="xls"
        ),
        pytest.param(lambda: hostile.docx(), "not an Excel workbook", id="docx"),
        pytest.param(lambda: hostile.truncated(small_form()), "damaged", id="truncated"),
        pytest.param(
            lambda: rezipped(small_form(), {"xl/workbook.xml": b"<workbook"}), "damaged", id="bad-xml"
        ),
        pytest.param(
            lambda: rezipped(small_form(), {"xl/workbook.xml": ENTITY_BOMB}), "damaged", id="xml-entities"
        ),
        pytest.param(lambda: hostile.recompressed(small_form()), "unsupported compression", id="bzip2"),
        pytest.param(lambda: hostile.xlsx_bomb(12), "decompression bomb", id="zip-bomb"),
        pytest.param(lambda: hostile.xlsx_fake_sizes(12), "refused", id="false-sizes"),
        pytest.param(lambda: hostile.zip_of_many_parts(small_form()), "parts; refused", id="many-parts"),
        pytest.param(lambda: b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024), "larger than 5 MB", id="too-large"),
    ],
)
def test_files_that_are_not_workbooks_or_are_hostile_are_refused(build, expected):
    assert expected in refused(build())


def test_a_workbook_without_a_survey_sheet_is_refused():
    book = Workbook()
    book.active.title = "questions"
    book.create_sheet("other")
    buffer = io.BytesIO()
    book.save(buffer)
    assert "survey" in refused(buffer.getvalue())
