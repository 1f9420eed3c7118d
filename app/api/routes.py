"""API endpoints: /api/v1/tokens, plans, tasks, assignments (+ updates and evidence)."""
from flask import current_app, g, jsonify, make_response, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import MethodNotAllowed

from app.api import bp
from app.api.auth import BASIC_CHALLENGE, ApiError, error_response, require_token_user, throttled
from app.api.serializers import assignment_dict, plan_dict, task_dict
from app.extensions import db
from app.models.assignments import Assignment, AssignmentUpdate
from app.models.plans import Plan, Task
from app.parsing.text import fold
from app.permissions import can_view_assignment, can_view_task, visible_plans_clause, visible_tasks_clause
from app.services.accounts import auth as auth_service
from app.services.accounts import tokens
from app.services.clock import today_local
from app.services.errors import DomainError
from app.services.work import assignments as assignment_service

MAX_PER_PAGE = 100


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error_response(error.status, error.message, error.code, error.headers)


@bp.app_errorhandler(MethodNotAllowed)
def method_not_allowed(error: MethodNotAllowed):
    """405 keeps its Allow header (RFC 9110), as JSON under /api/ and as the usual page elsewhere.
    Registered on the app: a routing error has no blueprint, so a blueprint handler never sees it."""
    if request.path.startswith("/api/"):
        response = error_response(405, "Phương thức này không được hỗ trợ cho địa chỉ này.")
    else:
        from app.errors import _render

        response = make_response(_render(405))
    response.headers["Allow"] = ", ".join(sorted(error.valid_methods or []))
    return response


@bp.before_request
def authenticate():
    if request.endpoint == "api.create_token":
        return None
    require_token_user()
    return None


def _today():
    return today_local(current_app.config["TIMEZONE"])


def _page_args() -> tuple[int, int]:
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", 50))
    except ValueError:
        raise ApiError(400, "page và per_page phải là số nguyên.") from None
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ApiError(400, f"page ≥ 1 và 1 ≤ per_page ≤ {MAX_PER_PAGE}.")
    return page, per_page


def _paginated(stmt, serialize):
    page, per_page = _page_args()
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    return jsonify(items=[serialize(item) for item in pagination.items], page=page, per_page=per_page,
                   total=pagination.total, pages=pagination.pages)


def _int_arg(name: str) -> int | None:
    value = request.args.get(name)
    if value in (None, ""):
        return None
    if not value.isdigit():
        raise ApiError(400, f"Tham số {name} phải là số nguyên.")
    return int(value)


@bp.post("/tokens")
def create_token():
    """Exchange HTTP Basic credentials for a personal access token (shown once)."""
    credentials = request.authorization
    if credentials is None or credentials.type != "basic":
        raise ApiError(401, "Cần thông tin đăng nhập HTTP Basic để tạo khoá truy cập.",
                       headers=BASIC_CHALLENGE)
    body = request.get_json(silent=True) if request.content_length else {}
    name = body.get("name") if isinstance(body, dict) else 0
    if not isinstance(name, str | None):  # not a JSON object, or a name that is not text
        raise ApiError(400, 'Nội dung yêu cầu phải là một đối tượng JSON, "name" là chuỗi.')
    cfg = current_app.config
    try:
        user = auth_service.authenticate(
            credentials.username or "", credentials.password or "", ip_address=request.remote_addr,
            max_failures=cfg["LOGIN_MAX_FAILURES"], ip_max_failures=cfg["LOGIN_IP_MAX_FAILURES"],
            window_minutes=cfg["LOGIN_WINDOW_MINUTES"], max_delay_seconds=cfg["LOGIN_MAX_DELAY_SECONDS"],
        )
    except auth_service.LoginThrottled as error:
        raise throttled(error) from None
    except DomainError as error:
        raise ApiError(401, str(error), headers=BASIC_CHALLENGE) from None
    try:
        token, secret = tokens.create_token(user, name or "API")
    except DomainError as error:
        raise ApiError(422, str(error)) from None
    db.session.commit()
    return jsonify(id=token.id, name=token.name, token=secret, prefix=token.prefix), 201


@bp.get("/plans")
def list_plans():
    stmt = (
        select(Plan).where(visible_plans_clause(g.api_user)).order_by(Plan.created_at.desc(), Plan.id.desc())
    )
    if request.args.get("status"):
        stmt = stmt.where(Plan.status == request.args["status"])
    if request.args.get("school_year"):
        stmt = stmt.where(Plan.school_year == request.args["school_year"])
    return _paginated(stmt, plan_dict)


@bp.get("/tasks")
def list_tasks():
    stmt = select(Task).where(visible_tasks_clause(g.api_user)).order_by(Task.plan_id, Task.position)
    if (plan_id := _int_arg("plan")) is not None:
        stmt = stmt.where(Task.plan_id == plan_id)
    if request.args.get("group"):
        stmt = stmt.where(Task.group_name == request.args["group"])
    if request.args.get("q"):
        stmt = stmt.where(Task.search_text.contains(fold(request.args["q"])))
    return _paginated(stmt, task_dict)


@bp.get("/tasks/<int:task_id>")
def get_task(task_id: int):
    task = db.session.scalar(
        select(Task).where(Task.id == task_id)
        .options(selectinload(Task.assignments).joinedload(Assignment.unit))
    )
    if task is None:
        raise ApiError(404, "Không tìm thấy nhiệm vụ.")
    if not can_view_task(g.api_user, task):
        raise ApiError(403, "Đơn vị của bạn không tham gia nhiệm vụ này.")
    return jsonify(task_dict(task, with_assignments=True, today=_today()))


@bp.get("/assignments")
def list_assignments():
    """The screens' fast page (unit users always limited to their own unit), with the API's filters: a
    few statements whatever the data, and a count capped at 10.000 (`total_capped`)."""
    today = _today()
    filters = assignment_service.AssignmentFilters(
        unit_id=_int_arg("unit"), plan_id=_int_arg("plan"), status=request.args.get("status") or None,
        overdue=request.args.get("overdue") in ("1", "true"),
    )
    page, per_page = _page_args()
    result = assignment_service.assignments_at_page(g.api_user, filters, today=today, page=page,
                                                    per_page=per_page)
    return jsonify(items=[assignment_dict(a, today=today) for a in result.items], page=page,
                   per_page=per_page, total=result.total, pages=result.pages, total_capped=result.capped)


def load_assignment(assignment_id: int) -> Assignment:
    """The assignment if the token's user may see it: 404 when missing, 403 for another unit's."""
    assignment = db.session.scalar(
        select(Assignment).where(Assignment.id == assignment_id)
        .options(selectinload(Assignment.updates).joinedload(AssignmentUpdate.author))
    )
    if assignment is None:
        raise ApiError(404, "Không tìm thấy việc được giao.")
    if not can_view_assignment(g.api_user, assignment):
        raise ApiError(403, "Việc này thuộc đơn vị khác.")
    return assignment


@bp.get("/assignments/<int:assignment_id>")
def get_assignment(assignment_id: int):
    return jsonify(assignment_dict(load_assignment(assignment_id), today=_today(), detail=True))
