"""Who may read and verify the audit trail."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import types

__all__ = ["ldeco_audit_list", "ldeco_audit_verify"]


def ldeco_audit_list(context: types.Context, data_dict: types.DataDict) -> types.AuthResult:
    """Sysadmins see the whole trail; a publisher sees the trail of a dataset it may edit."""
    dataset = data_dict.get("dataset_id")
    if dataset:
        try:
            tk.check_access("package_update", context, {"id": dataset})
            return {"success": True}
        except tk.NotAuthorized:
            pass
    return {"success": False, "msg": tk._("Only the dataset's publishers and sysadmins may read its audit trail")}


def ldeco_audit_verify(context: types.Context, data_dict: types.DataDict) -> types.AuthResult:
    return {"success": False, "msg": tk._("Only sysadmins may verify the audit trail")}
