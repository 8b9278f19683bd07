"""A questionnaire's definition: sections of questions, held as one JSON document per version.

A version's definition never changes once people have answered it (`surveys.services` makes a new
version instead), so the answers always keep the questions they answered. The document:

    {
      "languages": ["en", "fr"],
      "sections": [
        {"code": "practice", "title": {"en": "Current practice", "fr": "Pratique actuelle"},
         "questions": [
           {"code": "hs_uses_rulings", "kind": "single", "required": true,
            "label": {"en": "...", "fr": "..."}, "help": {"en": "...", "fr": "..."},
            "choices": [{"value": "yes", "label": {...}, "correct": true}, ...],
            "show_if": {"question": "other_code", "op": "eq", "value": "yes"}}]}]}

Kinds and their extra keys:
- `single`, `multiple`: `choices` (a `correct` flag on choices makes the question scored: a
  knowledge test);
- `rating`: `scale` {"min": 1, "max": 5, "min_label": {...}, "max_label": {...}};
- `matrix`: `rows` [{"value", "label"}] each rated on `scale`;
- `number`: optional `min`, `max`; `date`; `text` (one line) and `long_text`;
- `topic`: a pick from the topic taxonomy (`many`: several topics); in a needs questionnaire each
  topic picked is a need of the respondent's administration, weighed by `need_weight` (default 1:
  the yearly survey's top priority weighs 3); `member`: one administration.

Question codes are the question bank's: the same code in two questionnaires, two languages or two
years is one question, and results aggregate on it. Skip logic (`show_if`) may only look at an
earlier question, so it can never form a cycle; `any` or `all` combine several conditions.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KINDS = ("single", "multiple", "rating", "number", "date", "text", "long_text", "matrix", "topic", "member")
CHOICE_KINDS = {"single", "multiple"}
SCALE_KINDS = {"rating", "matrix"}
OPERATORS = ("eq", "ne", "gt", "lt", "selected")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
DEFAULT_LANGUAGE = "en"

MAX_SECTIONS = 50
MAX_QUESTIONS = 400
MAX_CHOICES = 300
MAX_TEXT = {"text": 500, "long_text": 10_000}
MAX_NUMBER = 1e12  # larger magnitudes are typing errors, not answers


# --- reading a definition ----------------------------------------------------------------------


def questions(definition: dict) -> Iterator[dict]:
    """Every question in order, sections flattened."""
    for section in definition.get("sections", []):
        yield from section.get("questions", [])


def question_map(definition: dict) -> dict[str, dict]:
    return {question["code"]: question for question in questions(definition)}


def text_in(texts: dict | str | None, language: str) -> str:
    """A text in the language asked for, else English, else any language it has."""
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    return texts.get(language) or texts.get(DEFAULT_LANGUAGE) or next(iter(texts.values()), "")


def is_scored(question: dict) -> bool:
    return question["kind"] in CHOICE_KINDS and any(choice.get("correct") for choice in question["choices"])


def choice_label(question: dict, value: str, language: str) -> str:
    for choice in question.get("choices", []) + question.get("rows", []):
        if choice["value"] == value:
            return text_in(choice["label"], language)
    return value


# --- checking a definition ---------------------------------------------------------------------


def definition_clean(definition: Any) -> dict:
    """The definition if it is well formed; a ValidationError listing every fault otherwise."""
    errors: list[str] = []
    if not isinstance(definition, dict) or not isinstance(definition.get("sections"), list):
        raise ValidationError(_("A questionnaire needs a list of sections."))
    languages = definition.setdefault("languages", [DEFAULT_LANGUAGE])
    if (
        not isinstance(languages, list)
        or not languages
        or not all(isinstance(code, str) and LANGUAGE.match(code) for code in languages)
    ):
        errors.append(_("Languages must be a list of language codes such as en and fr."))
    if len(definition["sections"]) > MAX_SECTIONS:
        errors.append(_("A questionnaire has at most %(limit)d sections.") % {"limit": MAX_SECTIONS})
    seen: dict[str, dict] = {}
    for position, section in enumerate(definition["sections"], start=1):
        if not isinstance(section, dict) or not isinstance(section.get("questions"), list):
            errors.append(_("Section %(number)d needs a list of questions.") % {"number": position})
            continue
        _check_texts(section.get("title"), _("Section %(number)d's title") % {"number": position}, errors)
        for question in section["questions"]:
            _check_question(question, seen, errors)
            if isinstance(question, dict) and isinstance(question.get("code"), str):
                seen[question["code"]] = question
    if not seen and not errors:
        errors.append(_("A questionnaire needs at least one question."))
    if len(seen) > MAX_QUESTIONS:
        errors.append(_("A questionnaire has at most %(limit)d questions.") % {"limit": MAX_QUESTIONS})
    if errors:
        raise ValidationError(errors)
    return definition


def _check_texts(texts, where: str, errors: list[str], required: bool = False) -> None:
    if texts in (None, {}) and not required:
        return
    if (
        not isinstance(texts, dict)
        or not texts
        or not all(
            isinstance(key, str) and LANGUAGE.match(key) and isinstance(value, str) and len(value) <= 2000
            for key, value in texts.items()
        )
    ):
        errors.append(
            _("%(where)s must be texts by language, each at most 2,000 characters.") % {"where": where}
        )
    elif required and not any(value.strip() for value in texts.values()):
        errors.append(_("%(where)s is empty.") % {"where": where})


def _check_options(options, where: str, errors: list[str], kind: str) -> None:
    if not isinstance(options, list) or not options or len(options) > MAX_CHOICES:
        errors.append(
            _("%(where)s needs between 1 and %(limit)d %(kind)s.")
            % {"where": where, "limit": MAX_CHOICES, "kind": kind}
        )
        return
    values = [option.get("value") if isinstance(option, dict) else None for option in options]
    if not all(isinstance(value, str) and CODE.match(value) for value in values):
        errors.append(
            _("%(where)s: each of its %(kind)s needs a value of lower-case letters, digits and _.")
            % {"where": where, "kind": kind}
        )
    elif len(set(values)) != len(values):
        errors.append(
            _("%(where)s: two of its %(kind)s have the same value.") % {"where": where, "kind": kind}
        )
    for option in options:
        if isinstance(option, dict):
            _check_texts(option.get("label"), where, errors, required=True)


def _check_question(question, seen: dict[str, dict], errors: list[str]) -> None:
    if not isinstance(question, dict):
        errors.append(_("Each question must be an object with a code and a kind."))
        return
    code = question.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        errors.append(
            _(
                "Question code %(code)r must start with a letter and hold only lower-case letters, "
                "digits and _ (at most 63)."
            )
            % {"code": code}
        )
        return
    where = _("Question %(code)s") % {"code": code}
    if code in seen:
        errors.append(_("%(where)s appears twice.") % {"where": where})
    kind = question.get("kind")
    if kind not in KINDS:
        errors.append(
            _("%(where)s has an unknown type %(kind)r; the types are: %(kinds)s.")
            % {"where": where, "kind": kind, "kinds": ", ".join(KINDS)}
        )
        return
    _check_texts(question.get("label"), where, errors, required=True)
    _check_texts(question.get("help"), where, errors)
    if not isinstance(question.setdefault("required", False), bool):
        errors.append(_("%(where)s: required must be true or false.") % {"where": where})
    if kind in CHOICE_KINDS:
        _check_options(question.get("choices"), where, errors, _("choices"))
    else:
        question.setdefault("choices", [])
    if kind == "matrix":
        _check_options(question.get("rows"), where, errors, _("rows"))
    if kind in SCALE_KINDS:
        scale = question.setdefault("scale", {"min": 1, "max": 5})
        low, high = (scale.get("min"), scale.get("max")) if isinstance(scale, dict) else (None, None)
        if not (isinstance(low, int) and isinstance(high, int) and 0 <= low < high <= 10):
            errors.append(
                _("%(where)s: its scale must run from a whole number to a larger one, within 0 to 10.")
                % {"where": where}
            )
    if kind == "number":
        for bound in ("min", "max"):
            if bound in question and not (_finite(question[bound]) and abs(question[bound]) <= MAX_NUMBER):
                errors.append(
                    _("%(where)s: its %(bound)s must be a number.") % {"where": where, "bound": bound}
                )
    if "need_weight" in question and not (
        _finite(question["need_weight"]) and 0 < question["need_weight"] <= 10
    ):
        errors.append(
            _("%(where)s: its need weight must be a number above 0 and at most 10.") % {"where": where}
        )
    if "show_if" in question and question["show_if"] is not None:
        _check_condition(question["show_if"], where, seen, errors)


def _check_condition(condition, where: str, earlier: dict[str, dict], errors: list[str]) -> None:
    if isinstance(condition, dict) and ("any" in condition or "all" in condition):
        parts = condition.get("any", condition.get("all"))
        if not isinstance(parts, list) or not parts:
            errors.append(_("%(where)s: its skip logic combines no conditions.") % {"where": where})
            return
        for part in parts:
            _check_condition(part, where, earlier, errors)
        return
    if not isinstance(condition, dict) or condition.get("op") not in OPERATORS:
        errors.append(
            _("%(where)s: skip logic needs a question, an operator (%(ops)s) and a value.")
            % {"where": where, "ops": ", ".join(OPERATORS)}
        )
        return
    target = condition.get("question")
    if target not in earlier:
        errors.append(
            _("%(where)s: its skip logic looks at %(target)s, which is not an earlier question.")
            % {"where": where, "target": target}
        )


def _finite(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


# --- skip logic --------------------------------------------------------------------------------


def is_shown(question: dict, answers: dict[str, Any]) -> bool:
    """Whether a question applies, given the answers so far (a question hidden by skip logic is
    neither required nor kept)."""
    condition = question.get("show_if")
    return True if not condition else _holds(condition, answers)


def _holds(condition: dict, answers: dict[str, Any]) -> bool:
    if "any" in condition:
        return any(_holds(part, answers) for part in condition["any"])
    if "all" in condition:
        return all(_holds(part, answers) for part in condition["all"])
    answer, expected, op = answers.get(condition["question"]), condition.get("value"), condition["op"]
    if op == "selected":  # on a one-answer question, `selected` is that answer
        return (
            str(expected) in answer
            if isinstance(answer, list)
            else answer is not None and str(answer) == str(expected)
        )
    if op in ("eq", "ne"):
        same = answer is not None and str(answer) == str(expected)
        return same if op == "eq" else not same
    try:
        number, threshold = float(answer), float(expected)
    except (TypeError, ValueError):
        return False
    return number > threshold if op == "gt" else number < threshold


# --- checking an answer ------------------------------------------------------------------------


def answer_clean(question: dict, raw: Any, *, topics: set[str], members: set[str]) -> Any:
    """The stored form of one answer (None for no answer), or a ValidationError saying why it does
    not fit the question. `topics` and `members` are the slugs and ISO codes that may be picked."""
    kind = question["kind"]
    if isinstance(raw, str) and "\x00" in raw:
        raise ValidationError(_("This answer holds a character that cannot be stored."))
    if raw in (None, "", []) or (
        kind == "matrix" and not any(value not in (None, "") for value in raw.values())
    ):
        return None
    if kind in ("single", "member") or (kind == "topic" and not question.get("many")):
        allowed = members if kind == "member" else topics if kind == "topic" else _values(question["choices"])
        value = str(raw[0] if isinstance(raw, list) and len(raw) == 1 else raw)
        if value not in allowed:
            raise ValidationError(_("Choose one of the options offered."))
        return value
    if kind in ("multiple", "topic"):
        allowed = topics if kind == "topic" else _values(question["choices"])
        values = [str(value) for value in (raw if isinstance(raw, list) else [raw])]
        if not set(values) <= allowed or len(values) > MAX_CHOICES:
            raise ValidationError(_("Choose among the options offered."))
        return sorted(set(values), key=values.index)
    if kind == "rating":
        return _scale_point(question, raw)
    if kind == "matrix":
        if not isinstance(raw, dict) or not set(raw) <= _values(question["rows"]):
            raise ValidationError(_("Rate the rows offered."))
        return {row: _scale_point(question, value) for row, value in raw.items() if value not in (None, "")}
    if kind == "number":
        return _number(question, raw)
    if kind == "date":
        return _date(raw)
    text = str(raw).strip()
    limit = MAX_TEXT[kind]
    if len(text) > limit:
        raise ValidationError(
            _("At most %(limit)d characters; this answer has %(length)d.")
            % {"limit": limit, "length": len(text)}
        )
    return text or None


def _values(options: list[dict]) -> set[str]:
    return {option["value"] for option in options}


def _scale_point(question: dict, raw) -> int:
    scale = question["scale"]
    try:
        point = int(str(raw))
    except ValueError:
        point = None
    if point is None or not scale["min"] <= point <= scale["max"]:
        raise ValidationError(
            _("Give a whole number from %(low)d to %(high)d.") % {"low": scale["min"], "high": scale["max"]}
        )
    return point


def _number(question: dict, raw) -> float | int:
    try:
        number = float(str(raw).replace(",", ".").strip())
    except ValueError:
        raise ValidationError(_("Enter a number.")) from None
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        raise ValidationError(_("Enter a number of a reasonable size."))
    low, high = question.get("min"), question.get("max")
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValidationError(_("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high})
    return int(number) if number.is_integer() else number


def _date(raw) -> str:
    try:
        day = datetime.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from None
    if not 1900 <= day.year <= 2200:
        raise ValidationError(_("Enter a date between 1900 and 2200."))
    return day.isoformat()


def score(definition: dict, answers: dict[str, Any]) -> float | None:
    """The share of scored questions answered correctly (0–1), or None if the version has none.
    A multiple-choice question counts as correct only with exactly the correct choices."""
    scored = [question for question in questions(definition) if is_scored(question)]
    if not scored:
        return None
    right = 0
    for question in scored:
        correct = {choice["value"] for choice in question["choices"] if choice.get("correct")}
        answer = answers.get(question["code"])
        given = set(answer) if isinstance(answer, list) else {answer}
        right += given == correct
    return right / len(scored)
