"""TDNV application package: the app factory (wiring only)."""
from pathlib import Path

from flask import Flask

from config import get_config

__version__ = "0.1.0"

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the app. No table creation, migration or scheduler start here (run once, elsewhere)."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    config_class = get_config(config_name)
    app.config.from_object(config_class)
    app.config.update(overrides)
    if hasattr(config_class, "validate"):
        config_class.validate(app.config)
    from app.db_options import engine_options

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config, app.config.get("SQLALCHEMY_ENGINE_OPTIONS"))

    from app import cli, errors, filters, input_checks, security
    from app.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)
    input_checks.init_app(app)
    filters.init_app(app)
    errors.init_app(app)
    cli.init_app(app)

    from app.admin import bp as admin_bp
    from app.api import bp as api_bp
    from app.auth import bp as auth_bp
    from app.dashboard import bp as dashboard_bp
    from app.main import bp as main_bp
    from app.plans import bp as plans_bp
    from app.workflow import bp as workflow_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(plans_bp, url_prefix="/plans")
    app.register_blueprint(workflow_bp)
    app.register_blueprint(dashboard_bp, url_prefix="/dashboard")
    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, not cookies
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    return app
