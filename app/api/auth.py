"""Bearer-token authentication and JSON errors with stable codes for the API."""
from flask import g, jsonify, request

from app.services.accounts import tokens

ERROR_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "validation_error", 429: "too_many_requests",
    500: "internal_error",
}


class ApiError(Exception):
    """An API refusal: HTTP status, a stable machine code and a Vietnamese message."""

    def __init__(self, status: int, message: str, code: str | None = None, **details):
        super().__init__(message)
        self.status = status
        self.code = code or ERROR_CODES.get(status, "error")
        self.message = message
        self.details = details


def error_response(status: int, message: str, code: str | None = None, **details):
    body = {"code": code or ERROR_CODES.get(status, "error"), "message": message}
    if details:
        body["details"] = details
    response = jsonify(error=body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="tdnv"'
    return response


def bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def require_token_user():
    """Resolve the token's user into g.api_user; cookies never authenticate API calls."""
    user = tokens.user_for_token(bearer_secret() or "")
    if user is None:
        raise ApiError(401, "Thiếu hoặc sai khoá truy cập (Authorization: Bearer …).")
    g.api_user = user
    return user
