"""Search across apps. Each app registers what it indexes; results go through `restrict`, so a user
never sees a title or a count outside their scope.

This is the lexical registry search of the foundation; the knowledge base adds ranked full-text and
semantic search on top of the same registrations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from core.permissions import Action

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchIndex:
    """What to search in one model: its text fields, and the relations a hit's title needs."""

    model: type[models.Model]
    fields: tuple[str, ...]
    select_related: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)


@dataclass
class SearchGroup:
    index: SearchIndex
    count: int
    hits: list = field(default_factory=list)


_indexes: list[SearchIndex] = []


def register_search(index: SearchIndex) -> None:
    _indexes.append(index)


def search(user, query: str, *, per_group: int = 10) -> list[SearchGroup]:
    """The groups of objects matching every word of `query` that the user may view."""
    words = query.split()
    if not words:
        return []
    groups = []
    for index in _indexes:
        condition = Q()
        for word in words:
            condition &= _any_field_contains(index.fields, word)
        queryset = index.model.objects.restrict(user, Action.VIEW).filter(condition)
        count = queryset.count()
        if count:
            hits = list(queryset.select_related(*index.select_related)[:per_group])
            groups.append(SearchGroup(index=index, count=count, hits=hits))
    return groups


def _any_field_contains(fields: tuple[str, ...], word: str) -> Q:
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": word})
    return condition
