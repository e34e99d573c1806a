"""The rights handshake as a pure evaluation.

"A person is empowered by their organisation to act in a role that has a
right to a set of data items for a purpose, and agrees to the terms by which
the data is to be used and handled."

`evaluate` takes plain facts gathered by the action (no database, no
request), and returns every element as met or not met with a reason, so the
API, the request page and the decision queue show the same answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["Facts", "evaluate", "grant_expiry", "items_outside", "ELEMENTS"]

# element keys, in the order the handshake is read out
ELEMENTS = ("empowerment", "role", "gateway", "accreditations", "data_items", "terms")


@dataclass
class Facts:
    today: dt.date
    start_date: dt.date
    end_date: dt.date
    purpose: str
    gateway: dict[str, Any] | None
    empowerment: dict[str, Any] | None  # the requester's chosen empowerment
    requester_kind: str | None  # agency kind of the empowering organisation
    publisher_kind: str | None  # agency kind of the dataset's publisher
    schedule: dict[str, Any] | None
    accreditations_held: list[dict[str, Any]] = field(default_factory=list)
    data_items: list[str] = field(default_factory=list)
    terms_accepted: bool = False
    terms_version: str | None = None


def _d(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _expired(value: Any, today: dt.date) -> bool:
    end = _d(value)
    return end is not None and end < today


def _element(key: str, label: str, met: bool, reason: str) -> dict[str, Any]:
    return {"key": key, "label": label, "met": met, "reason": reason}


def _empowerment(f: Facts) -> dict[str, Any]:
    label = tk._("Empowered by your organisation")
    e = f.empowerment
    if not e:
        return _element("empowerment", label, False, tk._("You hold no empowerment to act in a role."))
    if e.get("state") != "active":
        return _element(
            "empowerment",
            label,
            False,
            tk._("Your empowerment as {role} was withdrawn.").format(role=e["role"]),
        )
    start, end = _d(e["start_date"]), _d(e.get("end_date"))
    if start and start > f.today:
        return _element(
            "empowerment",
            label,
            False,
            tk._("Your empowerment starts on {date}.").format(date=start.isoformat()),
        )
    if end and end < f.today:
        return _element(
            "empowerment",
            label,
            False,
            tk._("Your empowerment ended on {date}.").format(date=end.isoformat()),
        )
    return _element(
        "empowerment",
        label,
        True,
        tk._("Empowered as {role}{until}.").format(
            role=e["role"], until=tk._(" until {date}").format(date=end.isoformat()) if end else ""
        ),
    )


def _role(f: Facts) -> dict[str, Any]:
    label = tk._("Role allowed for this purpose and gateway")
    s = f.schedule
    if not s:
        return _element(
            "role", label, False, tk._("The dataset has no data protection schedule, so no role may use it.")
        )
    role = (f.empowerment or {}).get("role")
    gateway = (f.gateway or {}).get("name")
    problems = []
    if role not in s["roles"]:
        problems.append(
            tk._("the role {role} is not among the schedule's roles ({allowed})").format(
                role=role or "—", allowed=", ".join(s["roles"]) or "—"
            )
        )
    if f.purpose not in s["purposes"]:
        problems.append(
            tk._("the purpose {purpose} is not among the schedule's purposes ({allowed})").format(
                purpose=f.purpose, allowed=", ".join(s["purposes"]) or "—"
            )
        )
    if gateway not in s["gateways"]:
        problems.append(
            tk._("the gateway {gateway} is not among the schedule's gateways ({allowed})").format(
                gateway=gateway or "—", allowed=", ".join(s["gateways"]) or "—"
            )
        )
    if problems:
        return _element("role", label, False, "; ".join(problems).capitalize() + ".")
    return _element(
        "role",
        label,
        True,
        tk._("The schedule {schedule} allows {role} to use the data for {purpose} under {gateway}.").format(
            schedule=s["name"], role=role, purpose=f.purpose, gateway=gateway
        ),
    )


def _gateway(f: Facts) -> dict[str, Any]:
    label = tk._("Gateway lets the publisher disclose to your organisation")
    g = f.gateway
    if not g:
        return _element("gateway", label, False, tk._("No legal gateway chosen."))
    problems = []
    if f.publisher_kind not in g["disclosers"]:
        problems.append(
            tk._("{gateway} does not let a {kind} body disclose (it names: {allowed})").format(
                gateway=g["title"],
                kind=f.publisher_kind or tk._("unclassified"),
                allowed=", ".join(g["disclosers"]) or "—",
            )
        )
    if f.requester_kind not in g["recipients"]:
        problems.append(
            tk._("{gateway} does not let a {kind} body receive (it names: {allowed})").format(
                gateway=g["title"],
                kind=f.requester_kind or tk._("unclassified"),
                allowed=", ".join(g["recipients"]) or "—",
            )
        )
    if problems:
        return _element("gateway", label, False, "; ".join(problems) + ".")
    return _element(
        "gateway",
        label,
        True,
        tk._("{gateway} lets a {discloser} body disclose to a {recipient} body.").format(
            gateway=g["title"], discloser=f.publisher_kind, recipient=f.requester_kind
        ),
    )


def _accreditations(f: Facts) -> dict[str, Any]:
    label = tk._("Accreditations held and unexpired")
    required = (f.schedule or {}).get("accreditations") or []
    if not required:
        return _element("accreditations", label, True, tk._("The schedule requires no accreditation."))
    missing, expired = [], []
    for name in required:
        held = [a for a in f.accreditations_held if a["accreditation"] == name]
        if not held:
            missing.append(name)
        elif all(_expired(a.get("expires"), f.today) for a in held):
            expired.append(name)
    if missing or expired:
        parts = []
        if missing:
            parts.append(tk._("not held: {names}").format(names=", ".join(missing)))
        if expired:
            parts.append(tk._("expired: {names}").format(names=", ".join(expired)))
        return _element("accreditations", label, False, ("; ".join(parts)).capitalize() + ".")
    return _element("accreditations", label, True, tk._("Held: {names}.").format(names=", ".join(required)))


def items_outside(items: list[str], schedule: dict[str, Any] | None) -> str:
    """Why items fall outside the published schedule ("" when none does).
    The schedule is the only yardstick: the same words whether or not the
    table has such a column, so the answer tells nothing of the table."""
    allowed = (schedule or {}).get("data_items") or []
    outside = [i for i in items if i not in allowed]
    if not outside:
        return ""
    return tk._("Not in the schedule: {items} (it allows: {allowed}).").format(
        items=", ".join(outside), allowed=", ".join(allowed) or "—"
    )


def _items(f: Facts) -> dict[str, Any]:
    label = tk._("Data items within the schedule")
    if not f.data_items:
        return _element("data_items", label, False, tk._("No data items chosen."))
    outside = items_outside(f.data_items, f.schedule)
    if outside:
        return _element("data_items", label, False, outside)
    return _element(
        "data_items", label, True, tk._("All {n} items are within the schedule.").format(n=len(f.data_items))
    )


def _terms(f: Facts) -> dict[str, Any]:
    label = tk._("Terms accepted")
    s = f.schedule
    if not s:
        return _element("terms", label, False, tk._("There are no terms to accept without a schedule."))
    if not f.terms_accepted:
        return _element(
            "terms",
            label,
            False,
            tk._("Read and accept the terms (version {version}).").format(version=s["terms_version"]),
        )
    if f.terms_version and f.terms_version != s["terms_version"]:
        return _element(
            "terms",
            label,
            False,
            tk._("You accepted version {old}; the terms are now version {new}.").format(
                old=f.terms_version, new=s["terms_version"]
            ),
        )
    return _element(
        "terms", label, True, tk._("Version {version} accepted.").format(version=s["terms_version"])
    )


def evaluate(facts: Facts) -> dict[str, Any]:
    elements = [
        _empowerment(facts),
        _role(facts),
        _gateway(facts),
        _accreditations(facts),
        _items(facts),
        _terms(facts),
    ]
    return {
        "elements": elements,
        "all_met": all(e["met"] for e in elements),
        "expiry": grant_expiry(facts).isoformat() if facts.schedule else None,
    }


def grant_expiry(f: Facts) -> dt.date:
    """The earliest of: the requested end, the schedule's maximum length, the
    required accreditations' expiry, and the empowerment's end."""
    candidates = [f.end_date]
    if f.schedule:
        candidates.append(f.start_date + dt.timedelta(days=int(f.schedule["max_grant_days"])))
        for name in f.schedule.get("accreditations") or []:
            ends = [_d(a.get("expires")) for a in f.accreditations_held if a["accreditation"] == name]
            dated = [e for e in ends if e is not None]
            if dated and len(dated) == len(ends):  # one without expiry never limits the grant
                candidates.append(max(dated))
    end = _d((f.empowerment or {}).get("end_date"))
    if end:
        candidates.append(end)
    return min(candidates)
