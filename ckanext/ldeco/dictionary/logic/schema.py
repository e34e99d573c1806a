"""Validation schemas of the dictionary's actions."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import types

__all__ = ["concept_list", "concept_show", "code_list_show", "pack_import", "pack_export", "steward"]


@tk.validator_args
def concept_list(ignore_missing: types.Validator, unicode_safe: types.Validator) -> types.Schema:
    return {"layer": [ignore_missing, unicode_safe], "theme": [ignore_missing, unicode_safe],
            "q": [ignore_missing, unicode_safe]}


@tk.validator_args
def concept_show(not_empty: types.Validator, unicode_safe: types.Validator, ignore_missing: types.Validator,
                 int_validator: types.Validator, boolean_validator: types.Validator) -> types.Schema:
    return {"id": [not_empty, unicode_safe], "rows": [ignore_missing, int_validator],
            "include_datasets": [ignore_missing, boolean_validator]}


@tk.validator_args
def code_list_show(not_empty: types.Validator, unicode_safe: types.Validator) -> types.Schema:
    return {"id": [not_empty, unicode_safe]}


@tk.validator_args
def pack_import(not_empty: types.Validator, unicode_safe: types.Validator) -> types.Schema:
    return {"pack": [not_empty, unicode_safe]}


@tk.validator_args
def pack_export(not_empty: types.Validator, unicode_safe: types.Validator) -> types.Schema:
    return {"id": [not_empty, unicode_safe]}


@tk.validator_args
def steward(not_empty: types.Validator, unicode_safe: types.Validator) -> types.Schema:
    return {"user": [not_empty, unicode_safe]}
