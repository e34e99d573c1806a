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


def signed_in_user(context: types.Context) -> model.User | None:
    """The signed-in user, or None. CKAN 2.11 hands anonymous callers an
    AnonymousUser object (empty name): present, but nobody."""
    user = context.get("auth_user_obj")
    if isinstance(user, model.User):
        return user
    name = _user(context)
    return model.User.get(name) if name else None


@tk.auth_allow_anonymous_access
def _register_read(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    return _ok()


def _register_write(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    return _ok() if _is_sysadmin(context) else _no(tk._("Only sysadmins may change the registers"))


def _publisher_of(dataset_id: str | None, organization_id: str | None) -> str | None:
    """The organisation that owns a schedule's target (a dataset's publisher, or the organisation)."""
    if dataset_id:
        dataset = model.Package.get(dataset_id)
        return dataset.owner_org if dataset is not None else None
    if organization_id:
        org = model.Group.get(organization_id)
        return org.id if org is not None and org.is_organization else None
    return None


def _keeps_schedules_of(context: types.Context, org_id: str | None) -> bool:
    return bool(org_id) and authz.has_user_permission_for_group_or_org(org_id, _user(context), "membership")


_SCHEDULE_KEEPERS = "Only the publisher's admins and sysadmins may keep its data protection schedules"


def ldeco_schedule_create(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    if _is_sysadmin(context):
        return _ok()
    org = _publisher_of(data_dict.get("dataset_id"), data_dict.get("organization_id"))
    return _ok() if _keeps_schedules_of(context, org) else _no(tk._(_SCHEDULE_KEEPERS))


def ldeco_schedule_update(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Both ends: the caller keeps the schedules of the publisher that owns the
    stored schedule, and, when the update names a new dataset or organisation,
    of the publisher that owns that one too."""
    if _is_sysadmin(context):
        return _ok()
    stored = m.Schedule.get(data_dict.get("id"))
    if stored is None:
        return _ok()  # the action answers "not found"
    if not _keeps_schedules_of(context, _publisher_of(stored.dataset_id, stored.organization_id)):
        return _no(tk._(_SCHEDULE_KEEPERS))
    if data_dict.get("dataset_id") or data_dict.get("organization_id"):
        new = _publisher_of(data_dict.get("dataset_id"), data_dict.get("organization_id"))
        if not _keeps_schedules_of(context, new):
            return _no(tk._("You may not move a schedule onto another publisher's dataset or organisation"))
    return _ok()


def ldeco_user_accreditation_create(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    return _ok() if _is_sysadmin(context) else _no(tk._("Only sysadmins may record accreditations"))


def ldeco_user_accreditation_list(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    if _is_sysadmin(context):
        return _ok()
    user = signed_in_user(context)
    if user is None:
        return _no(tk._("Sign in to see your accreditations"))
    wanted = data_dict.get("user_id")
    if not wanted or wanted in (user.id, user.name):
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
    return _ok() if signed_in_user(context) else _no(tk._("Sign in to see empowerments"))


def ldeco_signed_in(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    return _ok() if signed_in_user(context) else _no(tk._("Sign in to ask for access"))


def may_decide(context: types.Context, publisher_id: str) -> bool:
    return _is_sysadmin(context) or authz.has_user_permission_for_group_or_org(
        publisher_id, _user(context), "update_dataset"
    )


def ldeco_access_request_show(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    row = m.AccessRequest.get(data_dict.get("id"))
    user = signed_in_user(context)
    if row is None:
        return _ok()  # the action answers "not found"
    if user and (row.user_id == user.id or may_decide(context, row.publisher_id)):
        return _ok()
    return _no(tk._("Only the requester and the publisher may see this request"))


def ldeco_access_request_decide(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Both ends: the publisher the request was made to, and the dataset's
    publisher now (a dataset moved since is not decided by its old owner alone)."""
    row = m.AccessRequest.get(data_dict.get("id"))
    if row is None:
        return _ok()  # the action answers "not found"
    dataset = model.Package.get(row.dataset_id)
    publishers = {row.publisher_id} | ({dataset.owner_org} if dataset is not None and dataset.owner_org else set())
    if all(may_decide(context, p) for p in publishers):
        return _ok()
    return _no(tk._("Only the publisher's admins and editors may decide this request"))


def ldeco_access_request_withdraw(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    row = m.AccessRequest.get(data_dict.get("id"))
    user = signed_in_user(context)
    if row is None or (user and row.user_id == user.id):
        return _ok()
    return _no(tk._("Only the requester may withdraw a request"))


def ldeco_grant_revoke(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    row = m.Grant.get(data_dict.get("id"))
    if row is None:
        return _ok()  # the action answers "not found"
    dataset = model.Package.get(row.dataset_id)
    if dataset is not None and dataset.owner_org and may_decide(context, dataset.owner_org):
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
    me = signed_in_user(context)
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
        schedule = register == "schedule"
        auth[f"ldeco_{register}_create"] = ldeco_schedule_create if schedule else _register_write
        auth[f"ldeco_{register}_update"] = ldeco_schedule_update if schedule else _register_write
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
