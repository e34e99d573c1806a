"""The audit API: read the trail and verify its chain."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import types

from ckanext.ldeco import inputs
from ckanext.ldeco.audit import model as audit
from ckanext.ldeco.audit.logic import schema

__all__ = ["ldeco_audit_list", "ldeco_audit_verify"]


@tk.side_effect_free
@inputs.action(schema.audit_list)
def ldeco_audit_list(context: types.Context, data_dict: types.DataDict) -> list[dict[str, Any]]:
    """Audit records, newest first. `dataset_id` (required unless sysadmin),
    `limit` (default 100, at most 1000), `offset`."""
    limit = min(data_dict["limit"], schema.MAX_AUDIT_PAGE)
    offset = data_dict["offset"]
    dataset = data_dict.get("dataset_id")
    if dataset:
        try:
            dataset = tk.get_action("package_show")({"ignore_auth": True}, {"id": dataset})["id"]
        except tk.ObjectNotFound:
            raise tk.ObjectNotFound(tk._("No such dataset: {id}").format(id=dataset)) from None
    return [e.dictize() for e in audit.query(dataset_id=dataset, limit=limit, offset=offset)]


@tk.side_effect_free
@inputs.action(schema.audit_verify)
def ldeco_audit_verify(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Walk the hash chain: `intact`, `checked`, and the `first_broken` record."""
    return audit.verify()
