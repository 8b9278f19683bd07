"""Template filters for reading figures: amounts and counts grouped in the reader's locale, and
language names. Numbers meant for machines (SVG, data attributes, URLs) stay unlocalised; only
these filters, used where people read the number, group digits."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

from core.i18n import language_names as _language_names

register = template.Library()


@register.filter
def amount(value, decimals=None):
    """12 345,50 in French, 12,345.50 in English; whole amounts without decimals."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return value
    if decimals is None:
        decimals = 0 if number == number.to_integral_value() else 2
    return number_format(number, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)


@register.filter
def figure(value):
    """A count with thousands grouped: 30,000 / 30 000."""
    return amount(value, 0)


@register.filter
def language_names(value):
    """ "English, French" for "en,fr"."""
    return _language_names(value or "")
