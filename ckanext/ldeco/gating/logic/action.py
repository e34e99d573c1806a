"""Actions: enforcement on the channels core leaves open."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import types

from ckanext.ldeco.gating import service

__all__ = ["get_actions"]


# ---- package_show: from the database ---------------------------------------

@tk.chained_action
@tk.side_effect_free
def package_show(next_: types.Action, context: types.Context, data_dict: types.DataDict):
    # Kept from before restricted links left core's table: the index's copy
    # of a dataset may lag a change made earlier in the same request, and the
    # database is what the secrets listener keeps right.
    context["use_cache"] = False
    return next_(context, data_dict)


# resource_search needs nothing of ours: core's resource.url holds a
# restricted link's gated route only, so neither its answers nor its `url:`
# filters can reach the real link (gating/secrets.py).


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


# ---- activity ---------------------------------------------------------------
# Stored activities hold whole dataset dicts, read for the site (ignore_auth)
# and so with restricted links as their gated routes only: nothing to redact.

@tk.chained_action
@tk.side_effect_free
def activity_show(next_: types.Action, context: types.Context, data_dict: types.DataDict):
    # core's auth reads include_data unguarded (a 500 without it); its documented default
    data_dict = {**data_dict, "include_data": tk.asbool(data_dict.get("include_data", False))}
    return next_(context, data_dict)


def get_actions() -> dict[str, types.Action]:
    return {
        "package_show": package_show,
        "datastore_search": datastore_search,
        "datastore_info": datastore_info,
        "activity_show": activity_show,
    }
