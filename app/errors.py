"""Vietnamese error pages (and JSON errors for the API)."""
from flask import render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: ("Yêu cầu không hợp lệ", "Dữ liệu gửi lên không hợp lệ."),
    401: ("Chưa đăng nhập", "Vui lòng đăng nhập để tiếp tục."),
    403: ("Không có quyền truy cập", "Tài khoản của bạn không có quyền xem hoặc thực hiện thao tác này."),
    404: ("Không tìm thấy trang", "Trang bạn tìm không tồn tại hoặc đã bị xoá."),
    405: ("Thao tác không được hỗ trợ", "Phương thức này không được hỗ trợ cho địa chỉ này."),
    409: ("Xung đột dữ liệu", "Dữ liệu đã được người khác thay đổi. Vui lòng tải lại trang."),
    413: ("Tệp quá lớn", "Tệp tải lên vượt quá dung lượng cho phép."),
    429: ("Quá nhiều yêu cầu", "Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau."),
    500: ("Lỗi hệ thống", "Đã có lỗi xảy ra. Vui lòng thử lại sau hoặc liên hệ quản trị."),
    503: ("Tạm thời gián đoạn", "Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Dữ liệu của bạn "
                                "chưa được lưu: vui lòng thử lại sau ít phút."),
}
RETRY_AFTER_SECONDS = 30


def _render(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        from app.api.auth import error_response

        return error_response(code, detail or message)
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def init_app(app):
    @app.teardown_appcontext
    def release_session(exc):
        """End the request's session; a connection the database dropped is discarded, not raised
        after the answer was chosen (registered after Flask-SQLAlchemy's, so it runs first)."""
        from app.extensions import db

        session = db.session()
        try:
            session.close()
        except DBAPIError:
            session.invalidate()
        db.session.remove()

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(400, "Phiên làm việc của biểu mẫu đã hết hạn hoặc không hợp lệ. "
                            "Vui lòng tải lại trang và thử lại.")

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH") or 0
            return _render(413, f"Tệp tải lên vượt quá dung lượng cho phép ({limit // (1024 * 1024)} MB).")
        return _render(error.code or 500)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(error):
        """The database is down, unreachable, or held up (a lock a lost connection keeps, no free
        connection in the pool): nothing was written (the transaction is rolled back) and the client
        is told to retry, never a 500 or a hang."""
        app.logger.warning("Database unavailable: %s", str(error).splitlines()[0] if str(error) else error)
        from app.extensions import db

        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the connection is gone; the pool discards it
            db.session.invalidate()
        response = _render(503)
        if isinstance(response, tuple):
            response = app.make_response(response)
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error):
        app.logger.exception("Unhandled error")
        from app.extensions import db

        db.session.rollback()
        return _render(500)
