"""The one door for DataStore reads.

Every outside call of ``datastore_search`` and ``datastore_info`` (and so
every page of a dump, which core serves through ``datastore_search``) passes
here. Two things happen:

* ``checked``: the parameters core understands are checked for the shapes
  core can handle, so a wrong type is a 409 naming the parameter, never a
  500, and nothing reaches the database.
* ``rebuilt``: for a caller whose grant covers only some data items, the
  request is built anew from an allow-list: only understood keys, and only
  granted columns in ``fields``, ``filters``, ``q`` and ``sort``. Nothing
  of the caller's request reaches core unless it was understood; whatever is
  not understood is refused, naming it. (Inspecting the request instead lets
  through every form nobody thought of: a JSON string of filters, a list of
  sorts, a search over the whole row.)

Callers with the whole record (open data, publishers, grants of every
item) get core's request unchanged, checked only for shapes.
"""
from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["UNDERSTOOD", "OPEN_TABLES", "checked", "checked_info", "rebuilt", "info_for"]

# datastore_search's parameters, as core's datastore_search_schema defines them
UNDERSTOOD = frozenset({
    "resource_id", "id", "fields", "filters", "q", "full_text", "plain", "language", "sort", "distinct",
    "limit", "offset", "records_format", "include_total", "total_estimation_threshold",
})
# core searches these without an auth check, on purpose (a list of the tables)
OPEN_TABLES = frozenset({"_table_metadata"})

_TEXT = ("resource_id", "id", "language", "full_text", "records_format")
_BOOLEAN = ("plain", "distinct", "include_total")
_WHOLE = ("limit", "offset", "total_estimation_threshold")
_SCALAR = (str, int, float, bool, type(None))
# core's own reading of a sort clause (ckanext.datastore.backend._parse_sort_clause)
_SORT_CLAUSE = re.compile(r"^(.+?)( +(asc|desc))?( nulls +(first|last) *)?$", re.I)
# what a partial grantee learns of the table in datastore_info's meta: the
# sizes are measured over every column, hidden ones included
_INFO_META = ("id", "count", "aliases", "table_type")


def _invalid(key: str, message: str) -> tk.ValidationError:
    return tk.ValidationError({key: [message]})


def _name(value: str) -> str:
    """A column name as core reads it from a list: stripped, and unquoted."""
    value = value.strip()
    if len(value) > 1 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return value


def _names(key: str, value: Any) -> list[str]:
    """fields and sort: a comma-separated text or a list of texts."""
    if isinstance(value, str):
        return [part for part in value.split(",") if part.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise _invalid(key, tk._("Give column names as a comma-separated text or a list of texts"))


def _filters(value: Any) -> dict[str, Any]:
    """An object of column to value or list of values, or that object as JSON text."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise _invalid("filters", tk._("Cannot parse JSON")) from None
    message = tk._("Give filters as an object of column to a value or a list of values")
    if not isinstance(value, dict):
        raise _invalid("filters", message)
    for item in value.values():
        values = item if isinstance(item, list) else [item]
        if not all(isinstance(v, _SCALAR) for v in values):
            raise _invalid("filters", message)
    return value


def _q(value: Any) -> str | dict[str, str]:
    """Text over the whole row, or an object of column to text (either may come as JSON text)."""
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        # core reads JSON literals as text; only an object searches named columns
        value = parsed if isinstance(parsed, dict) else value
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return value
    raise _invalid("q", tk._("Give q as a text, or an object of column to text"))


def checked(data_dict: Mapping[str, Any]) -> None:
    """Refuse, naming the parameter, the shapes core would fail on; leaves
    the request as it is. (None is core's "not given" for all but limit.)"""
    for key in _TEXT:
        if data_dict.get(key) is not None and not isinstance(data_dict[key], str):
            raise _invalid(key, tk._("Must be a text"))
    for key in _BOOLEAN:
        if data_dict.get(key) is not None and not isinstance(data_dict[key], (bool, str)):
            raise _invalid(key, tk._("Must be true or false"))
    for key in _WHOLE:
        if key not in data_dict or (data_dict[key] is None and key != "limit"):
            continue
        value = data_dict[key]
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise _invalid(key, tk._("Must be a whole number"))
    for key in ("fields", "sort"):
        if data_dict.get(key) is not None:
            _names(key, data_dict[key])
    if data_dict.get("filters") is not None:
        _filters(data_dict["filters"])
    if data_dict.get("q"):
        _q(data_dict["q"])


def checked_info(data_dict: Mapping[str, Any]) -> None:
    for key in ("id", "resource_id"):
        if key in data_dict and not isinstance(data_dict[key], str):
            raise _invalid(key, tk._("Must be a text"))


def _not_granted(key: str, names: Collection[str]) -> tk.ValidationError:
    # the same words whether or not such a column exists: the refusal must
    # not tell which hidden columns there are
    return _invalid(key, tk._("Your grant does not cover: {fields}").format(fields=", ".join(sorted(set(names)))))


def rebuilt(data_dict: Mapping[str, Any], granted: Collection[str], columns: Mapping[str, str],
            resource_id: str) -> dict[str, Any]:
    """A new datastore_search request for a caller granted only some data
    items: every key understood, every column named granted.

    granted: the grant's data items; columns: the table's columns (name to
    type, in the table's order, without ``_id``); resource_id: the table's
    real id (aliases resolved)."""
    checked(data_dict)
    unknown = sorted(set(data_dict) - UNDERSTOOD)
    if unknown:
        raise tk.ValidationError({key: [tk._("Not a parameter of a DataStore search")] for key in unknown})
    readable = {"_id", *granted}
    out: dict[str, Any] = {"resource_id": resource_id}

    fields = [_name(f) for f in _names("fields", data_dict["fields"])] if data_dict.get("fields") else []
    outside = [f for f in fields if f not in readable]
    if outside:
        raise _not_granted("fields", outside)
    # never empty: core reads no fields as every field
    out["fields"] = fields or ["_id", *(c for c in columns if c in readable)]

    if data_dict.get("filters"):
        filters = _filters(data_dict["filters"])
        outside = [k for k in filters if k not in readable]
        if outside:
            raise _not_granted("filters", outside)
        out["filters"] = filters

    if data_dict.get("full_text"):
        raise _invalid("full_text", tk._(
            "full_text searches every column of a row, and your grant covers only some: "
            "search named columns instead, with q as an object of column to text"))
    if data_dict.get("q"):
        q = _q(data_dict["q"])
        if isinstance(q, str):
            raise _invalid("q", tk._(
                "A text q searches every column of a row, and your grant covers only some: "
                "search named columns instead, with q as an object of column to text"))
        outside = [k for k in q if k not in readable]
        if outside:
            raise _not_granted("q", outside)
        # core narrows a search on a column its full-text index does not
        # cover by the row's whole index, which holds the hidden columns too
        indexed = set(tk.aslist(tk.config.get("ckan.datastore.default_fts_index_field_types")))
        unindexed = sorted(k for k in q if columns.get(k) not in indexed)
        if unindexed:
            raise _invalid("q", tk._(
                "These columns can only be searched through the whole row, which your grant does not "
                "cover; filter on them instead: {fields}").format(fields=", ".join(unindexed)))
        out["q"] = q

    if data_dict.get("sort"):
        clauses = _names("sort", data_dict["sort"])
        named = [_sort_column(c) for c in clauses]
        outside = [n for n in named if n not in readable]
        if outside:
            raise _not_granted("sort", outside)
        out["sort"] = [c.strip() for c in clauses]

    for key in ("plain", "language", "distinct", "limit", "offset", "records_format", "include_total",
                "total_estimation_threshold"):
        if key in data_dict:
            out[key] = data_dict[key]
    return out


def _sort_column(clause: str) -> str:
    """The column a sort clause names, read as core reads it; a clause core
    cannot read names no column (and is refused as such)."""
    match = _SORT_CLAUSE.match(clause.strip())
    if not match:
        return clause
    field = match.group(1)
    return field[1:-1] if len(field) > 1 and field[0] == field[-1] == '"' else field


def info_for(result: dict[str, Any], granted: Collection[str]) -> dict[str, Any]:
    """datastore_info's answer for a caller granted only some data items: the
    granted columns, the row count (the grantee reads every row) and nothing
    measured over the hidden columns."""
    meta = result.get("meta") or {}
    return {**result, "meta": {k: meta[k] for k in _INFO_META if k in meta},
            "fields": [f for f in result.get("fields", []) if f.get("id") in granted]}
