"""ISO 4217 currencies an amount may be in, with their names in English and French.

The list is shipped in funding/data/currencies.csv (built by tools/build_currencies.py from Debian's
iso-codes); nothing is looked up at run time."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

CURRENCIES_CSV = Path(__file__).resolve().parent / "data" / "currencies.csv"


@cache
def _currencies() -> tuple[tuple[str, str, str], ...]:
    with CURRENCIES_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple((row["code"], row["name_en"], row["name_fr"]) for row in csv.DictReader(handle))


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(code for code, _en, _fr in _currencies())


def currency_choices() -> list[tuple[str, str]]:
    """(code, "EUR · Euro") pairs in the active language, ordered by code; a model field's choices."""
    french = (get_language() or "en").startswith("fr")
    return [(code, f"{code} · {name_fr if french else name_en}") for code, name_en, name_fr in _currencies()]
