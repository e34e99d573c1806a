"""Actions: enforcement on the channels core leaves open, and the audit API."""
from __future__ import annotations

import copy
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import types
from ckan.logic import auth_audit_exempt  # the toolkit has no door to it

from ckanext.ldeco.gating import door, service
from ckanext.ldeco.gating import model as audit
from ckanext.ldeco.gating.decision import may_edit
from ckanext.ldeco.gating.redact import redact_package

__all__ = ["get_actions"]


def _user(context: types.Context) -> str | None:
    return context.get("user") or None


# ---- package_show: never from the index's copy ----------------------------

@tk.chained_action
@tk.side_effect_free
def package_show(next_: types.Action, context: types.Context, data_dict: types.DataDict):
    # The index stores datasets with restricted links redacted; core would
    # serve that copy to update flows (resource_create reads through
    # package_show) and write the redaction back over the real link.
    context["use_cache"] = False
    return next_(context, data_dict)


# ---- resource_search: runs no plugin hooks, so it is redacted here --------

@tk.chained_action
@tk.side_effect_free
def resource_search(next_: types.Action, context: types.Context, data_dict: types.DataDict):
    result = next_(context, data_dict)
    packages: dict[str, dict[str, Any]] = {}
    for res in result.get("results", []):
        pkg_id = res.get("package_id")
        if pkg_id not in packages:
            try:
                packages[pkg_id], _ = service.load(res["id"])
            except tk.ObjectNotFound:
                continue
        pkg = packages[pkg_id]
        if may_edit(_user(context), pkg):
            continue
        shell = {**pkg, "resources": [res]}
        redact_package(shell)
    return result


# ---- DataStore: one door, only the granted data items --------------------

# Core exempts its DataStore actions from the auth audit (plugins' actions
# are), and searches _table_metadata without an auth check on purpose; a
# chained action must keep that, or the listing answers 500. Every other
# table is still checked: core's datastore_search calls check_access.
@auth_audit_exempt
@tk.chained_action
@tk.side_effect_free
def datastore_search(next_: types.Action, context: types.Context, data_dict: types.DataDict):
    if context.get("ignore_auth"):
        return next_(context, data_dict)  # internal callers are trusted
    door.checked(data_dict)
    asked = data_dict.get("resource_id") or data_dict.get("id")
    if not asked or asked in door.OPEN_TABLES:
        return next_(context, data_dict)  # core reports a missing id, and lists its tables
    resource_id = asked
    try:
        decision = service.decision_in(context, resource_id)
    except tk.ObjectNotFound:
        # an alias is decided as its table, or a grantee reads through it unrebuilt
        alias_of = _alias_of(asked)
        if alias_of is None:
            return next_(context, data_dict)  # core answers not found
        resource_id = alias_of
        decision = service.decision_in(context, resource_id)
    if decision.allowed and decision.items is not None:
        data_dict = door.rebuilt(data_dict, decision.items, _columns(resource_id), resource_id)
    return next_(context, data_dict)


def _alias_of(name: str) -> str | None:
    """The table a DataStore alias names (None: not an alias)."""
    found = tk.get_action("datastore_search")({"ignore_auth": True}, {
        "resource_id": "_table_metadata", "filters": {"name": name}, "fields": ["alias_of"],
        "include_total": False})["records"]
    return found[0]["alias_of"] if found and found[0]["alias_of"] else None


def _columns(resource_id: str) -> dict[str, str]:
    """The table's columns (name to type, in order, without _id)."""
    fields = tk.get_action("datastore_search")({"ignore_auth": True}, {
        "resource_id": resource_id, "limit": 0, "include_total": False})["fields"]
    return {f["id"]: f["type"] for f in fields if f["id"] != "_id"}


@tk.chained_action
@tk.side_effect_free
def datastore_info(next_: types.Action, context: types.Context, data_dict: types.DataDict):
    if context.get("ignore_auth"):
        return next_(context, data_dict)
    door.checked_info(data_dict)
    result = next_(context, data_dict)
    # core has resolved an alias by now: meta.id is the table's own id
    resource_id = (result.get("meta") or {}).get("id") or data_dict.get("id") or data_dict.get("resource_id")
    decision = service.decision_in(context, resource_id)
    if decision.allowed and decision.items is not None:
        return door.info_for(result, decision.items)
    return result


# ---- activity: stored records hold whole dataset dicts ---------------------

def _redact_activity_data(context: types.Context, obj: Any, seen: dict[str, bool]) -> Any:
    if isinstance(obj, list):
        for item in obj:
            _redact_activity_data(context, item, seen)
    elif isinstance(obj, dict):
        pkg = obj.get("package")
        if isinstance(pkg, dict) and "resources" in pkg and pkg.get("id"):
            if pkg["id"] not in seen:
                seen[pkg["id"]] = may_edit(_user(context), pkg)
            if not seen[pkg["id"]]:
                redact_package(pkg)
        for value in obj.values():
            if isinstance(value, (dict, list)):
                _redact_activity_data(context, value, seen)
    return obj


def _activity_chain(name: str):
    @tk.chained_action
    @tk.side_effect_free
    def chained(next_: types.Action, context: types.Context, data_dict: types.DataDict):
        if name == "activity_show":
            # core's auth reads include_data unguarded (a 500 without it); its documented default
            data_dict = {**data_dict, "include_data": tk.asbool(data_dict.get("include_data", False))}
        return _redact_activity_data(context, next_(context, data_dict), {})

    chained.__name__ = name
    return chained


@tk.chained_action
@tk.side_effect_free
def activity_data_show(next_: types.Action, context: types.Context, data_dict: types.DataDict):
    result = next_(context, data_dict)
    # with object_type=package the answer is the dataset dict itself
    if isinstance(result, dict) and "resources" in result and result.get("id"):
        if not may_edit(_user(context), result):
            redact_package(result)
        return result
    return _redact_activity_data(context, result, {})


@tk.chained_action
@tk.side_effect_free
def activity_diff(next_: types.Action, context: types.Context, data_dict: types.DataDict):
    result = next_(context, data_dict)
    swap: dict[str, str] = {}
    for activity in result.get("activities", []):
        pkg = (activity.get("data") or {}).get("package")
        if isinstance(pkg, dict) and "resources" in pkg and not may_edit(_user(context), pkg):
            before = copy.deepcopy(pkg)
            redact_package(pkg)
            for old, new in zip(before["resources"], pkg["resources"], strict=True):
                if old.get("url") != new.get("url"):
                    swap[old["url"]] = new["url"]
    if swap and isinstance(result.get("diff"), str):
        for secret, gated in swap.items():
            result["diff"] = result["diff"].replace(secret, gated)
    return result


# ---- the audit API -------------------------------------------------------

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


def get_actions() -> dict[str, types.Action]:
    names = ("package_activity_list", "dashboard_activity_list", "organization_activity_list",
             "group_activity_list", "user_activity_list", "recently_changed_packages_activity_list",
             "activity_show")
    return {
        "package_show": package_show,
        "resource_search": resource_search,
        "datastore_search": datastore_search,
        "datastore_info": datastore_info,
        "activity_data_show": activity_data_show,
        "activity_diff": activity_diff,
        **{name: _activity_chain(name) for name in names},
        "ldeco_audit_list": ldeco_audit_list,
        "ldeco_audit_verify": ldeco_audit_verify,
    }
