"""app.formatting: the one Vietnamese format for dates, times, numbers and percentages."""
import ast
import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app import formatting as f
from app.models import base

APP_DIR = Path(__file__).resolve().parents[2] / "app"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


# --- numbers -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "text"), [
    (None, ""),
    ("", ""),
    (0, "0"),
    (0.0, "0"),
    (7, "7"),
    (999, "999"),
    (1700, "1.700"),
    (1700.0, "1.700"),
    (1700000, "1.700.000"),
    (98.5, "98,5"),
    (0.1 + 0.2, "0,3"),
    (100.0, "100"),
    (33.333, "33,333"),
    (85.7142, "85,7142"),
    (1234.5, "1.234,5"),
    (-1700, "-1.700"),
    (-1234.5, "-1.234,5"),
    (-0.5, "-0,5"),
    (1e-12, "0"),
    (1e20, "100.000.000.000.000.000.000"),
    (Decimal("2.50"), "2,5"),
    (Decimal("1700"), "1.700"),
    ("1700", "1.700"),
    (" 98.5 ", "98,5"),
])
def test_vn_number(value, text):
    assert f.vn_number(value) == text


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (85.7142, 2, "85,71"),
    (75.0, 2, "75"),
    (12.5, 2, "12,5"),
    (33.333, 1, "33,3"),
    (2.675, 2, "2,68"),  # half up on the number as written, not on its binary approximation
    (0.05, 1, "0,1"),
    (-0.04, 1, "0"),  # never "-0"
    (1699.96, 1, "1.700"),
    (1700.4, 0, "1.700"),
    (1700.5, 0, "1.701"),
    (Decimal("98.55"), 1, "98,6"),
])
def test_vn_number_with_at_most_n_decimals(value, decimals, text):
    assert f.vn_number(value, decimals) == text


@pytest.mark.parametrize("value", ["98,5", "abc", float("nan"), float("inf"), Decimal("NaN")])
def test_vn_number_refuses_what_is_not_a_number(value):
    with pytest.raises(ValueError):
        f.vn_number(value)


@pytest.mark.parametrize("value", [True, object(), [1]])
def test_vn_number_refuses_other_types(value):
    with pytest.raises(TypeError):
        f.vn_number(value)


@pytest.mark.parametrize(("value", "text"), [
    (912345678.0, "912345678"),
    (1700, "1700"),
    (98.5, "98.5"),
    (0.1 + 0.2, "0.3"),
    (-12.25, "-12.25"),
    (1e-5, "0.00001"),
    (1234567890123.5, "1234567890123.5"),
])
def test_plain_number_for_cells_read_as_text(value, text):
    assert f.plain_number(value) == text


# --- percentages: one rule, at most one decimal, ",0" dropped -----------------------------------

@pytest.mark.parametrize(("value", "text"), [
    (None, ""),
    (0, "0%"),
    (98.5, "98,5%"),
    (100.0, "100%"),
    (100, "100%"),
    (33.333, "33,3%"),
    (66.666, "66,7%"),
    (0.1 + 0.2, "0,3%"),
    (99.95, "100%"),
    (-2.25, "-2,3%"),
    (Decimal("12.50"), "12,5%"),
    ("45", "45%"),
])
def test_vn_percent(value, text):
    assert f.vn_percent(value) == text


def test_vn_percent_can_keep_a_figure_as_written():
    assert f.vn_percent(0.9982 * 100, decimals=None) == "99,82%"


@pytest.mark.parametrize(("part", "whole", "text"), [
    (9, 12, "75%"),
    (1, 12, "8,3%"),
    (1, 3, "33,3%"),
    (2, 3, "66,7%"),
    (1500, 1700, "88,2%"),
    (1200, 1700, "70,6%"),
    (1, 8, "12,5%"),
    (1, 2000, "0,1%"),  # 0,05 rounds half up
    (12, 12, "100%"),
    (0, 2, "0%"),
    (0, 0, "0%"),
])
def test_vn_share(part, whole, text):
    assert f.vn_share(part, whole) == text


# --- targets -------------------------------------------------------------------------------------

def t(op, value, unit, maximum=None):
    return {"op": op, "value": value, "max": maximum, "unit": unit}


@pytest.mark.parametrize(("target", "text"), [
    (t(">=", 98.5, "%"), "≥98,5%"),
    (t(">=", 99.82, "%"), "≥99,82%"),  # a stated target is never rounded to the percentage rule
    (t(">=", 100, "%"), "≥100%"),
    (t("<=", 5, "%"), "≤5%"),
    (t(">", 50, "%"), ">50%"),
    (t("<", 5, "%"), "<5%"),
    (t("between", 3, "trường", 5), "3-5 trường"),
    (t("between", 30, "%", 50), "30-50%"),
    (t(">=", 1700, "đơn vị"), "≥1.700 đơn vị"),
    (t(">=", 2, None), "≥2"),
    (t(None, 2, "đợt"), "2 đợt"),
])
def test_format_target(target, text):
    assert f.format_target(target) == text


# --- dates and times -----------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "text"), [
    (None, ""),
    ("", ""),
    (dt.date(2025, 10, 20), "20/10/2025"),
    (dt.date(2026, 1, 5), "05/01/2026"),
    ("2026-01-05", "05/01/2026"),  # ISO, as the importer keeps dates
    ("Quý IV/2025", "Quý IV/2025"),  # other text is shown as it is
    (dt.datetime(2025, 10, 20, 1, 30, tzinfo=dt.UTC), "20/10/2025"),
    (dt.datetime(2025, 10, 20, 16, 59), "20/10/2025"),  # naive = UTC: 23:59 in Vietnam
    (dt.datetime(2025, 10, 20, 17, 0), "21/10/2025"),  # naive = UTC: midnight in Vietnam
    (dt.datetime(2025, 12, 31, 18, 0, tzinfo=dt.UTC), "01/01/2026"),
    (dt.datetime(2025, 10, 20, 23, 30, tzinfo=HCM), "20/10/2025"),
])
def test_vn_date(value, text):
    assert f.vn_date(value) == text


def test_vn_date_in_another_zone_and_empty_text():
    moment = dt.datetime(2025, 10, 20, 20, 0, tzinfo=dt.UTC)
    assert f.vn_date(moment, "Europe/Paris") == "20/10/2025"
    assert f.vn_date(moment, ZoneInfo("Asia/Tokyo")) == "21/10/2025"
    assert f.vn_date(None, empty=f.NO_DATE) == "không có"


@pytest.mark.parametrize(("value", "text"), [
    (None, ""),
    (dt.datetime(2025, 10, 20, 1, 30, tzinfo=dt.UTC), "20/10/2025 08:30"),
    (dt.datetime(2025, 10, 20, 1, 30), "20/10/2025 08:30"),  # naive = UTC
    (dt.datetime(2025, 10, 20, 16, 59), "20/10/2025 23:59"),
    (dt.datetime(2025, 10, 20, 17, 0), "21/10/2025 00:00"),  # the day changes at 17:00 UTC
    (dt.datetime(2025, 12, 31, 17, 5, tzinfo=dt.UTC), "01/01/2026 00:05"),
    (dt.datetime(2025, 10, 20, 8, 30, tzinfo=HCM), "20/10/2025 08:30"),
    (dt.datetime(2025, 10, 20, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=9))), "20/10/2025 06:30"),
    (dt.date(2025, 10, 20), "20/10/2025"),
])
def test_vn_datetime(value, text):
    assert f.vn_datetime(value) == text


def test_vn_datetime_in_another_zone():
    assert f.vn_datetime(dt.datetime(2025, 10, 20, 1, 30), "UTC") == "20/10/2025 01:30"


def test_small_date_pieces():
    assert f.vn_time(dt.time(7, 5)) == "07:05"
    assert f.vn_day_month(dt.date(2025, 3, 9)) == "09/03"
    assert f.vn_month(dt.date(2025, 3, 9)) == "03/2025"


@pytest.mark.parametrize(("moment", "local"), [
    (None, None),
    (dt.datetime(2025, 10, 20, 17, 0), dt.datetime(2025, 10, 21, 0, 0, tzinfo=HCM)),
    (dt.datetime(2025, 10, 20, 17, 0, tzinfo=dt.UTC), dt.datetime(2025, 10, 21, 0, 0, tzinfo=HCM)),
    (dt.datetime(2025, 10, 21, 0, 0, tzinfo=HCM), dt.datetime(2025, 10, 21, 0, 0, tzinfo=HCM)),
])
def test_to_local(moment, local):
    result = f.to_local(moment)
    assert result == local
    if result is not None:
        assert result.utcoffset() == dt.timedelta(hours=7)


@pytest.mark.parametrize(("moment", "day"), [
    (None, None),
    (dt.date(2025, 10, 20), dt.date(2025, 10, 20)),
    (dt.datetime(2025, 12, 31, 10, 0), dt.date(2025, 12, 31)),
    (dt.datetime(2025, 12, 31, 18, 0, tzinfo=dt.UTC), dt.date(2026, 1, 1)),
])
def test_local_date(moment, day):
    assert f.local_date(moment) == day


AS_UTC_CASES = [
    dt.datetime(2025, 10, 20, 1, 30),
    dt.datetime(2025, 10, 20, 1, 30, tzinfo=dt.UTC),
    dt.datetime(2025, 10, 20, 8, 30, tzinfo=HCM),
    dt.datetime(2025, 12, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
]


@pytest.mark.parametrize("moment", AS_UTC_CASES)
def test_as_utc_is_the_same_rule_in_models_and_formatting(moment):
    """models/base.py may import only the stdlib and SQLAlchemy, so it keeps its own as_utc."""
    ours, theirs = f.as_utc(moment), base.as_utc(moment)
    assert ours == theirs and ours.tzinfo is dt.UTC and theirs.tzinfo is dt.UTC


@pytest.mark.parametrize(("text", "day"), [
    ("20/10/2025", dt.date(2025, 10, 20)),
    ("5/1/2026", dt.date(2026, 1, 5)),
    (" 05/01/2026 ", dt.date(2026, 1, 5)),
    ("2026-01-05", dt.date(2026, 1, 5)),
])
def test_parse_vn_date(text, day):
    assert f.parse_vn_date(text) == day
    assert f.parse_vn_date(f.vn_date(day)) == day


@pytest.mark.parametrize("text", ["", "31/02/2026", "2026/01/05", "ngày mai", "05-01-2026"])
def test_parse_vn_date_refuses(text):
    with pytest.raises(ValueError):
        f.parse_vn_date(text)


# --- one place -----------------------------------------------------------------------------------

def _sources():
    return sorted(p for p in APP_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_other_module_spells_the_date_format():
    """dd/mm/yyyy is written once: a new copy of "%d/%m/%Y" anywhere else under app/ fails here."""
    literal = "%d/%m/" + "%Y"
    copies = [str(p.relative_to(APP_DIR.parent)) for p in _sources()
              if p != APP_DIR / "formatting.py" and literal in p.read_text(encoding="utf-8")]
    assert copies == []


def test_formatting_is_pure():
    """Stdlib only (no Flask, no SQLAlchemy, no app module): usable from anywhere."""
    tree = ast.parse((APP_DIR / "formatting.py").read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            roots.add((node.module or "").split(".")[0])
    assert roots - {"__future__"} <= set(sys.stdlib_module_names)


def test_jinja_filters_are_the_same_functions(app):
    env = app.jinja_env
    moment = dt.datetime(2025, 10, 20, 17, 0)
    assert env.from_string("{{ m|vn_date }} {{ m|vn_datetime }} {{ '2026-01-05'|iso_vn }}").render(m=moment) \
        == "21/10/2025 21/10/2025 00:00 05/01/2026"
    assert env.from_string("{{ 1700|vn_number }} {{ 98.5|vn_percent }} {{ t|vn_target }}").render(
        t={"op": ">=", "value": 98.5, "unit": "%"}) == "1.700 98,5% ≥98,5%"
