"""Bearer-token authentication and JSON errors with stable codes for the API."""
from flask import g, jsonify, request

from app.services.accounts import tokens

ERROR_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "validation_error", 429: "too_many_requests",
    500: "internal_error", 503: "service_unavailable",
}


class ApiError(Exception):
    """An API refusal: HTTP status, a stable machine code, a Vietnamese message and extra headers."""

    def __init__(self, status: int, message: str, code: str | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code or ERROR_CODES[status]
        self.message = message
        self.headers = headers or {}


def throttled(error) -> ApiError:
    """429 for a throttled log-in, with the wait as Retry-After."""
    return ApiError(429, str(error), headers={"Retry-After": str(error.retry_after)})


def error_response(status: int, message: str, code: str | None = None, headers: dict | None = None):
    """The one error body of the API (docs/openapi.yaml, components/schemas/Error)."""
    response = jsonify(error={"code": code or ERROR_CODES.get(status, ERROR_CODES[500]), "message": message})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="tdnv"'
    response.headers.update(headers or {})
    return response


BASIC_CHALLENGE = {"WWW-Authenticate": 'Basic realm="tdnv"'}


def bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def require_token_user():
    """Resolve the token's user into g.api_user; cookies never authenticate API calls."""
    user = tokens.user_for_token(bearer_secret() or "")
    if user is None:
        raise ApiError(401, "Thiếu hoặc sai khoá truy cập (Authorization: Bearer …).")
    if user.must_change_password:
        raise ApiError(403, tokens.PASSWORD_CHANGE_REQUIRED, code="password_change_required")
    g.api_user = user
    return user


def refuse_token_before_password_change():
    """POST /tokens for an account that must change its password: 403, not a new token.

    Only such accounts are checked here, through the same throttled authenticate() as the endpoint
    (so the 403 never answers a wrong password); the rest go on to the endpoint untouched."""
    from flask import current_app
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models.users import User
    from app.services.accounts import auth as auth_service
    from app.services.errors import DomainError

    credentials = request.authorization
    if request.endpoint != "api.create_token" or credentials is None or credentials.type != "basic":
        return None
    name = (credentials.username or "").strip().lower()[:auth_service.USERNAME_MAX]
    forced = db.session.scalar(select(User.must_change_password).where(func.lower(User.username) == name))
    if not forced:
        return None
    cfg = current_app.config
    try:
        auth_service.authenticate(
            credentials.username or "", credentials.password or "", ip_address=request.remote_addr,
            max_failures=cfg["LOGIN_MAX_FAILURES"], ip_max_failures=cfg["LOGIN_IP_MAX_FAILURES"],
            window_minutes=cfg["LOGIN_WINDOW_MINUTES"], max_delay_seconds=cfg["LOGIN_MAX_DELAY_SECONDS"],
        )
    except auth_service.LoginThrottled as error:
        raise throttled(error) from None
    except DomainError as error:
        raise ApiError(401, str(error), headers=BASIC_CHALLENGE) from None
    raise ApiError(403, tokens.PASSWORD_CHANGE_REQUIRED, code="password_change_required")
