"""Which grant, if any, lets a user read a resource now (grants are kept by
the rights capability; this is the read side the decision needs)."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import ckan.model as model  # the session is core's; the toolkit has no door to it
import ckan.plugins.toolkit as tk

from ckanext.ldeco.rights import model as rights_model
from ckanext.ldeco.rights.logic.action import lapse_reasons, schedule_for

__all__ = ["current_grant"]


def _covers(grant: rights_model.Grant, resource_id: str) -> bool:
    return not grant.resource_ids or resource_id in grant.resource_ids


def _partial_items(grant: rights_model.Grant,
                   schedule: Optional[rights_model.Schedule]) -> Optional[list[str]]:
    """None when the grant covers every item the schedule lists (the whole
    record), else the items it covers."""
    items = list(grant.data_items or [])
    every = set(schedule.data_items or []) if schedule else set()
    if not items or (every and every <= set(items)):
        return None
    return items


def current_grant(user_id: str, pkg: dict[str, Any], res: dict[str, Any],
                  on: dt.date) -> tuple[Optional[dict[str, Any]], str]:
    """(grant, "") when one holds; (None, why the newest one does not) otherwise."""
    grants = (model.Session.query(rights_model.Grant)
              .filter(rights_model.Grant.user_id == user_id, rights_model.Grant.dataset_id == pkg["id"])
              .order_by(rights_model.Grant.created.desc()).all())
    why = ""
    schedule: Any = None
    for grant in grants:
        if not _covers(grant, res["id"]):
            continue
        if schedule is None:  # looked up once, and only when a grant is there to test
            schedule = schedule_for({"id": pkg["id"], "owner_org": pkg.get("owner_org")}) or False
        reasons = lapse_reasons(grant, on, schedule=schedule or None)
        if not reasons:
            org = model.Group.get(grant.organization_id)
            return {"id": grant.id, "data_items": _partial_items(grant, schedule or None),
                    "organisation": org.name if org else grant.organization_id, "role": grant.role,
                    "purpose": grant.purpose, "gateway": grant.gateway,
                    "expiry": grant.expiry.isoformat()}, ""
        if not why:
            why = tk._("Your grant for this data no longer holds: {reasons}.").format(reasons="; ".join(reasons))
    return None, why
