"""Decisions for a resource id, with the audit record that goes with them."""
from __future__ import annotations

import contextvars
import json
from typing import Any

import ckan.model as model  # resource lookups by id; the toolkit has no door to the model
import ckan.plugins.toolkit as tk
import flask
import sqlalchemy as sa

from ckanext.ldeco.audit import model as audit
from ckanext.ldeco.gating.decision import OPEN, Decision, decide, effective_level

__all__ = ["load", "authorise", "decide_for", "decision_in", "record"]


# Written out: this runs on every download and DataStore read, and core's
# JSON column type keeps SQLAlchemy from caching the compiled statement.
_LOAD = sa.text("""
    SELECT r.id, r.name, r.url, r.url_type, r.mimetype, r.extras, r.state,
           p.id AS pkg_id, p.name AS pkg_name, p.title, p.type, p.owner_org, p.private,
           p.state AS pkg_state,
           (SELECT e.value FROM package_extra e
             WHERE e.package_id = p.id AND e.key = 'access_level' AND e.state = 'active'
             LIMIT 1) AS access_level,
           s.url AS secret_url
      FROM resource r JOIN package p ON p.id = r.package_id
      LEFT JOIN ldeco_resource_secret s ON s.resource_id = r.id
     WHERE r.id = :id""")


def load(resource_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a decision needs of a resource and its dataset, read straight from
    the stored rows in one statement (cheap enough for every download). The
    resource's dict carries what core stores as ``stored_url`` (a file name,
    an open link, or a restricted link's gated route) and, for a restricted
    link, the real one from ldeco's table as ``secret_url``."""
    row = model.Session.execute(_LOAD, {"id": resource_id}).first()
    if row is None or row.state == "deleted" or row.pkg_state == "deleted":
        raise tk.ObjectNotFound(tk._("Resource not found"))
    pkg_dict = {"id": row.pkg_id, "name": row.pkg_name, "title": row.title, "type": row.type,
                "owner_org": row.owner_org, "private": row.private, "access_level": row.access_level}
    extras = json.loads(row.extras) if row.extras else {}
    res_dict = {"id": row.id, "package_id": row.pkg_id, "name": row.name, "url_type": row.url_type,
                "mimetype": row.mimetype, "access_level": extras.get("access_level"),
                "datastore_active": bool(extras.get("datastore_active")), "stored_url": row.url,
                "secret_url": row.secret_url}
    return pkg_dict, res_dict


def _user_obj(context: dict[str, Any]) -> Any | None:
    user = context.get("auth_user_obj")
    if user is not None and getattr(user, "name", None):
        return user
    name = context.get("user")
    return model.User.get(name) if name else None


def _visible(context: dict[str, Any], pkg: dict[str, Any]) -> bool:
    """Core's rule (and any plugin's chained to it): may this user see the
    dataset at all? Asked before ours, so a private dataset's resources stay
    unknown to outsiders whatever their access level."""
    try:
        return tk.check_access("package_show", {"user": context.get("user") or "",
                                                "auth_user_obj": context.get("auth_user_obj")}, {"id": pkg["id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False


def decide_for(context: dict[str, Any], resource_id: str) -> tuple[Decision, dict, dict]:
    """The decision, made once per context: core's dataset visibility, then
    ours. Only the auth function ldeco_resource_access and what it is built
    on call this; channels ask through `authorise`."""
    cached = context.get("ldeco_access")
    if cached and cached[0] == resource_id:
        return cached[1], cached[2], cached[3]
    pkg, res = load(resource_id)
    if _visible(context, pkg):
        decision = decide(_user_obj(context), pkg, res)
    else:
        decision = Decision(False, tk._("Resource not found"), basis="hidden")
    context["ldeco_access"] = (resource_id, decision, pkg, res)
    return decision, pkg, res


def decision_in(context: dict[str, Any], resource_id: str) -> Decision:
    """The decision for this resource within one action call: made once, then
    shared between the action and the auth function that guards it."""
    return decide_for(context, resource_id)[0]


def authorise(context: dict[str, Any], resource_id: str) -> tuple[Decision, dict, dict]:
    """What every channel calls: the one auth function, asked through
    tk.check_access as any plugin's rule chained to it would be, and the
    decision it made (with the resource and dataset it read). Raises
    ObjectNotFound for a resource that does not exist."""
    try:
        tk.check_access("ldeco_resource_access", context, {"id": resource_id})
        refused_by = None
    except tk.NotAuthorized as err:
        refused_by = str(err)
    decision, pkg, res = decide_for(context, resource_id)
    if decision.allowed and refused_by is not None:
        # a rule chained onto ours (another plugin's) refused: it governs
        decision = Decision(False, refused_by or tk._("Not authorized to read this resource"), basis="rule")
    return decision, pkg, res


# What one access a person sees is made of, while a response is streamed
# after its view returned (core's dump pages) and so outside the request.
_STREAMING: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("ldeco_access", default=None)


def current_access() -> dict[str, Any] | None:
    """This request's access: the channel a view named for it (``channel``)
    and what has been audited of it (``seen``)."""
    if flask.has_request_context():
        return flask.request.environ.setdefault("ldeco.access", {"channel": None, "seen": set()})
    return _STREAMING.get()


def one_access(channel: str, response: Any) -> Any:
    """Make everything the response does, streamed pages included, one
    access of this channel: audited once."""
    access = current_access()
    if access is None or not hasattr(response, "response"):
        return response
    access["channel"] = channel
    pages = response.response

    def streamed():
        token = _STREAMING.set(access)
        try:
            yield from pages
        finally:
            _STREAMING.reset(token)

    response.response = streamed()
    return response


def _already_recorded(channel: str, decision: Decision, res: dict[str, Any]) -> bool:
    """One record per access a person sees: a dump's pages, and the auth
    checks core repeats within one request, are one access."""
    access = current_access()
    if access is None:
        return False
    key = (res["id"], decision.allowed)
    if key in access["seen"]:
        return True
    access["seen"].add(key)
    return False


def record(channel: str, decision: Decision, pkg: dict[str, Any], res: dict[str, Any],
           context: dict[str, Any], *, commit_session: bool = False, **detail: Any) -> None:
    """Audit a gated access or refusal; open data is not gated and not audited.

    The record is committed before the data is served: by default in a
    transaction of its own, so that it stands even if the caller's work is
    rolled back. A view whose session has only read may pass commit_session
    to append and commit in that session instead, which spares a connection
    check-out on every download."""
    if effective_level(pkg, res) == OPEN or _already_recorded(channel, decision, res):
        return
    user = _user_obj(context)
    grant = decision.grant or {}
    audit.append(
        f"access.{channel}", "allowed" if decision.allowed else "refused",
        actor=getattr(user, "name", None), organisation=grant.get("organisation"),
        role=grant.get("role"), purpose=grant.get("purpose"), gateway=grant.get("gateway"),
        dataset_id=pkg["id"], resource_id=res["id"], grant_id=grant.get("id"),
        detail={"basis": decision.basis, "reason": decision.reason, "items": decision.items, **detail},
        in_session=commit_session,
    )
    if commit_session:
        model.Session.commit()
