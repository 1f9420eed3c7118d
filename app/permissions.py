"""Roles, the permissions they grant, route decorators and object-level checks.

Every permission decision lives here: views use the decorator, services call the can_* checks
again, so the JSON API, the CLI and the screens all enforce the same rules.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, request
from flask_login import AnonymousUserMixin, current_user

from app.models.users import (
    ROLE_ADMIN,
    ROLE_DIRECTOR,
    ROLE_OFFICE,
    ROLE_UNIT_HEAD,
    ROLE_UNIT_STAFF,
)

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


class Guest(AnonymousUserMixin):
    """The anonymous user: no role, no unit, no permissions, so checks never branch on log-in."""

    id = None
    role = None
    unit_id = None
    unit = None
    must_change_password = False

    def has_permission(self, permission: str) -> bool:
        return False


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def permission_required(*permissions: str):
    """Route decorator: log-in page for guests, 403 for users lacking any of the permissions."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if _wants_json():
                    abort(401)
                from app.extensions import login_manager

                return login_manager.unauthorized()
            if not all(current_user.has_permission(p) for p in permissions):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


# Object-level checks. The workflow issue adds update/submit/sign-off on assignments here.


def can_manage_directory(user) -> bool:
    return user.has_permission(MANAGE_DIRECTORY)


def can_view_assignment(user, assignment) -> bool:
    """Own unit's assignments, or everything for the office and directors."""
    if user.has_permission(VIEW_ALL):
        return True
    return user.unit_id is not None and assignment.unit_id == user.unit_id


def can_update_assignment(user, assignment) -> bool:
    return user.has_permission(UPDATE_OWN_UNIT) and assignment.unit_id == user.unit_id
