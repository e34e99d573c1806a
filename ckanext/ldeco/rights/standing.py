"""Whether a grant still stands: the read side of rights that other
capabilities (gating above all) ask, without going through the actions."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.model as model  # the session is core's; the toolkit has no door to it
import ckan.plugins.toolkit as tk
import sqlalchemy as sa

from ckanext.ldeco.rights import model as m

__all__ = ["lapse_reasons", "schedule_for", "schedule_select"]

_LOOK_UP = object()


def schedule_select(dataset_id: Any, owner_org: Any) -> sa.sql.Select:
    """The schedule that governs a dataset, as a statement to embed: its own
    ranks before its publisher's. The ids may be values or bound parameters
    (gating's download path embeds it with parameters)."""
    table = m.Schedule.__table__
    own = table.c.dataset_id == dataset_id
    mine = own if owner_org is None else sa.or_(own, table.c.organization_id == owner_org)
    return sa.select(table).where(mine).order_by(sa.case((own, 0), else_=1), table.c.name).limit(1)


def schedule_for(dataset: dict[str, Any]) -> m.Schedule | None:
    """A dataset's own schedule, else its publisher's."""
    statement = schedule_select(dataset["id"], dataset.get("owner_org"))
    return model.Session.query(m.Schedule).from_statement(statement).first()


def lapse_reasons(grant: Any, on: dt.date | None = None, schedule: Any = _LOOK_UP,
                  empowerment: Any = _LOOK_UP) -> list[str]:
    """Why a grant no longer holds (empty when it is current). A grant lapses
    by itself when any element of its handshake lapses. A caller that already
    holds the dataset's schedule or the grant's empowerment (or knows there is
    none) may pass them; any object with the columns' names will do."""
    on = on or m.now().date()
    reasons = []
    if grant.state != "active":
        reasons.append(tk._("revoked"))
    if on < grant.start_date:
        reasons.append(tk._("starts on {date}").format(date=grant.start_date.isoformat()))
    if on > grant.expiry:
        reasons.append(tk._("expired on {date}").format(date=grant.expiry.isoformat()))
    if empowerment is _LOOK_UP:
        empowerment = m.Empowerment.get(grant.empowerment_id)
    if empowerment is None or not m.Empowerment.is_active(empowerment, on):
        reasons.append(tk._("the empowerment is no longer active"))
    if schedule is _LOOK_UP:
        pkg = model.Package.get(grant.dataset_id)
        schedule = schedule_for({"id": grant.dataset_id, "owner_org": pkg.owner_org if pkg else None})
    if schedule is None:
        reasons.append(tk._("the dataset no longer has a schedule"))
    else:
        if schedule.terms_version != grant.terms_version:
            reasons.append(
                tk._("the terms changed to version {v}; accept them again").format(v=schedule.terms_version)
            )
        held = (
            model.Session.query(m.UserAccreditation).filter(m.UserAccreditation.user_id == grant.user_id).all()
        ) if schedule.accreditations else []
        for name in schedule.accreditations or []:
            if not any(a.accreditation == name and (a.expires is None or a.expires >= on) for a in held):
                reasons.append(tk._("accreditation {name} not held or expired").format(name=name))
    return reasons
