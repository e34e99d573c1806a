"""Template helpers of gating: where the signed-in person stands with a
dataset's restricted data. Cheap, never raise, and never an access: a page
that says "you have access" reads no row, so nothing is audited."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.ldeco.gating import service
from ckanext.ldeco.gating.decision import Decision, effective_level
from ckanext.ldeco.rights.labels import Labels

__all__ = ["ldeco_my_access", "ldeco_resource_decision", "get_helpers"]

log = logging.getLogger(__name__)


def _name() -> str | None:
    return getattr(tk.current_user, "name", None) or None


def _decision(res: dict[str, Any]) -> Decision:
    # through the one door, as every channel asks: core's visibility, our rule, rules chained on it
    return service.authorise({"user": _name()}, res["id"])[0]


def ldeco_resource_decision(pkg_dict: dict[str, Any], res: dict[str, Any]) -> dict[str, Any] | None:
    """None for open data; else whether the person may read the resource now,
    and if not, why (the handshake's reason, with labels for codes)."""
    try:
        if effective_level(pkg_dict, res) != "restricted":
            return None
        d = _decision(res)
        return {"allowed": d.allowed, "basis": d.basis,
                "reason": Labels().relabel(d.reason, pkg_dict.get("id")), "signed_in": bool(_name())}
    except Exception:  # a helper must never break a page
        log.exception("resource decision for the page")
        return None


def ldeco_my_access(pkg_dict: dict[str, Any]) -> dict[str, Any] | None:
    """None when nothing of the dataset is restricted. Otherwise `state`:
    publisher (sees everything), granted (every restricted resource, every
    item), partial (some resources or some items) or none; `until`, the
    earliest expiry of the grants in use; `items`, the labels of the granted
    items when a grant covers only some."""
    try:
        restricted = [r for r in pkg_dict.get("resources") or [] if effective_level(pkg_dict, r) == "restricted"]
        if not restricted and effective_level(pkg_dict) != "restricted":
            return None
        if _name() is None:
            return {"state": "none", "signed_in": False}
        decisions: list[Decision] = [_decision(r) for r in restricted]
        if any(d.basis == "editor" for d in decisions):
            return {"state": "publisher", "signed_in": True}
        granted = [d for d in decisions if d.allowed and d.grant]
        if not granted:
            return {"state": "none", "signed_in": True}
        expiries = [dt.date.fromisoformat(str(g["expiry"])[:10]) for g in (d.grant or {} for d in granted)
                    if g.get("expiry")]
        partial_items = sorted({i for d in granted if d.items is not None for i in d.items})
        whole = len(granted) == len(decisions) and all(d.items is None for d in granted)
        return {"state": "granted" if whole else "partial", "signed_in": True,
                "until": min(expiries).isoformat() if expiries else None,
                "items": Labels().item_labels(pkg_dict.get("id"), partial_items) if partial_items else "",
                "resources": len(granted), "of": len(decisions)}
    except Exception:  # a helper must never break a page
        log.exception("access summary for the page")
        return None


def get_helpers() -> dict[str, Any]:
    return {"ldeco_my_access": ldeco_my_access, "ldeco_resource_decision": ldeco_resource_decision}
