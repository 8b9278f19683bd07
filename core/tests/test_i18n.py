"""Every UI string has a French translation, and the UI switches language."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale" / "fr" / "LC_MESSAGES"
APPS = [
    "core",
    "accounts",
    "network",
    "topics",
    "people",
    "funding",
    "activities",
    "jobs",
    "knowledge",
    "experts",
    "surveys",
    "insights",
    "conferences",
    "meetings",
    "results",
    "training",
    "cbhub",
]


def catalogue() -> dict[str, list[str]]:
    """msgid -> msgstr(s) from the French .po file (fuzzy entries count as untranslated)."""
    entries = {}
    for block in (LOCALE / "django.po").read_text(encoding="utf-8").split("\n\n")[1:]:
        if "#, fuzzy" in block:
            continue
        fields, current = {}, None
        for line in block.splitlines():
            match = re.match(r'(msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line)
            if match:
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        entries[fields["msgid"]] = [value for key, value in fields.items() if key.startswith("msgstr")]
    return entries


def template_strings() -> set[str]:
    strings = set()
    for app in APPS:
        for path in (ROOT / app).glob("templates/**/*.html"):
            code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            for call in re.finditer(r"n?gettext\((u'(?:[^'\\]|\\.)*')", code):
                strings.add(ast.literal_eval(call.group(1)[1:]))
    return strings


def python_strings() -> set[str]:
    strings = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(call, ast.Call)
                    and getattr(call.func, "id", "") in {"_", "gettext_lazy"}
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                ):
                    strings.add(call.args[0].value)
    return strings


def test_every_ui_string_is_in_the_french_catalogue():
    known = catalogue()
    wanted = template_strings() | python_strings()
    assert len(wanted) > 150
    missing = sorted(wanted - set(known))
    assert not missing, f"run `make messages` and translate: {missing}"


def test_every_catalogue_entry_is_translated():
    untranslated = [msgid for msgid, translations in catalogue().items() if not all(translations)]
    assert not untranslated


def test_the_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    for msgid, values in catalogue().items():
        if len(values) == 1:
            assert translations.gettext(msgid) == values[0], (
                f"stale django.mo for {msgid!r}: run `make messages`"
            )


@pytest.mark.django_db
def test_the_ui_switches_to_french(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/network/map/"})
    assert response.status_code == 302
    body = client.get("/network/map/").content.decode()
    assert '<html lang="fr">' in body
    assert "Carte du réseau" in body and "Aller au contenu principal" in body
    assert "Skip to main content" not in body and "Map of the network" not in body
