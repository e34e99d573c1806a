"""The one decision point: may this user, now, read this resource, and which
data items? Every channel (downloads, DataStore, API, search, DCAT, activity)
asks here and nowhere else."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import ckan.authz as authz  # is_sysadmin has no toolkit door
import ckan.plugins.toolkit as tk

OPEN = "open"
RESTRICTED = "restricted"
LEVELS = (OPEN, RESTRICTED)

__all__ = ["Decision", "decide", "effective_level", "may_edit", "register_grant_finder", "OPEN",
           "RESTRICTED", "LEVELS"]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    # None means every data item; a list means only those columns
    items: Optional[list[str]] = None
    grant: Optional[dict[str, Any]] = None
    basis: str = ""  # open | editor | grant | none
    extra: dict[str, Any] = field(default_factory=dict)


def effective_level(pkg: dict[str, Any], res: Optional[dict[str, Any]] = None) -> str:
    """A resource may override its dataset; a dataset defaults to open."""
    if res and res.get("access_level") in LEVELS:
        return res["access_level"]
    level = pkg.get("access_level")
    return level if level in LEVELS else OPEN


def may_edit(user_name: Optional[str], pkg: dict[str, Any]) -> bool:
    """Publishers (whoever may update the dataset) always see the real data."""
    if not user_name:
        return False
    if authz.is_sysadmin(user_name):
        return True
    try:
        return tk.check_access("package_update", {"user": user_name}, {"id": pkg["id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False


# Grants live in the rights capability; it registers how to find the current
# one. (user_id, package, resource, now) -> (grant dict or None, refusal reason)
GrantFinder = Callable[[str, dict[str, Any], dict[str, Any], dt.datetime],
                       "tuple[Optional[dict[str, Any]], str]"]
_grant_finders: list[GrantFinder] = []


def register_grant_finder(finder: GrantFinder) -> None:
    if finder not in _grant_finders:
        _grant_finders.append(finder)


def decide(user: Optional[Any], pkg: dict[str, Any], res: dict[str, Any],
           now: Optional[dt.datetime] = None) -> Decision:
    """user is a model.User (or None for anonymous)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    if effective_level(pkg, res) == OPEN:
        return Decision(True, tk._("Open data"), basis="open")
    user_name = getattr(user, "name", None)
    if may_edit(user_name, pkg):
        return Decision(True, tk._("You publish this dataset"), basis="editor")
    if not user_name:
        return Decision(False, tk._("This resource is restricted: sign in and request access to use it."),
                        basis="none")
    reason = tk._("This resource is restricted and you hold no grant for it: request access.")
    for finder in _grant_finders:
        grant, why = finder(user.id, pkg, res, now)
        if grant:
            items = grant.get("data_items") or None
            return Decision(True, tk._("Granted"), items=items, grant=grant, basis="grant")
        if why:
            reason = why
    return Decision(False, reason, basis="none")
