"""Template helpers of the thread: cheap, never raise."""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.ldeco.thread.roles import ROLES, layer_label

__all__ = ["ldeco_thread", "ldeco_thread_role_choices", "ldeco_thread_roles"]

log = logging.getLogger(__name__)


def ldeco_thread(name: str) -> dict[str, Any] | None:
    """The thread through a dataset as the current user may see it, each
    dataset next to it tagged with how it relates; None when there is no link."""
    user = tk.current_user
    context = {"user": user.name if user.is_authenticated else "", "auth_user_obj": user}
    try:
        thread = tk.get_action("ldeco_thread_show")(context, {"id": name})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None
    except Exception:  # a page must render without its thread (e.g. the index is down)
        log.exception("thread of %s could not be read", name)
        return None
    if not thread["links"]:
        return None
    tags: dict[str, list[str]] = {}
    for link in thread["links"]:
        role = ROLES[link["role"]]
        if link["to"] == thread["dataset"]:
            tags.setdefault(link["from"], []).append(role.tag(holds_link=True))
        elif link["from"] == thread["dataset"]:
            tags.setdefault(link["to"], []).append(role.tag(holds_link=False))
    thread["tags"] = tags
    return thread


def ldeco_thread_role_choices(field: dict[str, Any]) -> list[dict[str, str]]:
    """The kinds of link, for the dataset form's select."""
    return [{"value": role.name, "label": role.label} for role in ROLES.values()]


def ldeco_thread_roles() -> list[dict[str, Any]]:
    """Every kind of link with the layers it joins, for the roles page."""
    return [{"name": role.name, "label": role.label, "inverse_label": role.inverse_label,
             "description": role.description,
             "from": [layer_label(x) for x in role.source_layers],
             "to": [layer_label(x) for x in role.target_layers]} for role in ROLES.values()]
