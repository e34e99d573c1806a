"""Validation schemas of the dictionary's actions (one per action: the only
description of its parameters)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import types

from ckanext.ldeco.inputs import ldeco_boolean, ldeco_id, ldeco_int_between, ldeco_pack_text, ldeco_title

__all__ = [
    "concept_list",
    "concept_show",
    "code_list_show",
    "pack_list",
    "pack_import",
    "pack_export",
    "steward",
    "steward_list",
    "resource",
    "MAX_ROWS",
]

MAX_ROWS = 1000  # package_search's own ceiling


@tk.validator_args
def concept_list(ignore_missing: types.Validator) -> types.Schema:
    return {
        "layer": [ignore_missing, ldeco_id],
        "theme": [ignore_missing, ldeco_id],
        "q": [ignore_missing, ldeco_title],
    }


@tk.validator_args
def concept_show(not_empty: types.Validator, ignore_missing: types.Validator) -> types.Schema:
    return {
        "id": [not_empty, ldeco_id],
        "rows": [ignore_missing, ldeco_int_between(0, MAX_ROWS)],
        "include_datasets": [ignore_missing, ldeco_boolean],
    }


@tk.validator_args
def code_list_show(not_empty: types.Validator) -> types.Schema:
    return {"id": [not_empty, ldeco_id]}


def pack_list() -> types.Schema:
    return {}


@tk.validator_args
def pack_import(not_empty: types.Validator) -> types.Schema:
    return {"pack": [not_empty, ldeco_pack_text]}


@tk.validator_args
def pack_export(not_empty: types.Validator) -> types.Schema:
    return {"id": [not_empty, ldeco_id]}


@tk.validator_args
def steward(not_empty: types.Validator) -> types.Schema:
    return {"user": [not_empty, ldeco_id]}


def steward_list() -> types.Schema:
    return {}


@tk.validator_args
def resource(not_empty: types.Validator) -> types.Schema:
    """A resource's id (quality reports)."""
    return {"id": [not_empty, ldeco_id]}
