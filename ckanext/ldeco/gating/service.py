"""Decisions for a resource id, with the audit record that goes with them."""
from __future__ import annotations

from typing import Any, Optional

import ckan.model as model  # resource lookups by id; the toolkit has no door to the model
import ckan.plugins.toolkit as tk

from ckanext.ldeco.gating import model as audit
from ckanext.ldeco.gating.decision import OPEN, Decision, decide, effective_level

__all__ = ["load", "decide_for", "decision_in", "record"]


def load(resource_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a decision needs of a resource and its dataset, read straight from
    the stored rows (unredacted, and cheap enough for every download)."""
    res = model.Resource.get(resource_id)
    pkg = res.package if res is not None else None
    if res is None or res.state == "deleted" or pkg is None or pkg.state == "deleted":
        raise tk.ObjectNotFound(tk._("Resource not found"))
    pkg_dict = {"id": pkg.id, "name": pkg.name, "title": pkg.title, "type": pkg.type,
                "owner_org": pkg.owner_org, "private": pkg.private,
                "access_level": pkg.extras.get("access_level")}
    extras = res.extras or {}
    res_dict = {"id": res.id, "package_id": pkg.id, "name": res.name, "url_type": res.url_type,
                "mimetype": res.mimetype, "access_level": extras.get("access_level"),
                "datastore_active": bool(extras.get("datastore_active"))}
    return pkg_dict, res_dict


def _site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def _user_obj(context: dict[str, Any]) -> Optional[Any]:
    user = context.get("auth_user_obj")
    if user is not None and getattr(user, "name", None):
        return user
    name = context.get("user")
    return model.User.get(name) if name else None


def decide_for(context: dict[str, Any], resource_id: str) -> tuple[Decision, dict, dict]:
    pkg, res = load(resource_id)
    return decide(_user_obj(context), pkg, res), pkg, res


def decision_in(context: dict[str, Any], resource_id: str) -> Decision:
    """The decision for this resource within one action call: made once, then
    shared between the action and the auth function that guards it."""
    cached = context.get("ldeco_decision")
    if cached and cached[0] == resource_id:
        return cached[1]
    decision, _pkg, _res = decide_for(context, resource_id)
    context["ldeco_decision"] = (resource_id, decision)
    return decision


def record(channel: str, decision: Decision, pkg: dict[str, Any], res: dict[str, Any],
           context: dict[str, Any], **detail: Any) -> None:
    """Audit a gated access or refusal; open data is not gated and not audited."""
    if effective_level(pkg, res) == OPEN:
        return
    user = _user_obj(context)
    grant = decision.grant or {}
    audit.append(
        f"access.{channel}", "allowed" if decision.allowed else "refused",
        actor=getattr(user, "name", None), organisation=grant.get("organisation"),
        role=grant.get("role"), purpose=grant.get("purpose"), gateway=grant.get("gateway"),
        dataset_id=pkg["id"], resource_id=res["id"], grant_id=grant.get("id"),
        detail={"basis": decision.basis, "reason": decision.reason, "items": decision.items, **detail},
    )
