"""Forms for questionnaires' pages. They shape input; surveys.services holds the rules.

The respondent's form is not a Django form class: its fields come from the version's definition
and are read by `raw_answers`, then checked by `surveys.services.answers_clean`.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import ActivityKind
from core.forms import ScopedForm
from network.models import Region
from surveys import definition as spec
from surveys.models import Audience, Purpose, Questionnaire, Stage, Wave

XLSFORM_MAX_BYTES = 5 * 1024 * 1024


class WaveForm(ScopedForm):
    """Attach a questionnaire to an activity (the activity comes from the URL) or to a region's
    yearly needs survey."""

    questionnaire = forms.ModelChoiceField(queryset=Questionnaire.objects.all(), label=_("Questionnaire"))
    stage = forms.ChoiceField(choices=Stage.choices, label=_("Stage"))
    audience = forms.ChoiceField(choices=Audience.choices, label=_("Send to"))
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(),
        required=False,
        label=_("Region"),
        help_text=_("For a yearly needs survey; an activity's questionnaire is for its region."),
    )
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100, label=_("Year"))
    opens_on = forms.DateField(
        required=False, label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        required=False, label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    months_after = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=24,
        label=_("Months after the activity ends"),
        help_text=_("For a follow-up: it opens then and its links go out by themselves."),
    )
    anonymous = forms.BooleanField(
        required=False, label=_("Anonymous"), help_text=Wave._meta.get_field("anonymous").help_text
    )
    include_supervisors = forms.BooleanField(
        required=False,
        label=_("Ask supervisors too"),
        help_text=Wave._meta.get_field("include_supervisors").help_text,
    )
    reminder_days = forms.CharField(
        required=False,
        max_length=40,
        initial="7,14",
        label=_("Reminders"),
        help_text=Wave._meta.get_field("reminder_days").help_text,
    )

    def __init__(self, *args, activity=None, **kwargs):
        self.activity = activity
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        for name in ("opens_on", "closes_on"):
            day = cleaned.get(name)
            if day is not None and not 2000 <= day.year <= 2100:
                self.add_error(name, _("Choose a date between 2000 and 2100."))
        return cleaned

    def setup_fields(self) -> None:
        self.fields["questionnaire"].queryset = Questionnaire.objects.order_by("-is_template", "code")
        if self.activity is not None:
            del self.fields["region"], self.fields["year"]
            self.fields["audience"].choices = [
                choice for choice in Audience.choices if choice[0] != Audience.REGION_FOCAL_POINTS
            ]
        else:
            self.fields["stage"].initial = Stage.YEARLY_NEEDS
            self.fields["audience"].initial = Audience.REGION_FOCAL_POINTS
            del self.fields["months_after"], self.fields["include_supervisors"]


class WaveChangeForm(forms.Form):
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}))
    reminder_days = forms.CharField(required=False, max_length=40, label=_("Reminders"))


class XLSFormImportForm(forms.Form):
    file = forms.FileField(label=_("XLSForm workbook (.xlsx)"))
    code = forms.SlugField(
        max_length=80, label=_("Code"), help_text=_("Letters, digits and hyphens; unique.")
    )
    purpose = forms.ChoiceField(choices=Purpose.choices, initial=Purpose.OTHER, label=_("Purpose"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > XLSFORM_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class CopyForm(forms.Form):
    code = forms.SlugField(max_length=80, required=False, label=_("Code of the copy"))


class QuestionForm(forms.Form):
    """One question of the builder: texts in English and French, its type and options."""

    section = forms.CharField(max_length=63, label=_("Section code"), initial="main")
    code = forms.RegexField(
        regex=spec.CODE,
        max_length=63,
        label=_("Code"),
        help_text=_("The question bank's code: the same code in two questionnaires is one question."),
    )
    kind = forms.ChoiceField(choices=[(kind, kind) for kind in spec.KINDS], label=_("Type"))
    label_en = forms.CharField(max_length=2000, label=_("Question (English)"))
    label_fr = forms.CharField(max_length=2000, required=False, label=_("Question (French)"))
    help_en = forms.CharField(max_length=2000, required=False, label=_("Help (English)"))
    help_fr = forms.CharField(max_length=2000, required=False, label=_("Help (French)"))
    required = forms.BooleanField(required=False, label=_("Required"))
    choices = forms.CharField(
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label=_("Choices or matrix rows"),
        help_text=_("One per line: value | English | French; add | correct for a right answer."),
    )
    scale_max = forms.IntegerField(
        required=False, min_value=2, max_value=10, initial=5, label=_("Scale up to")
    )
    many = forms.BooleanField(required=False, label=_("Several topics may be picked"))
    show_if_question = forms.RegexField(
        regex=spec.CODE, max_length=63, required=False, label=_("Show only if question")
    )
    show_if_value = forms.CharField(max_length=200, required=False, label=_("has the answer"))

    def question(self) -> dict:
        """The question as the definition holds it (checked again by the service)."""
        data = self.cleaned_data
        question = {
            "code": data["code"],
            "kind": data["kind"],
            "label": _texts(data["label_en"], data["label_fr"]),
            "help": _texts(data["help_en"], data["help_fr"]),
            "required": data["required"],
        }
        options = _options_from(data["choices"])
        if data["kind"] in spec.CHOICE_KINDS:
            question["choices"] = options
        if data["kind"] == "matrix":
            question["rows"] = [{"value": o["value"], "label": o["label"]} for o in options]
        if data["kind"] in spec.SCALE_KINDS:
            question["scale"] = {"min": 1, "max": data["scale_max"] or 5}
        if data["kind"] == "topic" and data["many"]:
            question["many"] = True
        if data["show_if_question"]:
            question["show_if"] = {
                "question": data["show_if_question"],
                "op": "eq",
                "value": data["show_if_value"],
            }
        return question

    @classmethod
    def initial_for(cls, question: dict, section: str) -> dict:
        options = question.get("rows") or question.get("choices") or []
        condition = question.get("show_if") or {}
        return {
            "section": section,
            "code": question["code"],
            "kind": question["kind"],
            "label_en": question["label"].get("en", ""),
            "label_fr": question["label"].get("fr", ""),
            "help_en": (question.get("help") or {}).get("en", ""),
            "help_fr": (question.get("help") or {}).get("fr", ""),
            "required": question.get("required", False),
            "choices": "\n".join(
                " | ".join(
                    [o["value"], o["label"].get("en", ""), o["label"].get("fr", "")]
                    + (["correct"] if o.get("correct") else [])
                )
                for o in options
            ),
            "scale_max": (question.get("scale") or {}).get("max", 5),
            "many": question.get("many", False),
            "show_if_question": condition.get("question", ""),
            "show_if_value": condition.get("value", ""),
        }


def _texts(english: str, french: str) -> dict:
    return {lang: text.strip() for lang, text in (("en", english), ("fr", french)) if text and text.strip()}


def _options_from(text: str) -> list[dict]:
    options = []
    for line in text.splitlines():
        parts = [part.strip() for part in line.split("|")]
        if not parts[0]:
            continue
        correct = len(parts) > 3 and parts[3].lower() in ("correct", "yes", "1", "true")
        english = parts[1] if len(parts) > 1 and parts[1] else parts[0]
        option = {"value": parts[0], "label": _texts(english, parts[2] if len(parts) > 2 else "")}
        if correct:
            option["correct"] = True
        options.append(option)
    return options


class PlanFromNeedsForm(forms.Form):
    title = forms.CharField(max_length=250, label=_("Title of the proposed activity"))
    kind = forms.ChoiceField(choices=ActivityKind.choices, label=_("Kind"))


def raw_answers(definition: dict, data) -> dict:
    """A respondent's posted values by question code (lists for multiple picks, a dict of rows for a
    matrix); `surveys.services.answers_clean` decides what fits."""
    raw = {}
    for question in spec.questions(definition):
        code, kind = question["code"], question["kind"]
        if kind == "multiple" or (kind == "topic" and question.get("many")):
            raw[code] = data.getlist(code)
        elif kind == "matrix":
            raw[code] = {row["value"]: data.get(f"{code}__{row['value']}", "") for row in question["rows"]}
        else:
            raw[code] = data.get(code, "")
    return raw
