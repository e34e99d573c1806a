"""The rights half of the demo: registers, schedules, empowerments and
accreditations, so the handshake can be walked on a fresh portal.

Called by the demo loader with the `rights:` section of a demo file; safe to
run again (what exists is left alone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

import ckan.model as model  # the toolkit has no door to plain row lookups
import ckan.plugins.toolkit as tk

from ckanext.ldeco.rights import loader
from ckanext.ldeco.rights import model as m

__all__ = ["load"]


class _Report(Protocol):
    created: list[str]
    updated: list[str]
    unchanged: list[str]


def _context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _date(value: Any) -> str:
    """A date, or `today` / `today+N` / `today-N` (days) so the demo stays current."""
    text = str(value)
    if text.startswith("today"):
        days = int(text[5:] or 0)
        return (dt.date.today() + dt.timedelta(days=days)).isoformat()
    return text


def _user_id(name: str, where: str) -> str:
    user = model.User.get(name)
    if user is None:
        raise loader.LoadError(f"{where}: no such user {name}")
    return user.id


def load(section: dict[str, Any] | None, report: _Report, progress: Callable[[str], None]) -> None:
    section = section or {}
    seeded = loader.seed(progress)
    schedules = loader.Report()
    loader.load_entries("schedule", section.get("schedules") or [], schedules, "rights.schedules", progress)
    for sub in (seeded, schedules):
        report.created.extend(sub.created)
        report.updated.extend(sub.updated)
        report.unchanged.extend(sub.unchanged)

    for i, e in enumerate(section.get("empowerments") or [], 1):
        where = f"rights.empowerments[{i}]"
        user_id = _user_id(e["user"], where)
        org = tk.get_action("organization_show")({"ignore_auth": True}, {"id": e["organisation"]})
        exists = (
            model.Session.query(m.Empowerment)
            .filter_by(user_id=user_id, organization_id=org["id"], role=e["role"], state="active")
            .first()
        )
        if exists:
            report.unchanged.append(f"empowerment {e['user']} as {e['role']}")
            continue
        try:
            tk.get_action("ldeco_empowerment_create")(
                _context(),
                {
                    "user_id": user_id,
                    "organization_id": org["id"],
                    "role": e["role"],
                    "start_date": _date(e.get("start", "today-30")),
                    "end_date": _date(e["end"]) if e.get("end") else None,
                },
            )
        except tk.ValidationError as err:
            raise loader.LoadError(f"{where}: {err.error_summary}") from err
        report.created.append(f"empowerment {e['user']} as {e['role']}")

    for i, a in enumerate(section.get("accreditations") or [], 1):
        where = f"rights.accreditations[{i}]"
        user_id = _user_id(a["user"], where)
        held = (
            model.Session.query(m.UserAccreditation)
            .filter_by(user_id=user_id, accreditation=a["accreditation"])
            .first()
        )
        if held:
            report.unchanged.append(f"accreditation {a['accreditation']} of {a['user']}")
            continue
        try:
            tk.get_action("ldeco_user_accreditation_create")(
                _context(),
                {
                    "user_id": user_id,
                    "accreditation": a["accreditation"],
                    "awarded": _date(a.get("awarded", "today-30")),
                    "evidence": a.get("evidence", ""),
                },
            )
        except tk.ValidationError as err:
            raise loader.LoadError(f"{where}: {err.error_summary}") from err
        report.created.append(f"accreditation {a['accreditation']} of {a['user']}")
    progress("rights: done")
