"""`flask demo generate`: a province-sized Sở (1.700 units, 150.000 assignments) for benchmarks.

Rows go in with bulk inserts (`insert(Model)` over lists of dicts, in chunks), never one ORM object
per row, and every value comes from one seeded random generator and today's date, so the same seed
on the same day gives the same rows. Session events do not run for bulk inserts: the derived
columns (search_text, Assignment.last_update_at) are filled here.
"""
from __future__ import annotations

import random
import time as timer
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, insert, select, text

from app.extensions import db
from app.formatting import vn_date
from app.models.assignments import (
    CLOSED_STATUSES,
    EXTENSION_PENDING,
    ROLE_COOPERATING,
    ROLE_LEAD,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NOT_DONE,
    STATUS_NOT_STARTED,
    STATUS_PAUSED,
    STATUS_SUBMITTED,
    Assignment,
    AssignmentUpdate,
    ExtensionRequest,
)
from app.models.oversight import OversightArea
from app.models.plans import PLAN_ACTIVE, TASK_ACTIVE, Plan, Task
from app.models.units import (
    KIND_CENTRE,
    KIND_COMMUNE,
    KIND_DEPARTMENT_OF_EDUCATION,
    KIND_DIVISION,
    KIND_EXTERNAL,
    KIND_OFFICE,
    KIND_SCHOOL,
    Unit,
    UnitAlias,
    UnitGroup,
)
from app.models.users import ROLE_UNIT_HEAD, User
from app.parsing.text import fold
from app.passwords import hash_password
from app.services.demo import demo_data as data
from app.services.demo import province_data as names
from app.services.errors import DomainError
from app.services.maintenance import refresh_planner_statistics
from app.services.work.rules import actuals_verdict

CHUNK = 5000
OVERDUE_SHARE = 0.20
MIN_UNITS = 30
TARGETS = [{"op": ">=", "value": 98.5, "max": None, "unit": "%"}]  # of a task with a target
TABLES = ("units", "unit_groups", "unit_aliases", "users", "oversight_areas", "plans", "tasks",
          "assignments", "assignment_updates", "extension_requests")


@dataclass
class GenerateSummary:
    units: int = 0
    groups: int = 0
    users: int = 0
    plans: int = 0
    tasks: int = 0
    assignments: int = 0
    updates: int = 0
    overdue: int = 0
    extensions: int = 0
    seconds: float = 0.0
    password: str = ""

    def report(self) -> str:
        from app.formatting import vn_number as n

        share = 100 * self.overdue / self.assignments if self.assignments else 0
        return "\n".join(
            [
                f"Đã tạo {n(self.units)} đơn vị, {self.groups} nhóm, {n(self.users)} tài khoản, "
                f"{self.plans} kế hoạch, "
                f"{n(self.tasks)} nhiệm vụ, {n(self.assignments)} lượt giao, {n(self.updates)} cập nhật, "
                f"{n(self.extensions)} đề nghị gia hạn.",
                f"Quá hạn chưa hoàn thành: {n(self.overdue)} lượt giao ({n(round(share, 1))}%).",
                f"Thời gian: {n(round(self.seconds, 1))} giây.",
                f"Tài khoản: vanphong, giamdoc, thpt.tranphu.hieutruong… (mật khẩu chung: {self.password}).",
            ]
        )


class _Ids:
    """Explicit primary keys, so children can point at parents without reading ids back."""

    def __init__(self):
        self.next = {}

    def start(self, model) -> None:
        self.next[model] = (db.session.scalar(select(func.max(model.id))) or 0) + 1

    def take(self, model) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


class _Writer:
    """Buffers rows per model and inserts them CHUNK at a time, parents before children."""

    ORDER = (Unit, UnitGroup, UnitAlias, User, OversightArea, Plan, Task, Assignment, AssignmentUpdate,
             ExtensionRequest)

    def __init__(self):
        self.rows: dict[type, list[dict]] = {model: [] for model in self.ORDER}
        self.counts = dict.fromkeys(self.ORDER, 0)

    def add(self, model, row: dict) -> None:
        self.rows[model].append(row)
        self.counts[model] += 1
        if len(self.rows[AssignmentUpdate]) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        for model in self.ORDER:
            rows = self.rows[model]
            for start in range(0, len(rows), CHUNK):
                db.session.execute(insert(model), rows[start:start + CHUNK])
            rows.clear()


def _at(day: date, minutes: int = 0) -> datetime:
    """10:00 Vietnam time (03:00 UTC) on that day, plus some minutes."""
    return datetime.combine(day, time(3), tzinfo=UTC) + timedelta(minutes=minutes)


class _Province:
    def __init__(
        self, *, units: int, plans: int, assignments: int, seed: int, today: date, password_hash: str
    ):
        self.rng = random.Random(seed)
        self.today, self.n_units, self.n_plans, self.n_assignments = today, units, plans, assignments
        self.password_hash = password_hash
        self.now = _at(today - timedelta(days=1))
        self.ids, self.out = _Ids(), _Writer()
        for model in _Writer.ORDER:
            self.ids.start(model)
        self.units: dict[str, int] = {}
        self.kinds: dict[str, list[int]] = {}
        self.head_of: dict[int, int] = {}
        self.overdue = 0

    # --- directory ---------------------------------------------------------------------------

    def unit(self, kind, code, name, short, parent_id, aliases=()) -> int:
        unit_id = self.ids.take(Unit)
        self.out.add(Unit, {"id": unit_id, "parent_id": parent_id, "kind": kind, "code": code, "name": name,
                            "short_name": short, "email": f"{code.lower()}@demo.tdnv.vn", "is_active": True,
                            "search_text": fold(" ".join(p for p in (name, short, code) if p)),
                            "created_at": self.now})
        for alias in aliases:
            self.alias(alias, unit_id=unit_id)
        self.units[code] = unit_id
        self.kinds.setdefault(kind, []).append(unit_id)
        return unit_id

    def alias(self, alias, *, unit_id=None, group_id=None) -> None:
        self.out.add(UnitAlias, {"id": self.ids.take(UnitAlias), "alias": alias, "folded": fold(alias),
                                 "unit_id": unit_id, "group_id": group_id, "created_by_id": None,
                                 "created_at": self.now})

    def directory(self) -> None:
        root = self.unit(KIND_DEPARTMENT_OF_EDUCATION, *data.ROOT, None)
        for kind, code, name, short, aliases in data.OFFICE_AND_DIVISIONS + names.EXTRA_DIVISIONS:
            self.unit(kind, code, name, short, root, aliases)
        for code, name, short, aliases in data.EXTERNAL_UNITS:
            self.unit(KIND_EXTERNAL, code, name, short, None, aliases)
        rest = self.n_units - len(self.units)
        communes = max(len(data.COMMUNE_NAMES) // 4, rest // 10)
        centres = max(2, (rest - communes) // 15)
        schools = rest - communes - centres
        used: set[str] = set()
        for i in range(1, schools + 1):
            if i <= len(data.SCHOOL_NAMES):
                short = data.SCHOOL_NAMES[i - 1]
            else:
                level = self.rng.choices(names.SCHOOL_LEVELS, names.SCHOOL_LEVEL_WEIGHTS)[0]
                short = self._unique(f"{level} {self.rng.choice(names.PLACES)}", used)
            used.add(short)
            self.unit(
                KIND_SCHOOL, f"THPT-{i:04d}" if i > 999 else f"THPT-{i:03d}", f"Trường {short}", short, root
            )
        for i in range(1, centres + 1):
            name = data.CENTRE_NAMES[i - 1] if i <= len(data.CENTRE_NAMES) else self._unique(
                f"Trung tâm GDNN-GDTX {self.rng.choice(names.PLACES)}", used)
            used.add(name)
            self.unit(KIND_CENTRE, f"TT-{i:03d}", name, None, root)
        for i in range(1, communes + 1):
            name = data.COMMUNE_NAMES[i - 1] if i <= len(data.COMMUNE_NAMES) else self._unique(
                f"{self.rng.choice(names.COMMUNE_PREFIXES)} {self.rng.choice(names.PLACES)}", used)
            used.add(name)
            self.unit(KIND_COMMUNE, f"XA-{i:03d}", name, None, None)
        for name, description, kinds, aliases in data.GROUPS:
            group_id = self.ids.take(UnitGroup)
            self.out.add(UnitGroup, {"id": group_id, "name": name, "description": description,
                                     "member_kinds": kinds, "created_at": self.now})
            for alias in aliases:
                self.alias(alias, group_id=group_id)

    @staticmethod
    def _unique(name: str, used: set[str]) -> str:
        if name not in used:
            return name
        number = 2
        while f"{name} số {number}" in used:
            number += 1
        return f"{name} số {number}"

    def user(self, username, full_name, role, unit_id) -> int:
        user_id = self.ids.take(User)
        email = f"{username}@demo.tdnv.vn"
        self.out.add(User, {
            "id": user_id, "username": username, "full_name": full_name, "email": email, "phone": None,
            "password_hash": self.password_hash, "role": role, "unit_id": unit_id, "is_active_account": True,
            "must_change_password": False, "password_changed_at": self.now, "last_login_at": None,
            "search_text": fold(f"{username} {full_name} {email}"), "calendar_token": None,
            "created_at": self.now})
        if role == ROLE_UNIT_HEAD:
            self.head_of.setdefault(unit_id, user_id)
        return user_id

    def users(self) -> int:
        by_name = {}
        for username, full_name, role, code in data.USERS:
            by_name[username] = self.user(username, full_name, role, self.units[code])
        for username, area in data.DIRECTOR_AREAS.items():
            for code in area["units"]:
                self.out.add(
                    OversightArea,
                    {
                        "id": self.ids.take(OversightArea),
                        "user_id": by_name[username],
                        "unit_id": self.units[code],
                        "group_name": None,
                        "created_at": self.now,
                    },
                )
            for group in area["groups"]:
                self.out.add(OversightArea, {"id": self.ids.take(OversightArea), "user_id": by_name[username],
                                             "unit_id": None, "group_name": group, "created_at": self.now})
        for code, unit_id in self.units.items():
            if unit_id in self.head_of or code in ("SGDDT",) or unit_id in self.kinds[KIND_EXTERNAL]:
                continue
            full_name = " ".join((self.rng.choice(names.FAMILY_NAMES), self.rng.choice(names.MIDDLE_NAMES),
                                  self.rng.choice(names.GIVEN_NAMES)))
            self.user(f"{code.lower().replace('-', '')}.thutruong", full_name, ROLE_UNIT_HEAD, unit_id)
        return by_name["vanphong"]

    # --- plans, tasks, assignments -----------------------------------------------------------

    def task_shapes(self):
        """(lead unit ids, cooperating unit ids, lead text, cooperating text), mostly for CSGD."""
        csgd = self.kinds[KIND_SCHOOL] + self.kinds.get(KIND_CENTRE, [])
        divisions, office = self.kinds[KIND_DIVISION], self.kinds[KIND_OFFICE]
        communes = self.kinds[KIND_COMMUNE]
        while True:
            lead = self.rng.choice(divisions + office)
            others = [d for d in divisions if d != lead]
            shape = self.rng.choices(["csgd", "phong", "xa", "csgd_lead", "small"], [10, 3, 2, 1, 3])[0]
            if shape == "csgd":
                yield [lead], csgd, "Phòng chuyên môn", "CSGD"
            elif shape == "phong":
                yield [lead], others, "Phòng chuyên môn", "Các phòng"
            elif shape == "xa":
                yield [lead], communes + self.rng.sample(others, 2), "Phòng chuyên môn", "UBND xã, các phòng"
            elif shape == "csgd_lead":
                yield csgd, [lead], "CSGD", "Phòng chuyên môn"
            else:
                yield [lead], self.rng.sample(others, 2), "Phòng chuyên môn", "Các phòng liên quan"

    def plans_and_tasks(self, office_user: int) -> list[dict]:
        """The tasks with their unit lists; assignments are written once the overdue share is known."""
        plans: list[dict] = []
        tasks: list[dict] = []
        remaining, shapes = self.n_assignments, self.task_shapes()
        for p in range(self.n_plans):
            issued = self.today - timedelta(days=300 - 45 * p)
            year = issued.year if issued.month >= 8 else issued.year - 1
            plan_id = self.ids.take(Plan)
            plans.append({"id": plan_id, "issued": issued, "positions": 0})
            self.out.add(Plan, {
                "id": plan_id, "number": f"{1300 + 7 * p}/KH-SGDĐT", "issued_on": issued,
                "title": f"{names.PLAN_TITLES[p % len(names.PLAN_TITLES)]} năm học {year}-{year + 1}",
                "school_year": f"{year}-{year + 1}", "issuer": data.ROOT[1], "source_filename": None,
                "source_sha256": None, "status": PLAN_ACTIVE, "calendar": None, "import_warnings": [],
                "created_by_id": office_user, "archived_at": None, "created_at": _at(issued)})
        while remaining > 0:
            leads, cooperating, lead_text, coop_text = next(shapes)
            units = [(u, ROLE_LEAD) for u in leads] + [(u, ROLE_COOPERATING) for u in cooperating]
            if len(units) > remaining:  # the last task: pilot institutions picked by the office
                units, coop_text = units[:remaining], "Cơ sở thí điểm"
            plan = plans[len(tasks) % len(plans)]
            plan["positions"] += 1
            ongoing = self.rng.random() < 0.06
            start = plan["issued"] + timedelta(days=self.rng.randint(0, 30))
            due = None if ongoing else plan["issued"] + timedelta(days=self.rng.randint(30, 400))
            with_target = self.rng.random() < 0.25
            content = (f"{self.rng.choice(names.TASK_VERBS)} {self.rng.choice(names.TASK_OBJECTS)} "
                       f"({len(tasks) + 1})")
            group = self.rng.choice(names.TASK_GROUPS)
            product = "Tỷ lệ đơn vị thực hiện ≥98,5%" if with_target else "Báo cáo kết quả thực hiện"
            task_id = self.ids.take(Task)
            self.out.add(
                Task,
                {
                    "id": task_id,
                    "plan_id": plan["id"],
                    "position": plan["positions"],
                    "ref": str(plan["positions"]),
                    "group_name": group,
                    "content": content,
                    "product": product,
                    "time_text": "Thường xuyên" if ongoing else f"Trước ngày {vn_date(due)}",
                    "start_date": start,
                    "due_date": due,
                    "recurrence": "ongoing" if ongoing else None,
                    "targets": TARGETS if with_target else [],
                    "lead_text": lead_text,
                    "cooperating_text": coop_text,
                    "unresolved_units": [],
                    "extra": {},
                    "warnings": [],
                    "status": TASK_ACTIVE,
                    "search_text": fold(" ".join((str(plan["positions"]), group, content, product))),
                    "created_at": _at(plan["issued"]),
                },
            )
            tasks.append({"id": task_id, "start": start, "due": due, "units": units, "target": with_target,
                          "issued": plan["issued"]})
            remaining -= len(units)
        return tasks

    def assignments(self, tasks: list[dict]) -> None:
        past = sum(len(t["units"]) for t in tasks if t["due"] is not None and t["due"] < self.today)
        open_if_past = min(0.95, OVERDUE_SHARE * self.n_assignments / past) if past else 0.0
        index = 0
        for task in tasks:
            for unit_id, role in task["units"]:
                self.assignment(task, unit_id, role, index, open_if_past)
                index += 1

    def _status(self, due: date | None, open_if_past: float) -> tuple[str, date | None]:
        """A status and, when done, the completion day."""
        rng = self.rng
        if due is None:
            return STATUS_IN_PROGRESS, None
        if due < self.today:
            if rng.random() < open_if_past:
                return rng.choices([STATUS_NOT_STARTED, STATUS_IN_PROGRESS, STATUS_SUBMITTED, STATUS_PAUSED],
                                   [40, 45, 10, 5])[0], None
            if rng.random() < 0.05:
                return STATUS_NOT_DONE, None
            if rng.random() < 0.25:  # late
                return STATUS_DONE, min(
                    due + timedelta(days=rng.randint(1, 60)), self.today - timedelta(days=1)
                )
            return STATUS_DONE, due - timedelta(days=rng.randint(0, 20))
        status = rng.choices([STATUS_NOT_STARTED, STATUS_IN_PROGRESS, STATUS_SUBMITTED, STATUS_DONE],
                             [35, 45, 5, 15])[0]
        return status, (self.today - timedelta(days=rng.randint(1, 20)) if status == STATUS_DONE else None)

    def assignment(self, task: dict, unit_id: int, role: str, index: int, open_if_past: float) -> None:
        rng = self.rng
        due = original = task["due"]
        if due is not None and rng.random() < 0.04:  # an approved extension moved the deadline
            due = original + timedelta(days=15)
        status, done_on = self._status(due, open_if_past)
        if done_on is not None:
            done_on = max(done_on, task["start"])
        progress = {STATUS_NOT_STARTED: 0, STATUS_DONE: 100, STATUS_SUBMITTED: 100, STATUS_NOT_DONE: 0}.get(
            status, rng.randint(10, 90))
        assignment_id = self.ids.take(Assignment)
        updates = self.updates(assignment_id, unit_id, task, status, progress, done_on,
                               10 if index % 100 == 0 else 2)
        last = updates[-1]["created_at"]
        actuals = [round(rng.uniform(90, 100), 1)] if task["target"] and status == STATUS_DONE else []
        self.out.add(
            Assignment,
            {
                "id": assignment_id,
                "task_id": task["id"],
                "unit_id": unit_id,
                "role": role,
                "status": status,
                "status_reason": "Không còn phù hợp với điều kiện của đơn vị"
                if status == STATUS_NOT_DONE
                else None,
                "progress": progress,
                "due_date": due,
                "original_due_date": original,
                "completed_at": _at(done_on, 60) if done_on else None,
                "target_actuals": actuals,
                "targets_verdict": actuals_verdict(TARGETS if task["target"] else [], actuals),
                "focal_user_id": None,
                "created_at": _at(task["issued"]),
                "updated_at": last,
                "version": 1,
                "last_update_at": last,
            },
        )
        for row in updates:  # after their assignment: a chunk may be written between two rows
            self.out.add(AssignmentUpdate, row)
        if status not in CLOSED_STATUSES and due is not None and due < self.today:
            self.overdue += 1
            if rng.random() < 0.02:
                self.out.add(
                    ExtensionRequest,
                    {
                        "id": self.ids.take(ExtensionRequest),
                        "assignment_id": assignment_id,
                        "requested_by_id": self.head_of.get(unit_id),
                        "current_due_date": due,
                        "requested_due_date": self.today + timedelta(days=30),
                        "reason": "Đề nghị gia hạn để hoàn thiện",
                        "status": EXTENSION_PENDING,
                        "decided_by_id": None,
                        "decided_at": None,
                        "decision_note": None,
                        "created_at": self.now,
                    },
                )

    def updates(self, assignment_id, unit_id, task, status, progress, done_on, count) -> list[dict]:
        """The journal: `count` entries spread from the task's start to completion (or yesterday)."""
        first = task["start"]
        last = done_on or self.today - timedelta(days=1)
        span = max((last - first).days, 1)
        moment, rows = _at(first), []
        for k in range(count):
            final = k == count - 1
            day = first + timedelta(days=span * (k + 1) // count)
            moment = max(moment + timedelta(minutes=1), _at(day, self.rng.randint(0, 300)))
            rows.append({
                "id": self.ids.take(AssignmentUpdate), "assignment_id": assignment_id,
                "author_id": self.head_of.get(unit_id), "kind": "update",
                "status": status if final else STATUS_IN_PROGRESS,
                "progress": progress if final else max(5, progress * (k + 1) // count),
                "note": self.rng.choice(names.UPDATE_NOTES), "target_actuals": None, "created_at": moment})
        return rows


def _reset_sequences() -> None:
    """PostgreSQL serials do not move for explicit ids: point each one past the table's last id."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"))


def generate(*, units: int, plans: int, assignments: int, seed: int, today: date,
             password: str) -> GenerateSummary:
    """Build the province in the current transaction (the caller commits); refuse a non-empty directory."""
    if units < MIN_UNITS or plans < 1 or assignments < 1:
        raise DomainError(f"Cần ít nhất {MIN_UNITS} đơn vị, 1 kế hoạch và 1 lượt giao.")
    if db.session.scalar(select(func.count(Unit.id))):
        raise DomainError("Cơ sở dữ liệu đã có đơn vị: bỏ qua tạo dữ liệu demo.")
    started = timer.perf_counter()
    province = _Province(units=units, plans=plans, assignments=assignments, seed=seed, today=today,
                         password_hash=hash_password(password))  # hashed once for every account
    province.directory()
    office_user = province.users()
    province.out.flush()
    tasks = province.plans_and_tasks(office_user)
    province.assignments(tasks)
    province.out.flush()
    _reset_sequences()
    # planner statistics now (SQLite has none at all, PostgreSQL only when autovacuum gets to it):
    # without them the first list queries on the fresh tables pick plans that scan whole tables
    refresh_planner_statistics(TABLES)
    counts = province.out.counts
    return GenerateSummary(
        units=counts[Unit],
        groups=counts[UnitGroup],
        users=counts[User],
        plans=counts[Plan],
        tasks=counts[Task],
        assignments=counts[Assignment],
        updates=counts[AssignmentUpdate],
        overdue=province.overdue,
        extensions=counts[ExtensionRequest],
        seconds=timer.perf_counter() - started,
        password=password,
    )
