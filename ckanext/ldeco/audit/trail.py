"""What the rights workflow tells the audit trail: every request event,
decision and grant change, recorded in the same transaction as the change."""
from __future__ import annotations

from typing import Any

import ckan.model as model  # names of users and organisations; the toolkit has no door to the model

from ckanext.ldeco.audit import model as audit

__all__ = ["request_event", "grant_created", "grant_revoked"]


def _user_name(user_id: str | None) -> str | None:
    user = model.User.get(user_id) if user_id else None
    return user.name if user else user_id


def _org_name(org_id: str | None) -> str | None:
    org = model.Group.get(org_id) if org_id else None
    return org.name if org else org_id


def _common(row: Any) -> dict[str, Any]:
    return {"organisation": _org_name(row.organization_id), "role": row.role, "purpose": row.purpose,
            "gateway": row.gateway, "dataset_id": row.dataset_id}


def request_event(request: Any, to_state: str, actor_id: str, reason: str = "") -> None:
    audit.append(f"request.{to_state}", to_state, actor=_user_name(actor_id), in_session=True,
                 detail={"request_id": request.id, "from_state": request.state, "reason": reason,
                         "requester": _user_name(request.user_id), "data_items": request.data_items},
                 **_common(request))


def grant_created(grant: Any) -> None:
    model.Session.flush()  # the grant's id is given on insert
    audit.append("grant.created", "active", actor=_user_name(grant.user_id), grant_id=grant.id, in_session=True,
                 detail={"request_id": grant.request_id, "expiry": grant.expiry, "data_items": grant.data_items},
                 **_common(grant))


def grant_revoked(grant: Any, actor_id: str, reason: str) -> None:
    audit.append("grant.revoked", "revoked", actor=_user_name(actor_id), grant_id=grant.id, in_session=True,
                 detail={"reason": reason, "holder": _user_name(grant.user_id)}, **_common(grant))
