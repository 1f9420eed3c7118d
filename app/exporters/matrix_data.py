"""Plain data of a tasks × units assignment matrix, shared by the .xlsx and .docx exporters."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.exporters.collation import vn_sort_key

ROLE_CODES = {"lead": "C", "cooperating": "P"}  # chủ trì, phối hợp
ROLE_LEGEND = {"C": "Chủ trì", "P": "Phối hợp"}
# Short status codes (printed under C/P in Word) and cell colours (both formats).
STATUS_CODES = {
    "not_started": "CB", "in_progress": "TH", "submitted": "CX", "done": "HT", "paused": "TD",
    "not_done": "KTH", "overdue": "QH",
}
STATUS_LEGEND = {
    "CB": "Chưa bắt đầu", "TH": "Đang thực hiện", "CX": "Chờ xác nhận", "HT": "Hoàn thành",
    "TD": "Tạm dừng", "KTH": "Không thực hiện", "QH": "Quá hạn",
}
STATUS_COLOURS = {
    "not_started": "FFFFFF", "in_progress": "DDEBF7", "submitted": "FFF2CC", "done": "C6EFCE",
    "paused": "EDEDED", "not_done": "D9D9D9", "overdue": "FFC7CE",
}


@dataclass(frozen=True)
class MatrixTask:
    id: int
    ref: str  # STT as written in the plan
    content: str
    group: str | None = None
    time_text: str | None = None


@dataclass(frozen=True)
class MatrixUnit:
    id: int
    name: str
    short_name: str | None = None
    kind: str | None = None

    @property
    def label(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class MatrixCell:
    role: str  # "C" or "P"
    status: str  # an assignment status key (not_started, done, …)
    status_label: str = ""
    overdue: bool = False

    @property
    def colour_key(self) -> str:
        return "overdue" if self.overdue else self.status

    @property
    def status_code(self) -> str:
        return STATUS_CODES.get(self.colour_key, "")


@dataclass
class MatrixData:
    """Rows are tasks, columns units; `cells[(task_id, unit_id)]` holds the assignment, if any."""

    plan_label: str
    tasks: list[MatrixTask]
    units: list[MatrixUnit]
    cells: dict[tuple[int, int], MatrixCell] = field(default_factory=dict)
    built_on: date | None = None
    organisation: str = "Sở Giáo dục và Đào tạo"  # author/company of the files

    def cell(self, task_id: int, unit_id: int) -> MatrixCell | None:
        return self.cells.get((task_id, unit_id))

    def ordered_units(self) -> list[MatrixUnit]:
        """Units grouped by kind as given (office, departments, schools…), each kind in Vietnamese
        alphabetical order of the names (Đ right after D)."""
        kinds: dict[str | None, int] = {}
        for unit in self.units:
            kinds.setdefault(unit.kind, len(kinds))
        return sorted(self.units, key=lambda u: (kinds[u.kind], vn_sort_key(u.name)))

    def role_totals(self, by: str) -> dict[int, dict[str, int]]:
        """C and P marks of every task (by="task") or unit (by="unit") in one pass over the cells."""
        totals: dict[int, dict[str, int]] = {}
        for (task_id, unit_id), cell in self.cells.items():
            counts = totals.setdefault(task_id if by == "task" else unit_id, {"C": 0, "P": 0})
            counts[cell.role] = counts.get(cell.role, 0) + 1
        return totals

    def counts(self) -> dict[str, int]:
        roles = [c.role for c in self.cells.values()]
        return {"C": roles.count("C"), "P": roles.count("P")}
