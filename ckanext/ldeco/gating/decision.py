"""The one decision point: may this user, now, read this resource, and which
data items? Every channel (downloads, DataStore, API, search, DCAT, activity)
asks here and nowhere else."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ckan.authz as authz  # is_sysadmin has no toolkit door
import ckan.plugins.toolkit as tk

from ckanext.ldeco.gating.grants import current_grant
from ckanext.ldeco.rights.access import resource_level

OPEN = "open"
RESTRICTED = "restricted"

__all__ = ["Decision", "decide", "effective_level", "may_edit", "OPEN", "RESTRICTED"]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    # None means every data item; a list means only those columns
    items: list[str] | None = None
    grant: dict[str, Any] | None = None
    basis: str = ""  # open | editor | grant | none


def effective_level(pkg: dict[str, Any], res: dict[str, Any] | None = None) -> str:
    """A resource may override its dataset; a dataset defaults to open."""
    return resource_level(pkg, res or {})


def may_edit(user_name: str | None, pkg: dict[str, Any]) -> bool:
    """Publishers (whoever may update the dataset) always see the real data."""
    if not user_name:
        return False
    if authz.is_sysadmin(user_name):
        return True
    try:
        return tk.check_access("package_update", {"user": user_name}, {"id": pkg["id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False


def decide(user: Any | None, pkg: dict[str, Any], res: dict[str, Any],
           now: dt.datetime | None = None) -> Decision:
    """user is a model.User (or None for anonymous)."""
    if effective_level(pkg, res) == OPEN:
        return Decision(True, tk._("Open data"), basis="open")
    user_name = getattr(user, "name", None)
    if user is None or not user_name:
        return Decision(False, tk._("This resource is restricted: sign in and request access to use it."),
                        basis="none")
    if getattr(user, "sysadmin", False):
        return Decision(True, tk._("You publish this dataset"), basis="editor")
    today = (now or dt.datetime.now(dt.UTC)).date()
    # The grant first: one statement, and it settles the common case (an
    # officer using what was granted) without asking the authorisation chain
    # whether the caller may edit.
    grant, why = current_grant(user.id, pkg, res, today)
    if grant and grant["data_items"] is None:
        return Decision(True, tk._("Granted"), grant=grant, basis="grant")
    if may_edit(user_name, pkg):
        return Decision(True, tk._("You publish this dataset"), basis="editor")
    if grant:
        return Decision(True, tk._("Granted"), items=grant["data_items"], grant=grant, basis="grant")
    return Decision(False, why or tk._("This resource is restricted and you hold no grant for it: "
                                       "request access."), basis="none")
