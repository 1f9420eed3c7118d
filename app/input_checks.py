"""Odd input never reaches the database: NUL bytes and out-of-range integers are a 400/404.

PostgreSQL refuses NUL in text, and both databases fail on integers beyond their columns (an id
of 99999999999999999999, ?page=10**30): without these checks such requests end in a 500.
"""
from __future__ import annotations

import re
from itertools import chain

from flask import abort, request
from werkzeug.routing import IntegerConverter

# Integer columns (ids, page numbers, years) are 32-bit signed in PostgreSQL.
MAX_INT = 2**31 - 1
_INTEGER = re.compile(r"^\s*[+-]?\d+\s*$")
# Query parameters that are free text: a long number typed into a search box is not an id.
FREE_TEXT_ARGS = frozenset({"q", "name", "next"})


class BoundedIntConverter(IntegerConverter):
    """<int:…> in URLs: a number no column can hold matches no route (404), like a missing id."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values if isinstance(value, str))


def _all_values(multidict):
    return chain.from_iterable(multidict.listvalues())


def reject_odd_input():
    """before_request: 400 for NUL anywhere in the request's text, or an integer query parameter
    beyond the columns' range."""
    if "\x00" in request.path or _has_nul(request.args.keys()) or _has_nul(_all_values(request.args)):
        abort(400)
    for key, value in request.args.items(multi=True):
        if key not in FREE_TEXT_ARGS and _INTEGER.match(value) and abs(int(value)) > MAX_INT:
            abort(400)
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            if _has_nul(request.form.keys()) or _has_nul(_all_values(request.form)):
                abort(400)
            if _has_nul(f.filename for f in _all_values(request.files)):
                abort(400)
        elif request.is_json:
            raw = request.get_data(cache=True)
            if b"\\u0000" in raw or b"\x00" in raw:
                abort(400)


def init_app(app):
    # before any blueprint is registered: the rules are compiled with the converter they name
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(reject_odd_input)
