"""Who may read and change the dictionary.

The dictionary is public: anyone may read it. Packs are imported by
sysadmins (who pass every auth check) and by dictionary stewards, users a
sysadmin has named with ``ldeco_steward_grant``.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import types

from ckanext.ldeco.dictionary import stewards

__all__ = ["get_auth_functions"]


@tk.auth_allow_anonymous_access
def ldeco_dictionary_read(context: types.Context, data_dict: types.DataDict) -> types.AuthResult:
    return {"success": True, "msg": ""}


def ldeco_pack_import(context: types.Context, data_dict: types.DataDict) -> types.AuthResult:
    user = context.get("auth_user_obj")
    if user is not None and getattr(user, "id", None) and stewards.is_steward(user.id):
        return {"success": True, "msg": ""}
    return {"success": False, "msg": tk._("Only sysadmins and dictionary stewards may import dictionary packs")}


def ldeco_steward_manage(context: types.Context, data_dict: types.DataDict) -> types.AuthResult:
    # sysadmins never reach this function: CKAN lets them through first
    return {"success": False, "msg": tk._("Only sysadmins may name dictionary stewards")}


@tk.auth_allow_anonymous_access
def ldeco_quality_show(context: types.Context, data_dict: types.DataDict) -> types.AuthResult:
    return _delegate("resource_show", context, {"id": data_dict.get("id")})


def ldeco_quality_check(context: types.Context, data_dict: types.DataDict) -> types.AuthResult:
    return _delegate("resource_update", context, {"id": data_dict.get("id")})


def _delegate(auth: str, context: types.Context, data_dict: types.DataDict) -> types.AuthResult:
    try:
        tk.check_access(auth, {"user": context.get("user"), "model": context.get("model")}, data_dict)
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("You may not see or check this resource")}
    except tk.ObjectNotFound:
        return {"success": False, "msg": tk._("No such resource")}
    return {"success": True, "msg": ""}


def get_auth_functions() -> dict[str, types.AuthFunction]:
    return {
        "ldeco_quality_show": ldeco_quality_show,
        "ldeco_quality_check": ldeco_quality_check,
        "ldeco_concept_list": ldeco_dictionary_read,
        "ldeco_concept_show": ldeco_dictionary_read,
        "ldeco_code_list_show": ldeco_dictionary_read,
        "ldeco_pack_list": ldeco_dictionary_read,
        "ldeco_pack_export": ldeco_dictionary_read,
        "ldeco_pack_import": ldeco_pack_import,
        "ldeco_steward_grant": ldeco_steward_manage,
        "ldeco_steward_revoke": ldeco_steward_manage,
        "ldeco_steward_list": ldeco_steward_manage,
    }
