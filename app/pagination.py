"""The one pager: a page of items with Flask-SQLAlchemy's Pagination interface (for templates).

Lists paged in SQL use `db.paginate`; lists judged in Python or capped counts build a `Page`.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int
    capped: bool = False  # total is a capped count and there are more ("hơn 10.000")

    @classmethod
    def of_list(cls, items: list, page: int, per_page: int) -> Page:
        """Slice an in-memory list; a page number past the end shows the last page."""
        pages = max(1, ceil(len(items) / per_page))
        page = min(max(page, 1), pages)
        start = (page - 1) * per_page
        return cls(items[start:start + per_page], page, per_page, len(items))

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page)) if self.total else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(self, *, left_edge=2, left_current=2, right_current=4, right_edge=2):
        """Page numbers with None for the gaps, like Flask-SQLAlchemy's."""
        last = 0
        for number in range(1, self.pages + 1):
            if (number <= left_edge or self.page - left_current <= number <= self.page + right_current
                    or number > self.pages - right_edge):
                if last + 1 != number:
                    yield None
                yield number
                last = number
