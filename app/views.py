"""What every blueprint's views share: running one service call and turning its outcome into a
commit and a flash (or a 403/404), showing a form's errors, and today's date in Vietnam."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import abort, current_app, flash, request

from app.extensions import db
from app.page_size import page_size
from app.services.clock import today_local
from app.services.errors import DomainError, NotFound, PermissionDenied


def _attempt(action: Callable[[], object]) -> tuple[object, str | None]:
    """Call one service and commit: (result, None), or (None, the message) of a domain error rolled
    back; a refused permission is a 403, a missing object a 404."""
    try:
        result = action()
        db.session.commit()
    except PermissionDenied:
        db.session.rollback()
        abort(403)
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as error:
        db.session.rollback()
        return None, str(error)
    return result, None


def run(action: Callable[[], object], success: str | Callable[[object], str] | None = None) -> bool:
    """Call one service, commit, flash `success` (or success(result)); a refused permission is a 403,
    a missing object a 404, any other domain error is rolled back and flashed."""
    result, error = _attempt(action)
    if error is not None:
        flash(error, "danger")
        return False
    if success:
        flash(success(result) if callable(success) else success, "success")
    return True


def flash_form_errors(form) -> None:
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}: {error}" if field.label.text else error, "danger")


def per_page() -> int:
    """The list's page size: ?per_page=25|50|100 (or the print size), else the configured default."""
    return page_size(request.args, current_app.config["ITEMS_PER_PAGE"])


def local_today() -> date:
    """Today in the configured time zone (Vietnam), the date every view judges deadlines by."""
    return today_local(current_app.config["TIMEZONE"])


def run_in_form(action: Callable[[], object], form) -> bool:
    """Like run(), but a domain error goes to the form's errors, so the page is shown again with what
    was typed rather than redirected with a flash and an empty form."""
    _result, error = _attempt(action)
    if error is not None:
        form.form_errors.append(error)
        return False
    return True
