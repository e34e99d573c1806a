"""Validation schemas of the audit API (navl schemas)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import types

from ckanext.ldeco.inputs import default, ldeco_id, ldeco_int_between

__all__ = ["audit_list", "audit_verify", "MAX_AUDIT_PAGE"]

MAX_AUDIT_PAGE = 1000


@tk.validator_args
def audit_list(ignore_missing: types.Validator) -> types.Schema:
    return {
        "dataset_id": [ignore_missing, ldeco_id],
        # larger pages are cut to MAX_AUDIT_PAGE, as documented
        "limit": [default(100), ldeco_int_between(0, 10**9)],
        "offset": [default(0), ldeco_int_between(0, 10**9)],
    }


def audit_verify() -> types.Schema:
    return {}
