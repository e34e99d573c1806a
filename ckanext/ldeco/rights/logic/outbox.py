"""The outbox of notices, as sysadmins read it: whether mail is being sent,
and each message with its delivery state. Its own module so that the
workflow's actions stay free of the mail plumbing."""

from __future__ import annotations

from typing import Any

import ckan.model as model  # the toolkit has no door to plain row lookups
import ckan.plugins.toolkit as tk
from ckan import types

from ckanext.ldeco import inputs
from ckanext.ldeco.inputs import default, ldeco_int_between
from ckanext.ldeco.rights import model as m
from ckanext.ldeco.rights import notify

__all__ = ["get_actions", "get_auth_functions"]

STATES = ("pending", "sent", "failed")


@tk.validator_args
def outbox_list_schema(ignore_missing: types.Validator, one_of: types.ValidatorFactory) -> types.Schema:
    return {
        "state": [ignore_missing, one_of(list(STATES))],
        "limit": [default(100), ldeco_int_between(1, 1000)],
    }


@tk.side_effect_free
@inputs.action(outbox_list_schema)
def ldeco_outbox_list(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """The outbox (sysadmins). In: state (pending | sent | failed, optional),
    limit (default 100, at most 1000). Out: mail {server, sending, reason},
    counts by state, and the newest messages with recipient, subject, body,
    state, attempts, last_error, created and sent."""
    state = data_dict.get("state") or None
    limit = data_dict["limit"]
    q = model.Session.query(m.OutboxMessage, model.User).outerjoin(
        model.User, model.User.id == m.OutboxMessage.user_id
    )
    if state:
        q = q.filter(m.OutboxMessage.state == state)
    messages = []
    for row, user in q.order_by(m.OutboxMessage.created.desc()).limit(limit):
        out = row.dictize()
        out["recipient"] = user.display_name if user else row.user_id
        out["email"] = user.email if user else None
        messages.append(out)
    return {"mail": notify.mail_status(fresh=True), "counts": notify.outbox_counts(), "messages": messages}


def _sysadmins_only(context: types.Context, data_dict: types.DataDict) -> types.AuthResult:
    # sysadmins pass every auth function before it is called
    return {"success": False, "msg": tk._("Only sysadmins may read the outbox")}


def get_actions() -> dict[str, Any]:
    return {"ldeco_outbox_list": ldeco_outbox_list}


def get_auth_functions() -> dict[str, Any]:
    return {"ldeco_outbox_list": _sysadmins_only}
