"""Configuration classes that read the environment (Dev, Test, Production)."""
import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEFAULT_SECRET_KEY = "dev-only-secret-key-change-me"


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def default_sqlite_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'tdnv.sqlite3'}"


class Config:
    """Settings shared by every environment; each value may come from the environment."""

    APP_NAME = "TDNV"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    # old keys, comma-separated, still accepted for session cookies while a new key rolls out
    SECRET_KEY_FALLBACKS = [k for k in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if k.strip()]
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", default_sqlite_url())
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # PostgreSQL connection guards (app/db_options.py): a request never hangs on a lost connection
    DB_CONNECT_TIMEOUT_SECONDS = _env_int("DB_CONNECT_TIMEOUT_SECONDS", 5)
    DB_POOL_TIMEOUT_SECONDS = _env_int("DB_POOL_TIMEOUT_SECONDS", 10)
    DB_LOCK_TIMEOUT_SECONDS = _env_int("DB_LOCK_TIMEOUT_SECONDS", 10)
    DB_STATEMENT_TIMEOUT_SECONDS = _env_int("DB_STATEMENT_TIMEOUT_SECONDS", 0)  # 0: the server's
    DB_IDLE_IN_TRANSACTION_SECONDS = _env_int("DB_IDLE_IN_TRANSACTION_SECONDS", 60)
    DB_KEEPALIVE_IDLE_SECONDS = _env_int("DB_KEEPALIVE_IDLE_SECONDS", 30)
    TIMEZONE = os.environ.get("TIMEZONE", "Asia/Ho_Chi_Minh")
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    # Whole-request ceiling; each upload kind also has its own, smaller limit.
    MAX_CONTENT_LENGTH = _env_int("MAX_UPLOAD_MB", 25) * 1024 * 1024
    EVIDENCE_MAX_BYTES = _env_int("EVIDENCE_MAX_MB", 20) * 1024 * 1024
    IMPORT_MAX_BYTES = _env_int("IMPORT_MAX_MB", 20) * 1024 * 1024

    # A session ends after SESSION_MINUTES without a request, and SESSION_MAX_HOURS after log-in.
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=_env_int("SESSION_MINUTES", 480))
    SESSION_MAX_HOURS = _env_int("SESSION_MAX_HOURS", 12)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=0)
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    # werkzeug method for password hashes; tests use a cheap one (hashing dominated the suite)
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")
    LOGIN_MAX_FAILURES = _env_int("LOGIN_MAX_FAILURES", 5)
    LOGIN_IP_MAX_FAILURES = _env_int("LOGIN_IP_MAX_FAILURES", 30)
    LOGIN_WINDOW_MINUTES = _env_int("LOGIN_WINDOW_MINUTES", 15)
    # after LOGIN_MAX_FAILURES for one (name, address), wait 2, 4, 8… seconds, at most this long
    LOGIN_MAX_DELAY_SECONDS = _env_int("LOGIN_MAX_DELAY_SECONDS", 15 * 60)
    # the nightly clean-up deletes log-in attempts older than this (never inside LOGIN_WINDOW_MINUTES)
    LOGIN_ATTEMPTS_KEEP_DAYS = _env_int("LOGIN_ATTEMPTS_KEEP_DAYS", 30)
    # reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed (0: none)
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)
    HSTS_SECONDS = 0
    PASSWORD_RESET_MAX_AGE = _env_int("PASSWORD_RESET_MINUTES", 60) * 60

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "TDNV <tdnv@localhost>")
    MAIL_TIMEOUT = _env_int("MAIL_TIMEOUT", 10)
    # Absolute address used in e-mailed links (no request exists in the scheduler).
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")

    # Scheduler (`flask scheduler run`, docs/scheduler.md): reminders, follow-up, check-ins, mail
    SCHEDULER_REMINDER_OFFSETS = os.environ.get("SCHEDULER_REMINDER_OFFSETS", "7,3,1,0")  # days before
    # dd/mm/yyyy list; empty = the built-in Vietnamese holidays 2025-2027 (app/services/holidays.py)
    PUBLIC_HOLIDAYS = os.environ.get("PUBLIC_HOLIDAYS", "")
    ESCALATION_DAYS = _env_int("ESCALATION_DAYS", 3)
    SCHEDULER_WEEKLY_DIGEST_WEEKDAY = _env_int("SCHEDULER_WEEKLY_DIGEST_WEEKDAY", 0)  # 0 = Monday
    SCHEDULER_ONGOING_PERIOD = os.environ.get("SCHEDULER_ONGOING_PERIOD", "monthly")
    SCHEDULER_LOCK_EXPIRY_SECONDS = _env_int("SCHEDULER_LOCK_EXPIRY_SECONDS", 90)
    SCHEDULER_HEARTBEAT_SECONDS = _env_int("SCHEDULER_HEARTBEAT_SECONDS", 20)
    SCHEDULER_MISFIRE_GRACE_SECONDS = _env_int("SCHEDULER_MISFIRE_GRACE_SECONDS", 3600)
    MAIL_MAX_ATTEMPTS = _env_int("MAIL_MAX_ATTEMPTS", 8)
    MAIL_RETRY_BASE_SECONDS = _env_int("MAIL_RETRY_BASE_SECONDS", 300)
    MAIL_RETRY_MAX_SECONDS = _env_int("MAIL_RETRY_MAX_SECONDS", 6 * 3600)
    MAIL_SENDING_TIMEOUT_SECONDS = _env_int("MAIL_SENDING_TIMEOUT_SECONDS", 900)
    MAIL_BATCH_SIZE = _env_int("MAIL_BATCH_SIZE", 200)
    MATRIX_SNAPSHOTS_KEEP = _env_int("MATRIX_SNAPSHOTS_KEEP", 30)
    IMPORT_PENDING_MAX_HOURS = _env_int("IMPORT_PENDING_MAX_HOURS", 24)  # sweep_stale removes older uploads

    # Documents (.docx): who signs, and the file's author; the Sở's name and place come from the
    # directory's root unit. Empty values keep the defaults ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC", no name).
    SIGNER_TITLE = os.environ.get("SIGNER_TITLE", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC")
    SIGNER_NAME = os.environ.get("SIGNER_NAME", "")
    DOCUMENT_AUTHOR = os.environ.get("DOCUMENT_AUTHOR", "")
    DOCUMENT_LETTERHEAD = {"signer_titles": SIGNER_TITLE, "signer_name": SIGNER_NAME,
                           "author": DOCUMENT_AUTHOR}

    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "tdnv-demo")
    ALLOW_DEMO_SEED = True
    ITEMS_PER_PAGE = 25


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = True
    MAIL_SERVER = ""
    LOGIN_IP_MAX_FAILURES = 1000
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    DB_LOCK_TIMEOUT_SECONDS = 3  # a test that waits on a lost connection's lock waits this long


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    # Strict-Transport-Security: browsers use HTTPS only for this long (0 turns the header off)
    HSTS_SECONDS = _env_int("HSTS_SECONDS", 365 * 24 * 3600)
    ALLOW_DEMO_SEED = False

    @classmethod
    def validate(cls, settings: dict) -> None:
        """Refuse to start with a default or short secret: sessions could be forged."""
        key = settings.get("SECRET_KEY") or ""
        if key == DEFAULT_SECRET_KEY or len(key) < 16:
            raise RuntimeError(
                "SECRET_KEY must be set to a long random value in production "
                "(e.g. python -c 'import secrets; print(secrets.token_hex(32))')."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def get_config(name: str | None = None) -> type[Config]:
    name = name or os.environ.get("TDNV_CONFIG") or os.environ.get("FLASK_ENV") or "development"
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"Unknown configuration {name!r}; use one of {sorted(CONFIGS)}") from None
