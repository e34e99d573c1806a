"""Email notices of the access-request workflow through CKAN's mailer.

A notice is a courtesy, never a condition: when no mail server answers, the
request is already stored and the failure is logged (the stored outbox with
retries is still to come).
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.model as model  # the toolkit has no door to member lookups
import ckan.plugins.toolkit as tk
from ckan.lib import mailer

__all__ = ["request_submitted", "request_decided"]

log = logging.getLogger(__name__)


def _send(user: model.User, subject: str, body: str) -> bool:
    if not user or not user.email or not tk.config.get("smtp.server"):
        return False
    try:
        mailer.mail_recipient(user.display_name, user.email, subject, body)
        return True
    except Exception as err:  # any mail failure must leave the workflow standing
        log.warning("access-request notice to %s not sent: %s", user.name, err)
        return False


def _request_url(request: dict[str, Any]) -> str:
    return tk.url_for("ldeco_rights.request_read", id=request["id"], _external=True)


def request_submitted(request: dict[str, Any]) -> int:
    """Tell the publisher's admins and editors a request waits for them."""
    members = (
        model.Session.query(model.Member)
        .filter(
            model.Member.group_id == request["publisher_id"],
            model.Member.table_name == "user",
            model.Member.state == "active",
            model.Member.capacity.in_(["admin", "editor"]),
        )
        .all()
    )
    subject = tk._("Access request for {title}").format(title=request["dataset_title"])
    body = tk._("{user} asks for access to {title} as {role} for {purpose}.\n\nDecide here: {url}").format(
        user=request["user_name"],
        title=request["dataset_title"],
        role=request["role"],
        purpose=request["purpose"],
        url=_request_url(request),
    )
    return sum(_send(model.User.get(mb.table_id), subject, body) for mb in members)


def request_decided(request: dict[str, Any]) -> int:
    """Tell the requester what was decided."""
    subject = tk._("Your access request for {title}: {state}").format(
        title=request["dataset_title"], state=request["state"].replace("_", " ")
    )
    body = tk._("Decision: {state}\nReason: {reason}\n\nSee it here: {url}").format(
        state=request["state"].replace("_", " "),
        reason=request.get("decision_reason") or "",
        url=_request_url(request),
    )
    return int(_send(model.User.get(request["user_id"]), subject, body))
