"""Pagination of the HTML lists, with a bounded cost of counting.

Counting every row a user may see is the dearest part of a long list: 120,000 participations of a
region cost more to count than the first page costs to read from its index. The list pages count
at most COUNT_LIMIT + 1 rows; beyond that they say "more than 10,000 results", and the filters
(or an export, which is not paginated) take over. The API keeps exact counts for its clients.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_LIMIT = 10_000


class CappedPaginator(Paginator):
    limit = COUNT_LIMIT

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # Unordered, so that the database stops at the first rows it finds.
            return self.object_list.order_by()[: self.limit + 1].count()
        return min(len(self.object_list), self.limit + 1)

    @property
    def capped(self) -> bool:
        """Whether there are more rows than were counted."""
        return self.count > self.limit
