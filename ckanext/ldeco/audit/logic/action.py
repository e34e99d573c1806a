"""The audit API: read the trail and verify its chain."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import types

from ckanext.ldeco.audit import model as audit

__all__ = ["ldeco_audit_list", "ldeco_audit_verify"]


@tk.side_effect_free
def ldeco_audit_list(context: types.Context, data_dict: types.DataDict) -> list[dict[str, Any]]:
    """Audit records, newest first. `dataset_id` (required unless sysadmin),
    `limit` (default 100, at most 1000), `offset`."""
    tk.check_access("ldeco_audit_list", context, data_dict)
    try:
        limit = min(int(data_dict.get("limit", 100)), 1000)
        offset = max(int(data_dict.get("offset", 0)), 0)
    except (TypeError, ValueError):
        raise tk.ValidationError({"limit": [tk._("limit and offset must be whole numbers")]}) from None
    dataset = data_dict.get("dataset_id")
    if dataset:
        dataset = tk.get_action("package_show")({"ignore_auth": True}, {"id": dataset})["id"]
    return [e.dictize() for e in audit.query(dataset_id=dataset, limit=limit, offset=offset)]


@tk.side_effect_free
def ldeco_audit_verify(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Walk the hash chain: `intact`, `checked`, and the `first_broken` record."""
    tk.check_access("ldeco_audit_verify", context, data_dict)
    return audit.verify()
