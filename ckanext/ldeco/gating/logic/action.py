"""Actions: enforcement on the channels core leaves open."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import types
from ckan.logic import auth_audit_exempt  # the toolkit has no door to it

from ckanext.ldeco.gating import door, service
from ckanext.ldeco.inputs import refuse_bad_shapes

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


# ---- activity ---------------------------------------------------------------
# Stored activities hold whole dataset dicts, read for the site (ignore_auth)
# and so with restricted links as their gated routes only: nothing to redact.

@tk.chained_action
@tk.side_effect_free
def activity_show(next_: types.Action, context: types.Context, data_dict: types.DataDict):
    # core's auth reads include_data unguarded (a 500 without it); its documented default
    refuse_bad_shapes(data_dict, flags=("include_data",), texts=("id",))
    data_dict = {**data_dict, "include_data": tk.asbool(data_dict.get("include_data", False))}
    return next_(context, data_dict)


def get_actions() -> dict[str, types.Action]:
    return {
        "package_show": package_show,
        "datastore_search": datastore_search,
        "datastore_info": datastore_info,
        "activity_show": activity_show,
    }
