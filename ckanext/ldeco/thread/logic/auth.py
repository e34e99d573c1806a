"""Who may follow the thread: anyone who may see the dataset; the action
leaves out every linked dataset the caller may not see."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import types

__all__ = ["ldeco_thread_show"]


@tk.auth_allow_anonymous_access
def ldeco_thread_show(context: types.Context, data_dict: types.DataDict) -> types.AuthResult:
    try:
        tk.check_access("package_show", context, {"id": data_dict.get("id")})
    except tk.ObjectNotFound:
        pass  # the action answers 404 with the name
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("You may not see this dataset")}
    return {"success": True}
