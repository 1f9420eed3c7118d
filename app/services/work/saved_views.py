"""Saved views: a user keeps the filters of a list under a name and opens them from a menu.

A view is only the list's endpoint and its query string (no page number): the list itself still
applies the user's permissions, so a view never shows more than its owner may see.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from sqlalchemy import func, select

from app.extensions import db
from app.models.saved_views import SavedView
from app.services.errors import DomainError, NotFound

# The lists a view may point at, with the label shown in the menu.
LIST_ENDPOINTS = {
    "workflow.work": "Việc của đơn vị",
    "dashboard.items": "Danh sách theo số liệu",
    "dashboard.overdue": "Danh sách quá hạn",
    "dashboard.decided_extensions": "Đề nghị gia hạn đã quyết định",
}
MAX_VIEWS_PER_USER = 50
MAX_NAME = 80
MAX_QUERY = 1000
# Paging is not a filter: a saved view opens on its first page at the default size.
_NOT_KEPT = {"page", "cpage", "upage", "per_page", "csrf_token"}


def clean_query(query: str) -> str:
    """The query string without paging, empty values or the CSRF token, in a stable order."""
    pairs = [(key, value) for key, value in parse_qsl(query or "", keep_blank_values=False)
             if key not in _NOT_KEPT and value.strip()]
    return urlencode(pairs)


def views_for(user, endpoint: str | None = None) -> list[SavedView]:
    """The user's own views (of one list, when given), by name."""
    stmt = select(SavedView).where(SavedView.user_id == user.id)
    if endpoint:
        stmt = stmt.where(SavedView.endpoint == endpoint)
    return list(db.session.scalars(stmt.order_by(SavedView.name, SavedView.id)))


def save_view(user, *, name: str, endpoint: str, query: str) -> SavedView:
    """Save (or, under an existing name, replace) the user's view of a list."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Hãy đặt tên cho bộ lọc.")
    if len(name) > MAX_NAME:
        raise DomainError(f"Tên bộ lọc dài tối đa {MAX_NAME} ký tự.")
    if endpoint not in LIST_ENDPOINTS:
        raise DomainError("Không lưu được bộ lọc của trang này.")
    query = clean_query(query)
    if len(query) > MAX_QUERY:
        raise DomainError("Bộ lọc quá dài để lưu.")
    view = db.session.scalar(select(SavedView).where(SavedView.user_id == user.id, SavedView.name == name))
    if view is None:
        count = db.session.scalar(select(func.count()).select_from(SavedView)
                                  .where(SavedView.user_id == user.id))
        if (count or 0) >= MAX_VIEWS_PER_USER:
            raise DomainError(f"Mỗi người lưu tối đa {MAX_VIEWS_PER_USER} bộ lọc: hãy xoá bớt.")
        view = SavedView(user_id=user.id, name=name)
        db.session.add(view)
    view.endpoint, view.query = endpoint, query
    db.session.flush()
    return view


def delete_view(user, view_id: int) -> str:
    """Delete one of the user's views; another user's view is "not found", never a hint it exists."""
    view = db.session.get(SavedView, view_id)
    if view is None or view.user_id != user.id:
        raise NotFound("Không tìm thấy bộ lọc.")
    name = view.name
    db.session.delete(view)
    db.session.flush()
    return name
