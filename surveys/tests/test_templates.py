"""The questionnaire templates shipped in surveys/data/templates: well formed, bilingual, consistent.

No database: each file is read and checked as it stands on disk.
"""

import copy
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from surveys.definition import definition_clean, is_scored, question_map, questions, score
from surveys.models import Purpose

TEMPLATES = Path(__file__).resolve().parent.parent / "data" / "templates"
LANGUAGES = ("en", "fr")
EXPECTED = {
    "needs_assessment": "needs",
    "workshop_reaction": "reaction",
    "knowledge_test": "knowledge_test",
    "follow_up": "follow_up",
    "administration_impact": "impact",
    "regional_needs_yearly": "yearly_needs",
}
NEEDS_PURPOSES = {"needs", "yearly_needs"}
OTHER_PURPOSES = set(EXPECTED.values()) - NEEDS_PURPOSES


def load(code: str) -> dict:
    return json.loads((TEMPLATES / f"{code}.json").read_text(encoding="utf-8"))


def cleaned(code: str) -> dict:
    return definition_clean(copy.deepcopy(load(code)["definition"]))


def texts(template: dict) -> Iterator[tuple[str, object]]:
    """Every translatable text of a template, with where it sits."""
    yield "title", template["title"]
    yield "description", template["description"]
    for section in template["definition"]["sections"]:
        yield f"section {section.get('code')}", section.get("title")
        for question in section["questions"]:
            where = f"question {question['code']}"
            yield where, question["label"]
            if "help" in question:
                yield f"{where} help", question["help"]
            for option in question.get("choices", []) + question.get("rows", []):
                yield f"{where} option {option['value']}", option["label"]
            for end in ("min_label", "max_label"):
                if end in question.get("scale", {}):
                    yield f"{where} {end}", question["scale"][end]


def conditions(condition: dict) -> Iterator[dict]:
    for part in condition.get("any", condition.get("all", [])):
        yield from conditions(part)
    if "question" in condition:
        yield condition


def test_the_six_templates_are_shipped():
    assert sorted(path.stem for path in TEMPLATES.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("code", EXPECTED)
def test_template_is_well_formed(code):
    template = load(code)
    assert set(template) == {"code", "purpose", "title", "description", "definition"}
    assert template["code"] == code
    assert template["purpose"] == EXPECTED[code]
    assert template["purpose"] in Purpose.values
    assert template["definition"]["languages"] == list(LANGUAGES)
    definition_clean(copy.deepcopy(template["definition"]))  # raises a ValidationError listing the faults


@pytest.mark.parametrize("code", EXPECTED)
def test_every_text_is_in_english_and_french(code):
    for where, text in texts(load(code)):
        assert isinstance(text, dict), where
        assert set(text) == set(LANGUAGES), where
        assert all(isinstance(text[language], str) for language in LANGUAGES), where
        assert all(text[language].strip() for language in LANGUAGES), where
    template = load(code)
    for section in template["definition"]["sections"]:
        assert section["title"]["en"] != section["title"]["fr"], section["code"]
        for question in section["questions"]:
            assert question["label"]["en"] != question["label"]["fr"], f"{question['code']} is not translated"


@pytest.mark.parametrize("code", EXPECTED)
def test_skip_logic_looks_at_values_the_earlier_question_can_take(code):
    definition = cleaned(code)
    by_code = question_map(definition)
    for question in questions(definition):
        for condition in conditions(question.get("show_if") or {}):
            target = by_code[condition["question"]]
            values = {choice["value"] for choice in target["choices"]}
            if target["kind"] in {"single", "multiple"} and condition["op"] in {"eq", "ne", "selected"}:
                assert condition["value"] in values, question["code"]
            if condition["op"] == "selected":
                assert target["kind"] == "multiple", question["code"]
            if condition["op"] in {"gt", "lt"}:
                assert target["kind"] in {"number", "rating"}, question["code"]


def test_the_knowledge_test_is_scored():
    definition = cleaned("knowledge_test")
    scored = [question for question in questions(definition) if is_scored(question)]
    assert len(scored) >= 10
    assert len(scored) == len(list(questions(definition)))
    multiples = 0
    for question in scored:
        correct = [choice for choice in question["choices"] if choice.get("correct")]
        assert question["required"], question["code"]
        assert len(question["choices"]) >= 3, question["code"]
        assert 1 <= len(correct) < len(question["choices"]), question["code"]
        assert all(choice["correct"] is True for choice in correct), question["code"]
        if question["kind"] == "single":
            assert len(correct) == 1, question["code"]
        else:
            multiples += 1
            assert len(correct) > 1, question["code"]
    assert multiples >= 1
    right = {}
    for question in scored:
        values = [choice["value"] for choice in question["choices"] if choice.get("correct")]
        right[question["code"]] = values if question["kind"] == "multiple" else values[0]
    assert score(definition, right) == 1
    wrong = {
        question["code"]: next(choice["value"] for choice in question["choices"] if not choice.get("correct"))
        for question in scored
    }
    assert score(definition, wrong) == 0


def test_the_correct_answers_are_not_always_in_the_same_place():
    positions = {
        next(index for index, choice in enumerate(question["choices"]) if choice.get("correct"))
        for question in questions(cleaned("knowledge_test"))
    }
    assert len(positions) > 1


@pytest.mark.parametrize("code", [code for code, purpose in EXPECTED.items() if purpose != "knowledge_test"])
def test_only_the_knowledge_test_is_scored(code):
    assert not any(is_scored(question) for question in questions(cleaned(code)))


def test_shared_codes_are_the_same_question():
    seen: dict[str, tuple[str, dict]] = {}
    shared = set()
    for code in EXPECTED:
        for question in questions(cleaned(code)):
            if question["code"] in seen:
                shared.add(question["code"])
                first_template, first = seen[question["code"]]
                where = f"{question['code']} in {first_template} and {code}"
                assert question["kind"] == first["kind"], where
                assert bool(question.get("many")) == bool(first.get("many")), where
                assert question.get("need_weight") == first.get("need_weight"), where
                assert [choice["value"] for choice in question["choices"]] == [
                    choice["value"] for choice in first["choices"]
                ], where
            else:
                seen[question["code"]] = (code, question)
    assert {"priority_topics", "top_priority_topic"} <= shared


@pytest.mark.parametrize("code", [code for code, purpose in EXPECTED.items() if purpose in NEEDS_PURPOSES])
def test_needs_templates_weigh_their_topics(code):
    by_code = question_map(cleaned(code))
    topics = [question for question in by_code.values() if question["kind"] == "topic"]
    assert topics
    for question in topics:
        weight = question.get("need_weight")
        assert type(weight) in (int, float) and weight > 0, question["code"]
    assert by_code["priority_topics"]["many"] is True
    assert by_code["priority_topics"]["need_weight"] == 1
    assert not by_code["top_priority_topic"].get("many")
    assert by_code["top_priority_topic"]["need_weight"] == 3
    assert by_code["top_priority_topic"]["required"] is True


@pytest.mark.parametrize("code", [code for code, purpose in EXPECTED.items() if purpose in OTHER_PURPOSES])
def test_need_weights_only_in_needs_templates(code):
    assert not any("need_weight" in question for question in questions(cleaned(code)))


def test_follow_up_fits_participant_and_supervisor():
    by_code = question_map(cleaned("follow_up"))
    assert [choice["value"] for choice in by_code["applied_learning"]["choices"]] == [
        "fully",
        "partly",
        "not_yet",
        "no",
    ]
    examples_if = {"question": "applied_learning", "op": "ne", "value": "no"}
    assert by_code["application_examples"]["show_if"] == examples_if
    labels = " ".join(question["label"]["en"] for question in by_code.values()).lower()
    assert " you " not in f" {labels} " and "your " not in labels
