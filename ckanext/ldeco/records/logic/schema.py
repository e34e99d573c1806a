"""Parameters of the records API (navl schemas)."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import types

from ckanext.ldeco.inputs import (
    MAX_ITEMS,
    MAX_TITLE,
    default,
    ldeco_id,
    ldeco_int_between,
    ldeco_names,
    ldeco_title,
    type_check,
)

__all__ = ["records_search", "records_aggregate", "statistic_create", "statistic_derive", "ldeco_records_filters",
           "MAX_LIMIT"]

MAX_LIMIT = 1000  # rows in one page; larger asks are cut to it, as documented
_SCALAR = (str, int, float, bool)


@type_check
def ldeco_records_filters(value: Any, context: Any) -> Any:
    """An object of property to a value, a list of values, or a range
    {"from": …, "to": …} (either end may be left out); or that object as JSON text."""
    if value is tk.missing or value is None or value == "":
        return {}
    if isinstance(value, str):
        if len(value) > MAX_TITLE * 100:
            raise tk.Invalid(tk._("Too long"))
        try:
            value = json.loads(value)
        except ValueError:
            raise tk.Invalid(tk._("Cannot parse JSON")) from None
    message = tk._('Give filters as an object of property to a value, a list of values, or {"from": …, "to": …}')
    if not isinstance(value, dict) or len(value) > MAX_ITEMS:
        raise tk.Invalid(message)
    for item in value.values():
        if isinstance(item, dict):
            if not item or set(item) - {"from", "to"} or not all(isinstance(v, _SCALAR) for v in item.values()):
                raise tk.Invalid(message)
        elif isinstance(item, list):
            if not item or len(item) > MAX_ITEMS or not all(isinstance(v, _SCALAR) for v in item):
                raise tk.Invalid(message)
        elif not isinstance(item, _SCALAR):
            raise tk.Invalid(message)
    return value


@tk.validator_args
def records_search(not_empty: types.Validator, ignore_missing: types.Validator) -> types.Schema:
    return {
        "concept": [not_empty, ldeco_id],
        "filters": [default({}), ldeco_records_filters],
        "fields": [ignore_missing, ldeco_names],
        "sort": [ignore_missing, ldeco_title],
        "limit": [default(100), ldeco_int_between(1, 10**9)],
        "cursor": [ignore_missing, ldeco_title],
    }


@tk.validator_args
def records_aggregate(not_empty: types.Validator) -> types.Schema:
    return {
        "concept": [not_empty, ldeco_id],
        "group_by": [not_empty, ldeco_names],
        "filters": [default({}), ldeco_records_filters],
    }


@tk.validator_args
def statistic_create(not_empty: types.Validator) -> types.Schema:
    return {
        "dataset_id": [not_empty, ldeco_id],
        "concept": [not_empty, ldeco_id],
        "group_by": [not_empty, ldeco_names],
        "name": [not_empty, ldeco_title],
    }


@tk.validator_args
def statistic_derive(not_empty: types.Validator) -> types.Schema:
    return {"id": [not_empty, ldeco_id]}
