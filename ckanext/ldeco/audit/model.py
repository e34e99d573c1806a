"""The audit trail: append-only, each record chained to the previous one by
hash, so that an edit or a deletion anywhere shows on verification."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterator
from typing import Any

import ckan.model as model  # the engine and metadata are core's; the toolkit has no door to them
import ckan.plugins.toolkit as tk
import sqlalchemy as sa

__all__ = ["AuditEvent", "append", "verify", "query", "iter_events", "GENESIS"]

GENESIS = "0" * 64
# One lock id for the whole trail: appends from every web worker and job
# worker take it in turn, so the chain never forks.
_LOCK_ID = 0x6C6465636F  # "ldeco"

CHAINED_FIELDS = ("id", "seq", "at", "event", "outcome", "actor", "organisation", "role", "purpose",
                  "gateway", "dataset_id", "resource_id", "grant_id", "detail")


class AuditEvent(tk.BaseModel):
    __tablename__ = "ldeco_audit_event"

    id = sa.Column(sa.UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4()))
    seq = sa.Column(sa.BigInteger, nullable=False, unique=True)
    at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    event = sa.Column(sa.UnicodeText, nullable=False)
    outcome = sa.Column(sa.UnicodeText, nullable=False)
    actor = sa.Column(sa.UnicodeText)
    organisation = sa.Column(sa.UnicodeText)
    role = sa.Column(sa.UnicodeText)
    purpose = sa.Column(sa.UnicodeText)
    gateway = sa.Column(sa.UnicodeText)
    dataset_id = sa.Column(sa.UnicodeText, index=True)
    resource_id = sa.Column(sa.UnicodeText)
    grant_id = sa.Column(sa.UnicodeText)
    detail = sa.Column(sa.UnicodeText)  # JSON text, canonical, part of the hash
    prev_hash = sa.Column(sa.UnicodeText, nullable=False)
    hash = sa.Column(sa.UnicodeText, nullable=False)

    def dictize(self) -> dict[str, Any]:
        out = {c: getattr(self, c) for c in (*CHAINED_FIELDS, "prev_hash", "hash")}
        out["at"] = self.at.isoformat()
        out["detail"] = json.loads(str(self.detail)) if self.detail else {}
        return out


def _canonical(record: dict[str, Any], fields: tuple[str, ...] = CHAINED_FIELDS) -> str:
    body = {k: record.get(k) for k in fields}
    body["at"] = record["at"].astimezone(dt.UTC).isoformat() if isinstance(
        record["at"], dt.datetime) else record["at"]
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)


def _digest(prev_hash: str, record: dict[str, Any]) -> str:
    payload = prev_hash + _canonical(record)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# The database appends (migration ldeco_0005): it receives the canonical JSON
# without "seq" and adds "seq" as the last key, which it is in sorted order.
_UNSEQUENCED = tuple(f for f in CHAINED_FIELDS if f != "seq")
assert sorted(CHAINED_FIELDS)[-1] == "seq"


def append(event: str, outcome: str, *, actor: str | None = None, organisation: str | None = None,
           role: str | None = None, purpose: str | None = None, gateway: str | None = None,
           dataset_id: str | None = None, resource_id: str | None = None,
           grant_id: str | None = None, detail: dict[str, Any] | None = None,
           in_session: bool = False) -> dict[str, Any]:
    """Append one record. By default in a transaction of its own, so that a
    refusal is recorded even when the caller's work is rolled back; with
    in_session, inside the caller's session transaction, so that the record of
    a change stands or falls with the change itself."""
    if in_session:
        return _append(model.Session.connection(), event, outcome, actor, organisation, role, purpose,
                       gateway, dataset_id, resource_id, grant_id, detail)
    with model.meta.engine.begin() as conn:
        return _append(conn, event, outcome, actor, organisation, role, purpose, gateway, dataset_id,
                       resource_id, grant_id, detail)


_APPEND = (
    "SELECT seq, prev_hash, hash FROM ldeco_audit_append(%(lock)s, %(id)s, %(at)s, %(event)s, %(outcome)s, "
    "%(actor)s, %(organisation)s, %(role)s, %(purpose)s, %(gateway)s, %(dataset_id)s, %(resource_id)s, "
    "%(grant_id)s, %(detail)s, %(body)s)")


def _append(conn, event, outcome, actor, organisation, role, purpose, gateway, dataset_id, resource_id,
            grant_id, detail) -> dict[str, Any]:
    record = {
        "id": str(uuid.uuid4()), "at": dt.datetime.now(dt.UTC),
        "event": event, "outcome": outcome, "actor": actor, "organisation": organisation,
        "role": role, "purpose": purpose, "gateway": gateway, "dataset_id": dataset_id,
        "resource_id": resource_id, "grant_id": grant_id,
        "detail": json.dumps(detail or {}, sort_keys=True, separators=(",", ":"), default=str),
    }
    # One round trip: lock, read the head, chain and insert happen in the
    # database; sent below SQLAlchemy, on the same connection and transaction.
    cursor = conn.connection.cursor()
    try:
        cursor.execute(_APPEND, {**record, "lock": _LOCK_ID, "body": _canonical(record, _UNSEQUENCED)})
        record["seq"], record["prev_hash"], record["hash"] = cursor.fetchone()
    finally:
        cursor.close()
    return record


def query(dataset_id: str | None = None, limit: int = 100, offset: int = 0) -> list[AuditEvent]:
    q = model.Session.query(AuditEvent)
    if dataset_id:
        q = q.filter(AuditEvent.dataset_id == dataset_id)
    return q.order_by(AuditEvent.seq.desc()).offset(offset).limit(limit).all()


def iter_events(batch: int = 5000) -> Iterator[Any]:
    table = AuditEvent.__table__
    after = 0
    with model.meta.engine.connect() as conn:
        while True:
            rows = conn.execute(sa.select(table).where(table.c.seq > after).order_by(table.c.seq)
                                .limit(batch)).fetchall()
            if not rows:
                return
            yield from rows
            after = rows[-1].seq


def iter_events_for(dataset_id: str | None) -> Iterator[AuditEvent]:
    q = model.Session.query(AuditEvent)
    if dataset_id:
        q = q.filter(AuditEvent.dataset_id == dataset_id)
    return q.order_by(AuditEvent.seq).yield_per(1000)


def verify() -> dict[str, Any]:
    """Walk the chain from the start; report it intact or the first broken record."""
    prev, expected_seq, count = GENESIS, 1, 0
    for row in iter_events():
        record = dict(row._mapping)
        problem = None
        if row.seq != expected_seq:
            problem = tk._("record {seq} follows {prev}: records are missing").format(
                seq=row.seq, prev=expected_seq - 1)
        elif row.prev_hash != prev:
            problem = tk._("record {seq} does not point at the record before it").format(seq=row.seq)
        elif _digest(prev, record) != row.hash:
            problem = tk._("record {seq} was changed after it was written").format(seq=row.seq)
        if problem:
            return {"intact": False, "checked": count, "first_broken": {"seq": row.seq, "id": row.id},
                    "problem": problem}
        prev, expected_seq, count = row.hash, row.seq + 1, count + 1
    return {"intact": True, "checked": count, "first_broken": None, "problem": None}
