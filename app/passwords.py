"""Password hashing with one configurable method (cheap under the testing config, scrypt otherwise)."""
from __future__ import annotations

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

DEFAULT_METHOD = "scrypt"


def hash_method() -> str:
    """The PASSWORD_HASH_METHOD setting; scrypt outside an application."""
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD") or DEFAULT_METHOD
    return DEFAULT_METHOD


def hash_password(password: str, method: str | None = None) -> str:
    """Pass `method` when hashing in worker threads, which have no application context."""
    return generate_password_hash(password, method=method or hash_method())


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
