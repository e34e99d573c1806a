"""Who may do what with the rights capability. Registers are public metadata;
sysadmins keep them, publishers keep their own schedules and decide their own
requests, organisation admins empower their members."""

from __future__ import annotations

from typing import Any

import ckan.authz as authz  # the toolkit has no door to org permission checks
import ckan.model as model  # nor to plain row lookups
import ckan.plugins.toolkit as tk
from ckan import types

from ckanext.ldeco.rights import model as m

__all__ = ["get_auth_functions"]


def _ok() -> dict[str, Any]:
    return {"success": True}


def _no(msg: str) -> dict[str, Any]:
    return {"success": False, "msg": msg}


def _user(context: types.Context) -> str | None:
    return context.get("user") or None


def _is_sysadmin(context: types.Context) -> bool:
    return authz.is_sysadmin(_user(context))


@tk.auth_allow_anonymous_access
def _register_read(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    return _ok()


def _register_write(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    return _ok() if _is_sysadmin(context) else _no(tk._("Only sysadmins may change the registers"))


def _schedule_publisher(data_dict: types.DataDict) -> str | None:
    """The organisation that owns a schedule being written (by dataset or publisher)."""
    existing = m.Schedule.get(data_dict.get("id") or data_dict.get("name"))
    dataset = data_dict.get("dataset_id") or (existing.dataset_id if existing else None)
    if dataset:
        try:
            return tk.get_action("package_show")({"ignore_auth": True}, {"id": dataset}).get("owner_org")
        except tk.ObjectNotFound:
            return None
    org = data_dict.get("organization_id") or (existing.organization_id if existing else None)
    if org:
        try:
            return tk.get_action("organization_show")({"ignore_auth": True}, {"id": org})["id"]
        except tk.ObjectNotFound:
            return None
    return None


def ldeco_schedule_write(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    if _is_sysadmin(context):
        return _ok()
    org = _schedule_publisher(data_dict)
    if org and authz.has_user_permission_for_group_or_org(org, _user(context), "membership"):
        return _ok()
    return _no(tk._("Only the publisher's admins and sysadmins may keep its data protection schedules"))


def ldeco_user_accreditation_create(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    return _ok() if _is_sysadmin(context) else _no(tk._("Only sysadmins may record accreditations"))


def ldeco_user_accreditation_list(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    if _is_sysadmin(context):
        return _ok()
    user = context.get("auth_user_obj")
    wanted = data_dict.get("user_id")
    if user and (not wanted or wanted in (user.id, user.name)):
        return _ok()
    return _no(tk._("You may only list your own accreditations"))


def _org_admin(context: types.Context, org_id: str | None) -> bool:
    return bool(org_id) and authz.has_user_permission_for_group_or_org(org_id, _user(context), "membership")


def ldeco_empowerment_create(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    if _is_sysadmin(context) or _org_admin(context, data_dict.get("organization_id")):
        return _ok()
    return _no(tk._("Only the organisation's admins may empower its members"))


def ldeco_empowerment_withdraw(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    row = m.Empowerment.get(data_dict.get("id"))
    if _is_sysadmin(context) or (row and _org_admin(context, row.organization_id)):
        return _ok()
    return _no(tk._("Only the organisation's admins may withdraw an empowerment"))


def ldeco_empowerment_list(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    # a signed-in user sees their own; org admins their organisation's (filtered in the action)
    return _ok() if _user(context) else _no(tk._("Sign in to see empowerments"))


def ldeco_signed_in(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    return _ok() if context.get("auth_user_obj") else _no(tk._("Sign in to ask for access"))


def may_decide(context: types.Context, publisher_id: str) -> bool:
    return _is_sysadmin(context) or authz.has_user_permission_for_group_or_org(
        publisher_id, _user(context), "update_dataset"
    )


def ldeco_access_request_show(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    row = m.AccessRequest.get(data_dict.get("id"))
    user = context.get("auth_user_obj")
    if row is None:
        return _ok()  # the action answers "not found"
    if user and (row.user_id == user.id or may_decide(context, row.publisher_id)):
        return _ok()
    return _no(tk._("Only the requester and the publisher may see this request"))


def ldeco_access_request_decide(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    row = m.AccessRequest.get(data_dict.get("id"))
    if row is None or may_decide(context, row.publisher_id):
        return _ok()
    return _no(tk._("Only the publisher's admins and editors may decide this request"))


def ldeco_access_request_withdraw(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    row = m.AccessRequest.get(data_dict.get("id"))
    user = context.get("auth_user_obj")
    if row is None or (user and row.user_id == user.id):
        return _ok()
    return _no(tk._("Only the requester may withdraw a request"))


def ldeco_grant_revoke(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    row = m.Grant.get(data_dict.get("id"))
    if row is None:
        return _ok()
    publisher = tk.get_action("package_show")({"ignore_auth": True}, {"id": row.dataset_id})["owner_org"]
    if may_decide(context, publisher):
        return _ok()
    return _no(tk._("Only the publisher's admins and editors may revoke a grant"))


@tk.auth_allow_anonymous_access
def ldeco_odrl_offer_show(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    # an offer says what may be asked for: public like the dataset's
    # metadata; package_show, called as the user, keeps private ones unseen
    return _ok()


def ldeco_odrl_agreement_show(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    row = m.Grant.get(data_dict.get("id"))
    if row is None:
        return _ok()  # the action answers "not found"
    me = context.get("auth_user_obj")
    if me is None and _user(context):
        me = model.User.get(_user(context))
    if me is not None and me.id == row.user_id:
        return _ok()
    publisher = model.Package.get(row.dataset_id)
    if publisher is not None and may_decide(context, publisher.owner_org):
        return _ok()
    return _no(tk._("Only the grant's holder and the publisher may see its agreement"))


def get_auth_functions() -> dict[str, types.AuthFunction]:
    auth: dict[str, types.AuthFunction] = {}
    for register in m.REGISTERS:
        auth[f"ldeco_{register}_list"] = _register_read
        auth[f"ldeco_{register}_show"] = _register_read
        writer = ldeco_schedule_write if register == "schedule" else _register_write
        auth[f"ldeco_{register}_create"] = writer
        auth[f"ldeco_{register}_update"] = writer
    auth.update(
        {
            "ldeco_user_accreditation_create": ldeco_user_accreditation_create,
            "ldeco_user_accreditation_delete": ldeco_user_accreditation_create,
            "ldeco_user_accreditation_list": ldeco_user_accreditation_list,
            "ldeco_empowerment_create": ldeco_empowerment_create,
            "ldeco_empowerment_withdraw": ldeco_empowerment_withdraw,
            "ldeco_empowerment_list": ldeco_empowerment_list,
            "ldeco_handshake_evaluate": ldeco_signed_in,
            "ldeco_access_request_create": ldeco_signed_in,
            "ldeco_access_request_submit": ldeco_access_request_withdraw,
            "ldeco_access_request_list": ldeco_signed_in,
            "ldeco_access_request_show": ldeco_access_request_show,
            "ldeco_access_request_decide": ldeco_access_request_decide,
            "ldeco_access_request_withdraw": ldeco_access_request_withdraw,
            "ldeco_grant_list": ldeco_signed_in,
            "ldeco_grant_revoke": ldeco_grant_revoke,
            "ldeco_odrl_offer_show": ldeco_odrl_offer_show,
            "ldeco_odrl_agreement_show": ldeco_odrl_agreement_show,
        }
    )
    return auth
