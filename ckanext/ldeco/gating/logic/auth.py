"""Auth: the one decision point, and the DataStore's doors chained to it."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import flask
from ckan import types

from ckanext.ldeco.gating import service

__all__ = ["get_auth_functions"]


@tk.auth_allow_anonymous_access
def ldeco_resource_access(context: types.Context, data_dict: types.DataDict) -> types.AuthResult:
    """May this user, now, read this resource's data? (`id`: resource id)

    Optionally, which of it: `data_items` (a list) asks for those items,
    `whole` (true) for every item, as a derived view that cannot be cut down
    to some columns needs. Without either, any access at all will do."""
    resource_id = data_dict.get("id") or data_dict.get("resource_id")
    if not resource_id or not isinstance(resource_id, str):
        return {"success": False, "msg": tk._("Missing value: id")}
    items = data_dict.get("data_items")
    if items is not None and not (isinstance(items, list) and all(isinstance(i, str) for i in items)):
        return {"success": False, "msg": tk._("data_items must be a list of names")}
    try:
        # core's dataset visibility first, then ours (gating.service.decide_for)
        decision = service.decision_in(context, resource_id)
    except tk.ObjectNotFound:
        return {"success": False, "msg": tk._("Resource not found")}
    if not decision.allowed or decision.items is None:
        return {"success": decision.allowed, "msg": decision.reason}
    if tk.asbool(data_dict.get("whole", False)):
        return {"success": False, "msg": tk._("Your grant covers only some data items of this resource")}
    outside = [i for i in items or [] if i not in decision.items]
    if outside:
        return {"success": False, "msg": tk._("Your grant does not cover: {fields}").format(
            fields=", ".join(outside))}
    return {"success": True, "msg": decision.reason}


def _gated(next_auth, context: types.Context, data_dict: types.DataDict, channel: str) -> types.AuthResult:
    result = next_auth(context, data_dict)  # core's rule first: the dataset must be visible at all
    if not result.get("success"):
        return result
    resource_id = data_dict.get("resource_id") or data_dict.get("id")
    if not resource_id or not isinstance(resource_id, str):
        return result
    try:
        decision, pkg, res = service.authorise(context, resource_id)
    except tk.ObjectNotFound:
        return result  # core answers not-found itself
    # a dump's pages are searches; the dump view names the access it serves
    if flask.has_request_context():
        channel = flask.request.environ.get("ldeco.channel") or channel
    service.record(channel, decision, pkg, res, context)
    return {"success": decision.allowed, "msg": decision.reason}


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search(next_auth, context, data_dict):
    return _gated(next_auth, context, data_dict, "datastore_search")


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_info(next_auth, context, data_dict):
    return _gated(next_auth, context, data_dict, "datastore_info")


@tk.chained_auth_function
def datastore_search_sql(next_auth, context, data_dict):
    # SQL search stays off; if a portal switches it on, it must not reach
    # restricted tables, which a SQL text cannot be checked for here.
    return {"success": False, "msg": tk._("SQL search is not available in this ecosystem")}


def get_auth_functions() -> dict:
    return {
        "ldeco_resource_access": ldeco_resource_access,
        "datastore_search": datastore_search,
        "datastore_info": datastore_info,
        "datastore_search_sql": datastore_search_sql,
    }
