"""Roles, the permissions each grants, and their labels: pure data, imported by the models and by
app.permissions (which adds the checks), so neither imports the other."""
from __future__ import annotations

ROLE_ADMIN = "admin"
ROLE_OFFICE = "office"
ROLE_DIRECTOR = "director"
ROLE_UNIT_HEAD = "unit_head"
ROLE_UNIT_STAFF = "unit_staff"

ROLES = {
    ROLE_ADMIN: "Quản trị hệ thống",
    ROLE_OFFICE: "Văn phòng Sở",
    ROLE_DIRECTOR: "Lãnh đạo Sở",
    ROLE_UNIT_HEAD: "Thủ trưởng đơn vị",
    ROLE_UNIT_STAFF: "Chuyên viên / cán bộ đầu mối",
}

MANAGE_DIRECTORY = "manage_directory"  # units, groups, users
IMPORT_PLANS = "import_plans"
MANAGE_PLANS = "manage_plans"  # edit tasks, assign units, archive
VIEW_ALL = "view_all"  # every unit's assignments and evidence
VIEW_DASHBOARD = "view_dashboard"
DECIDE_EXTENSIONS = "decide_extensions"
SIGN_OFF_ANY = "sign_off_any"
UPDATE_OWN_UNIT = "update_own_unit"
SUBMIT_OWN_UNIT = "submit_own_unit"
VIEW_AUDIT = "view_audit"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    ROLE_ADMIN: frozenset({MANAGE_DIRECTORY, VIEW_AUDIT}),
    ROLE_OFFICE: frozenset(
        {IMPORT_PLANS, MANAGE_PLANS, VIEW_ALL, VIEW_DASHBOARD, DECIDE_EXTENSIONS, SIGN_OFF_ANY}
    ),
    ROLE_DIRECTOR: frozenset({VIEW_ALL, VIEW_DASHBOARD, DECIDE_EXTENSIONS, SIGN_OFF_ANY}),
    ROLE_UNIT_HEAD: frozenset({UPDATE_OWN_UNIT, SUBMIT_OWN_UNIT}),
    ROLE_UNIT_STAFF: frozenset({UPDATE_OWN_UNIT}),
}


def role_has_permission(role: str | None, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role or "", frozenset())
