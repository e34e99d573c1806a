"""Which grant, if any, lets a user read a resource now (grants are kept by
the rights capability; this is the read side the decision needs)."""
from __future__ import annotations

import datetime as dt
import functools
from collections import namedtuple
from types import SimpleNamespace
from typing import Any

import ckan.model as model  # the session is core's; the toolkit has no door to it
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import psycopg2

from ckanext.ldeco.rights.standing import lapse_reasons, schedule_select

__all__ = ["current_grant"]

# Every gated download and DataStore read asks this, so it is one statement
# sent below SQLAlchemy: the user's grants on the dataset, newest first, each
# with its empowerment, the name of the organisation it was granted to, and
# the schedule that governs the dataset. The governing schedule is
# rights.standing's own statement, embedded: its ranking is written once.
_GRANTS_HEAD = """
    SELECT g.id, g.resource_ids, g.data_items, g.user_id, g.organization_id, g.empowerment_id, g.role,
           g.purpose, g.gateway, g.terms_version, g.start_date, g.expiry, g.state,
           e.id AS e_id, e.state AS e_state, e.start_date AS e_start_date, e.end_date AS e_end_date,
           o.name AS org_name,
           s.id AS s_id, s.terms_version AS s_terms_version, s.accreditations AS s_accreditations,
           s.data_items AS s_data_items
      FROM ldeco_grant g
      LEFT JOIN ldeco_empowerment e ON e.id = g.empowerment_id
      LEFT JOIN "group" o ON o.id = g.organization_id
      LEFT JOIN LATERAL ({schedule}) s ON true
     WHERE g.user_id = %(user_id)s AND g.dataset_id = %(dataset_id)s
     ORDER BY g.created DESC"""


@functools.cache
def _grants_sql() -> tuple[str, dict[str, Any]]:
    """The statement, and the values of the constants its compiled form binds."""
    governing = schedule_select(sa.bindparam("dataset_id"), sa.bindparam("owner_org"))
    compiled = governing.compile(dialect=psycopg2.dialect())
    constants = {k: v for k, v in compiled.params.items() if k not in ("dataset_id", "owner_org")}
    return _GRANTS_HEAD.format(schedule=compiled), constants


@functools.lru_cache(maxsize=8)
def _row_type(columns: tuple[str, ...]) -> type:
    return namedtuple("GrantRow", columns)


def _covers(grant: Any, resource_id: str) -> bool:
    return not grant.resource_ids or resource_id in grant.resource_ids


def _partial_items(grant: Any, schedule: Any | None) -> list[str] | None:
    """None when the grant covers every item the schedule lists (the whole
    record), else the items it covers."""
    items = list(grant.data_items or [])
    every = set(schedule.data_items or []) if schedule else set()
    if not items or (every and every <= set(items)):
        return None
    return items


def current_grant(user_id: str, pkg: dict[str, Any], res: dict[str, Any],
                  on: dt.date) -> tuple[dict[str, Any] | None, str]:
    """(grant, "") when one holds; (None, why the newest one does not) otherwise."""
    # on the session's own connection, below SQLAlchemy: a tenth of a
    # millisecond a download, measured by bench/gating.py
    cursor = model.Session.connection().connection.cursor()
    try:
        statement, constants = _grants_sql()
        cursor.execute(statement, {**constants, "user_id": user_id, "dataset_id": pkg["id"],
                                   "owner_org": pkg.get("owner_org")})
        row_type = _row_type(tuple(column.name for column in cursor.description))
        rows = [row_type(*values) for values in cursor.fetchall()]
    finally:
        cursor.close()
    why = ""
    for grant in rows:
        if not _covers(grant, res["id"]):
            continue
        empowerment = SimpleNamespace(state=grant.e_state, start_date=grant.e_start_date,
                                      end_date=grant.e_end_date) if grant.e_id else None
        schedule = SimpleNamespace(terms_version=grant.s_terms_version, accreditations=grant.s_accreditations,
                                   data_items=grant.s_data_items) if grant.s_id else None
        reasons = lapse_reasons(grant, on, schedule=schedule, empowerment=empowerment)
        if not reasons:
            return {"id": grant.id, "data_items": _partial_items(grant, schedule),
                    "organisation": grant.org_name or grant.organization_id, "role": grant.role,
                    "purpose": grant.purpose, "gateway": grant.gateway,
                    "expiry": grant.expiry.isoformat()}, ""
        if not why:
            why = tk._("Your grant for this data no longer holds: {reasons}.").format(reasons="; ".join(reasons))
    return None, why
