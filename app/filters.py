"""Jinja filters that show dates and numbers the Vietnamese way, whatever the browser's locale."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup


def format_number(value, decimals: int | None = None) -> str:
    """1700 -> "1.700", 98.5 -> "98,5" (dot for thousands, comma for decimals)."""
    if value is None or value == "":
        return ""
    number = float(value)
    if decimals is None:
        decimals = 0 if number == int(number) else len(f"{number}".split(".")[1].rstrip("0"))
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_target(target: dict) -> str:
    ops = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}
    unit = target.get("unit") or ""
    sep = "" if unit == "%" else " "
    if target.get("op") == "between":
        return f"{format_number(target['value'])}-{format_number(target.get('max'))}{sep}{unit}".strip()
    return f"{ops.get(target.get('op'), '')}{format_number(target['value'])}{sep}{unit}".strip()


def init_app(app):
    tz = ZoneInfo(app.config["TIMEZONE"])

    @app.template_filter("vn_date")
    def vn_date(value) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=ZoneInfo("UTC"))
            value = value.astimezone(tz).date()
        if isinstance(value, date):
            return value.strftime("%d/%m/%Y")
        return str(value)

    @app.template_filter("vn_datetime")
    def vn_datetime(value) -> str:
        if value is None:
            return ""
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo("UTC"))
        return value.astimezone(tz).strftime("%H:%M %d/%m/%Y")

    @app.template_filter("iso_vn")
    def iso_vn(value: str | None) -> str:
        """An ISO date string from the importer shown as dd/mm/yyyy."""
        return date.fromisoformat(value).strftime("%d/%m/%Y") if value else ""

    @app.template_filter("recurrence_label")
    def recurrence_label(value: str | None) -> str:
        from app.models.plans import RECURRENCES

        return RECURRENCES.get(value, value or "")

    app.add_template_filter(format_number, "vn_number")
    app.add_template_filter(format_target, "vn_target")

    @app.template_filter("nl2br")
    def nl2br(value) -> Markup:
        from markupsafe import escape

        return Markup("<br>").join(escape(value or "").split("\n"))

    @app.context_processor
    def inject_globals():
        from app import __version__

        return {"app_version": __version__}
