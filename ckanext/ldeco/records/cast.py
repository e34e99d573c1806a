"""Values in the dictionary's datatypes: cells read from any table, and the
values callers filter on."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

__all__ = ["RANGED", "cast", "Uncastable"]

# datatypes a filter may give a range for
RANGED = frozenset({"date", "integer", "decimal", "number"})


class Uncastable(ValueError):
    """A value that is not of the property's datatype."""


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise Uncastable(text) from None


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise Uncastable(str(value))
    if isinstance(value, int):
        return value
    try:
        number = decimal.Decimal(str(value).strip())
    except decimal.InvalidOperation:
        raise Uncastable(str(value)) from None
    if number != number.to_integral_value():
        raise Uncastable(str(value))
    return int(number)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise Uncastable(str(value))
    try:
        return float(decimal.Decimal(str(value).strip()))
    except decimal.InvalidOperation:
        raise Uncastable(str(value)) from None


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "t", "y"):
        return True
    if text in ("false", "no", "0", "f", "n"):
        return False
    raise Uncastable(text)


_CASTS = {"date": _date, "integer": _integer, "decimal": _number, "number": _number, "boolean": _boolean}


def cast(value: Any, datatype: str | None) -> Any:
    """The value in the datatype (texts for strings, codes and URIs); None for
    an empty cell; Uncastable when it is not of the datatype."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    caster = _CASTS.get(datatype or "string")
    if caster is None:
        return value.strip() if isinstance(value, str) else str(value)
    return caster(value)
