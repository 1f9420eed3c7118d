"""Jinja filters that show dates and numbers the Vietnamese way, whatever the browser's locale.

Thin bindings of app.formatting (the one implementation) to the app's time zone.
"""
from markupsafe import Markup

from app import formatting


def init_app(app):
    tz = formatting.zone(app.config["TIMEZONE"])

    @app.template_filter("vn_date")
    def vn_date(value) -> str:
        return formatting.vn_date(value, tz)

    @app.template_filter("vn_datetime")
    def vn_datetime(value) -> str:
        return formatting.vn_datetime(value, tz)

    # an ISO date string from the importer: vn_date reads ISO strings too
    app.add_template_filter(vn_date, "iso_vn")
    app.add_template_filter(formatting.vn_number, "vn_number")
    app.add_template_filter(formatting.vn_percent, "vn_percent")
    app.add_template_filter(formatting.format_target, "vn_target")

    @app.template_filter("recurrence_label")
    def recurrence_label(value: str | None) -> str:
        from app.models.plans import RECURRENCES

        return RECURRENCES.get(value, value or "")

    @app.template_filter("nl2br")
    def nl2br(value) -> Markup:
        from markupsafe import escape

        return Markup("<br>").join(escape(value or "").split("\n"))

    @app.context_processor
    def inject_globals():
        from app import __version__

        return {"app_version": __version__}
