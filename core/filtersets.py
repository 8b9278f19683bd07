"""The base of every FilterSet: list pages, their exports and the API (the REST filter backend makes
its generated FilterSets from it too).

A number filter is bounded by what its target can hold: a year by the years a date can have, a date
part by its range, an integer column by the database's integer range, a decimal column by its
digits. A number outside those bounds, or a fraction where a whole number is meant, is a form error
(an empty list with the message on a page, a 400 in the API), never an impossible date or a
database overflow (a 500). A filter that names its own bounds keeps them.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend

# What a date can hold (Python's and the databases' dates): the bounds of every year filter.
YEAR_MIN, YEAR_MAX = 1, 9999

# The values each date or time part can take.
PART_BOUNDS = {
    "year": (YEAR_MIN, YEAR_MAX),
    "iso_year": (YEAR_MIN, YEAR_MAX),
    "quarter": (1, 4),
    "month": (1, 12),
    "week": (1, 53),
    "day": (1, 31),
    "week_day": (1, 7),
    "iso_week_day": (1, 7),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}

# The widest integer any supported database stores (a 64-bit signed integer).
INTEGER_BOUNDS = (-(2**63), 2**63 - 1)
# A number compared with a float column: far beyond any real figure, well inside a double.
FLOAT_BOUND = 10**15


def year_from_text(value: str) -> int:
    """A year typed by a caller (a query string), or a ValidationError that says what a year is."""
    try:
        year = int(str(value).strip())
    except ValueError:
        year = None
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError(
            _("A year is a whole number from %(min)d to %(max)d.") % {"min": YEAR_MIN, "max": YEAR_MAX},
            code="invalid_year",
        )
    return year


def _target(model, field_name: str, lookup_expr: str):
    """The model field a filter compares with, and the date part it extracts, if any."""
    parts = field_name.split(LOOKUP_SEP) + [part for part in lookup_expr.split(LOOKUP_SEP) if part]
    field, part = None, None
    opts = model._meta if model is not None else None
    for name in parts:
        if name in PART_BOUNDS:
            part = name
            continue
        if opts is None:
            continue
        try:
            field = opts.get_field(name)
        except FieldDoesNotExist:
            continue
        opts = field.related_model._meta if field.is_relation and field.related_model else None
        if field.is_relation and field.related_model is not None:
            field = field.related_model._meta.pk
    return field, part


def number_bounds(model, field_name: str, lookup_expr: str) -> tuple[int | Decimal, int | Decimal, bool]:
    """(minimum, maximum, whole numbers only) for a number filter on `field_name`."""
    field, part = _target(model, field_name, lookup_expr)
    if part is not None:
        low, high = PART_BOUNDS[part]
        return low, high, True
    if isinstance(field, models.DecimalField):
        limit = Decimal(10) ** (field.max_digits - field.decimal_places)
        return -limit, limit, False
    if isinstance(field, models.FloatField):
        return -FLOAT_BOUND, FLOAT_BOUND, False
    if isinstance(field, models.IntegerField | models.AutoField):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        return (
            (INTEGER_BOUNDS[0] if low is None else low),
            (INTEGER_BOUNDS[1] if high is None else high),
            True,
        )
    return INTEGER_BOUNDS[0], INTEGER_BOUNDS[1], False


def bound_number_filter(number_filter: django_filters.NumberFilter, model) -> None:
    low, high, whole = number_bounds(model, number_filter.field_name or "", number_filter.lookup_expr or "")
    number_filter.extra.setdefault("min_value", low)
    number_filter.extra.setdefault("max_value", high)
    if whole and number_filter.field_class is forms.DecimalField:
        number_filter.field_class = forms.IntegerField


class FilterSet(django_filters.FilterSet):
    """Every project FilterSet derives from this one: its number filters are bounded."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for name, declared in filters.items():
            if isinstance(declared, django_filters.NumberFilter) and not isinstance(
                declared, django_filters.filters.BaseCSVFilter
            ):
                # A copy: a declared filter is shared with subclasses, whose model may differ.
                filters[name] = copy.deepcopy(declared)
                bound_number_filter(filters[name], cls._meta.model)
        return filters


class FilterBackend(DjangoFilterBackend):
    """The REST filter backend; FilterSets it generates from `filterset_fields` are bounded too."""

    filterset_base = FilterSet
