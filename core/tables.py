"""Columns shared by a list page and its exports, so both always show the same thing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Column:
    """One column: a heading and a dotted attribute path, e.g. "region.name".

    The first column of a list links to the row's detail page."""

    label: str
    path: str

    def value(self, obj: models.Model) -> Any:
        value: Any = obj
        for part in self.path.split("."):
            if value is None:
                return ""
            display = getattr(value, f"get_{part}_display", None)
            value = display() if display else getattr(value, part)
            if callable(value) and not isinstance(value, models.Model):
                value = value()  # e.g. "created_at.date" or "__str__"
        return "" if value is None else value
