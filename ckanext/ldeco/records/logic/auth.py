"""Who may search records: anyone; each source answers only what the
caller's own decision for it allows (open rows, or the rows of a grant)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import types

__all__ = ["ldeco_records_search", "ldeco_records_aggregate", "ldeco_statistic_create", "ldeco_statistic_derive"]


@tk.auth_allow_anonymous_access
def ldeco_records_search(context: types.Context, data_dict: types.DataDict) -> types.AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def ldeco_records_aggregate(context: types.Context, data_dict: types.DataDict) -> types.AuthResult:
    # protected counts are for everyone: the protection is in the answer, not in who asks
    return {"success": True}


def _may_update(context: types.Context, dataset_id: str | None) -> types.AuthResult:
    try:
        tk.check_access("package_update", context, {"id": dataset_id})
    except tk.ObjectNotFound:
        raise tk.ObjectNotFound(tk._("No dataset {id}").format(id=dataset_id)) from None
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Only the dataset's publishers may derive statistics in it")}
    return {"success": True}


def ldeco_statistic_create(context: types.Context, data_dict: types.DataDict) -> types.AuthResult:
    return _may_update(context, data_dict.get("dataset_id"))


def ldeco_statistic_derive(context: types.Context, data_dict: types.DataDict) -> types.AuthResult:
    try:
        res = tk.get_action("resource_show")({"ignore_auth": True}, {"id": data_dict.get("id")})
    except tk.ObjectNotFound:
        return {"success": False, "msg": tk._("Only the dataset's publishers may derive statistics in it")}
    return _may_update(context, res["package_id"])
