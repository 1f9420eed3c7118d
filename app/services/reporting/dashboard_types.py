"""The dashboard's value types: what a figure covers (Scope), its counts and a labelled row."""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date


@dataclass(frozen=True)
class Scope:
    """What a figure or a list covers; every field narrows it, None means "all"."""

    plan_id: int | None = None
    unit_id: int | None = None
    unit_kind: str | None = None
    group: str | None = None  # a task group (Nhóm nhiệm vụ); "" = tasks without a group
    area_unit_ids: tuple[int, ...] = ()
    area_groups: tuple[str, ...] = ()
    due_on: date | None = None

    def narrowed(self, **changes) -> Scope:
        return replace(self, **changes)

    @property
    def has_area(self) -> bool:
        return bool(self.area_unit_ids or self.area_groups)


@dataclass
class Counts:
    done_on_time: int = 0
    done_late: int = 0
    open_in_time: int = 0
    open_overdue: int = 0
    ongoing: int = 0
    not_done: int = 0
    checkins: int = 0  # how many of the 2 × 2 are check-ins of ongoing tasks
    targets_met: int = 0
    targets_not_met: int = 0
    targets_unreported: int = 0

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def open(self) -> int:
        return self.open_in_time + self.open_overdue

    @property
    def total(self) -> int:
        return self.done + self.open

    @property
    def completion_rate(self) -> float | None:
        """Percentage of the 2 × 2 that is done, one decimal; None when there is nothing to count."""
        return round(100 * self.done / self.total, 1) if self.total else None

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data.update(done=self.done, open=self.open, total=self.total, completion_rate=self.completion_rate)
        return data


@dataclass
class Row:
    key: object
    label: str
    counts: Counts = field(default_factory=Counts)
    extra: dict = field(default_factory=dict)
