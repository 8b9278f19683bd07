"""Reference data in the reader's language: rows keep an English and a French form of their names."""

from __future__ import annotations

from django.utils.translation import get_language


def in_french() -> bool:
    return (get_language() or "en").startswith("fr")


def localised(english: str, french: str) -> str:
    """The French form in the French interface when there is one, otherwise the English."""
    return french if french and in_french() else english


def language_name(code: str) -> str:
    """A language's name in the reader's language ("Spanish", "espagnol") for an ISO 639-1 code."""
    from django.utils.translation import get_language_info

    try:
        return str(get_language_info(code.strip().lower())["name_translated"])
    except KeyError:
        return code


def language_names(codes) -> str:
    """ "English, French" for "en,fr" (or a list of codes)."""
    if isinstance(codes, str):
        codes = codes.split(",")
    return ", ".join(language_name(code) for code in codes if code.strip())
