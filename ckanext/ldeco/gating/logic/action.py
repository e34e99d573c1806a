"""Actions: enforcement on the channels core leaves open, and the audit API."""
from __future__ import annotations

import copy
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import types

from ckanext.ldeco import inputs
from ckanext.ldeco.gating import model as audit
from ckanext.ldeco.gating import service
from ckanext.ldeco.gating.decision import may_edit
from ckanext.ldeco.gating.logic import schema
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


# ---- DataStore: only the granted data items -------------------------------

@tk.chained_action
@tk.side_effect_free
def datastore_search(next_: types.Action, context: types.Context, data_dict: types.DataDict):
    if context.get("ignore_auth") or not data_dict.get("resource_id"):
        return next_(context, data_dict)  # internal callers are trusted; core reports a missing id
    try:
        decision = service.decision_in(context, data_dict["resource_id"])
    except tk.ObjectNotFound:
        return next_(context, data_dict)
    if decision.allowed and decision.items is not None:
        granted = set(decision.items) | {"_id"}
        asked = data_dict.get("fields")
        if isinstance(asked, str):
            asked = [f.strip() for f in asked.split(",") if f.strip()]
        if asked:
            refused = [f for f in asked if f not in granted]
            if refused:
                raise tk.ValidationError({"fields": [tk._("Your grant does not cover: {fields}").format(
                    fields=", ".join(refused))]})
        else:
            data_dict["fields"] = [f for f in _table_fields(data_dict["resource_id"]) if f in granted]
        _refuse_ungranted_criteria(data_dict, granted)
    return next_(context, data_dict)


def _refuse_ungranted_criteria(data_dict: types.DataDict, granted: set[str]) -> None:
    """Filters, sorts and searches on items outside the grant would reveal
    their values row by row, so they are refused, naming the items."""
    named: list[str] = []
    filters = data_dict.get("filters")
    if isinstance(filters, dict):
        named += list(filters)
    q = data_dict.get("q")
    if isinstance(q, dict):
        named += list(q)
    elif q:
        raise tk.ValidationError({"q": [tk._(
            "Full-text search reaches every column; with a grant for some data items, "
            "search named columns instead (q as a mapping of column to text)")]})
    sort = data_dict.get("sort")
    if isinstance(sort, str):
        named += [part.strip().split(" ")[0].strip('"') for part in sort.split(",") if part.strip()]
    outside = sorted({n for n in named if n not in granted})
    if outside:
        raise tk.ValidationError({"fields": [tk._("Your grant does not cover: {fields}").format(
            fields=", ".join(outside))]})


def _table_fields(resource_id: str) -> list[str]:
    info = tk.get_action("datastore_info")({"ignore_auth": True}, {"id": resource_id})
    return ["_id", *[f["id"] for f in info.get("fields", [])]]


@tk.chained_action
@tk.side_effect_free
def datastore_info(next_: types.Action, context: types.Context, data_dict: types.DataDict):
    result = next_(context, data_dict)
    resource_id = data_dict.get("id") or data_dict.get("resource_id")
    decision = None if context.get("ignore_auth") or not resource_id else service.decision_in(context, resource_id)
    if decision is not None and decision.items is not None:
        granted = set(decision.items)
        result["fields"] = [f for f in result.get("fields", []) if f["id"] in granted]
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
