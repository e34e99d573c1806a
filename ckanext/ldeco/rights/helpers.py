"""Template helpers of the rights capability: cheap, pure, never raise."""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.ldeco.rights import access

__all__ = ["ldeco_has_restricted", "ldeco_resource_access_level", "ldeco_requests_to_decide",
           "ldeco_mail_sending", "get_helpers"]

log = logging.getLogger(__name__)


def ldeco_has_restricted(pkg_dict: dict[str, Any]) -> bool:
    """Whether the dataset or any of its resources is restricted."""
    try:
        return access.dataset_level(pkg_dict) == "restricted" or any(
            access.resource_level(pkg_dict, r) == "restricted" for r in pkg_dict.get("resources") or []
        )
    except Exception:  # a helper must never break a page
        return False


def ldeco_resource_access_level(pkg_dict: dict[str, Any], resource: dict[str, Any]) -> str:
    try:
        return access.resource_level(pkg_dict, resource)
    except Exception:
        return "open"


def ldeco_requests_to_decide() -> int | None:
    """How many submitted requests wait for the signed-in user's decision;
    None for someone who can decide none (not an admin or editor of any
    organisation, nor a sysadmin), so the page offers them no queue."""
    import ckan.model as model  # the toolkit has no door to plain row lookups

    from ckanext.ldeco.rights import model as m

    try:
        user = tk.current_user
        if user.is_anonymous:
            return None
        q = model.Session.query(m.AccessRequest).filter(m.AccessRequest.state == "submitted")
        if not user.sysadmin:
            orgs = tk.get_action("organization_list_for_user")(
                {"user": user.name}, {"id": user.id, "permission": "update_dataset"}
            )
            if not orgs:
                return None
            q = q.filter(m.AccessRequest.publisher_id.in_([o["id"] for o in orgs]))
        return q.count()
    except Exception:  # a helper must never break a page
        log.exception("requests to decide")
        return None


def ldeco_mail_sending() -> bool:
    """Whether notices are being mailed now (a mail server answers)."""
    from ckanext.ldeco.rights import notify

    try:
        return bool(notify.mail_status()["sending"])
    except Exception:
        log.exception("mail status")
        return False


def get_helpers() -> dict[str, Any]:
    return {
        "ldeco_has_restricted": ldeco_has_restricted,
        "ldeco_resource_access_level": ldeco_resource_access_level,
        "ldeco_requests_to_decide": ldeco_requests_to_decide,
        "ldeco_mail_sending": ldeco_mail_sending,
    }
