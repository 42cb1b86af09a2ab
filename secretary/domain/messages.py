"""Pydantic's validation messages in the product's own words, in the interface's language.

Pydantic says "String should have at most 200 characters" or "Input should be 'da', 'sv'
or 'en'"; a secretary reads "is longer than 200 characters" / "er længere end 200 tegn".
Each pydantic error type the model can raise has its sentence here; a type not listed
keeps pydantic's English text (tests/unit/test_i18n.py lists the types the model raises).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from secretary.i18n import _


def _choices(expected: Any) -> str:
    return str(expected).replace("'", "")


def product_message(error: Mapping[str, Any]) -> str:
    """One pydantic error (an item of `ValidationError.errors()`) as the product says it."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("is required")
    if kind == "string_too_long":
        return _("is longer than {limit} characters").format(limit=ctx.get("max_length"))
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return _("is required")
        return _("is shorter than {limit} characters").format(limit=ctx.get("min_length"))
    if kind in ("too_long",):
        return _("has more than {limit} entries").format(limit=ctx.get("max_length"))
    if kind == "literal_error" or kind == "enum":
        return _("must be one of {choices}").format(choices=_choices(ctx.get("expected", "")))
    if kind.startswith("date_") and not kind.startswith("datetime"):
        return _("not a date like 2026-03-04")
    if kind.startswith("timezone_"):
        return _("has no time zone (timezone): write it like 2026-03-04T09:30+01:00")
    if kind.startswith("datetime_"):
        return _("not a date and time like 2026-03-04T09:30")
    if kind.startswith("time_"):
        return _("not a time like 09:30")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("not a whole number")
    if kind in ("greater_than_equal", "greater_than"):
        return _("must be at least {limit}").format(limit=ctx.get("ge", ctx.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return _("must be at most {limit}").format(limit=ctx.get("le", ctx.get("lt")))
    if kind in ("bool_parsing", "bool_type"):
        return _("not true or false")
    if kind == "string_pattern_mismatch":
        return _("has characters or a form not allowed here")
    if kind == "string_type":
        return _("must be text")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("must be a list")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("must be an object with fields")
    if kind == "extra_forbidden":
        return _("is not a field of this object")
    if kind == "url_parsing" or kind == "url_scheme":
        return _("not a web address like https://example.org")
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    return _(message) if message else message  # the model's own rules: translated where the catalog has them


def problem_line(where: str, field: str | None, value: str, message: str) -> str:
    """"body 'fu': field 'name': value '': must not be empty", in the interface's language."""
    if field:
        return _("{where}: field {field!r}: value {value}: {message}").format(where=where, field=field, value=value, message=message)
    return _("{where}: the object: value {value}: {message}").format(where=where, value=value, message=message)
