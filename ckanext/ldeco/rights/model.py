"""Tables of the rights capability: the registers, empowerments, access
requests with their events, and grants.

References between our own rows use the referenced row's `name` (registers)
or `id`; references to core objects (users, organisations, datasets) are ids
without foreign keys, so core's purge flows are never blocked by our rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import ckan.model as model  # the session is core's; the toolkit has no door to it
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

__all__ = [
    "Purpose",
    "LegalGateway",
    "Accreditation",
    "UserAccreditation",
    "Role",
    "Schedule",
    "Empowerment",
    "AccessRequest",
    "AccessRequestEvent",
    "Grant",
    "OutboxMessage",
    "REGISTERS",
    "now",
    "new_id",
]


def _uuid() -> str:
    return str(uuid.uuid4())


def new_id() -> str:
    return _uuid()


def now() -> dt.datetime:
    """Naive UTC, as CKAN stores its own timestamps."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _value(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


class _Dictized:
    __table__: sa.Table

    def dictize(self) -> dict[str, Any]:
        return {c.name: _value(getattr(self, c.name)) for c in self.__table__.columns}

    @classmethod
    def get(cls, id_or_name: str | None):
        # auth functions and views may hand over what a caller sent: only
        # text can name a row (anything else would fail in the database)
        if not id_or_name or not isinstance(id_or_name, str) or "\x00" in id_or_name:
            return None
        q = model.Session.query(cls)
        found = q.get(id_or_name)
        if found is None and "name" in cls.__table__.columns:
            found = q.filter(cls.__table__.c.name == id_or_name).one_or_none()
        return found


def _register_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.UnicodeText, primary_key=True, default=_uuid),
        sa.Column("name", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False, default=""),
        sa.Column("created", sa.DateTime, nullable=False, default=now),
        sa.Column("modified", sa.DateTime, nullable=False, default=now, onupdate=now),
    ]


class Purpose(tk.BaseModel, _Dictized):
    __table__ = sa.Table(
        "ldeco_purpose",
        tk.BaseModel.metadata,
        *_register_columns(),
        # a term of the W3C Data Privacy Vocabulary, e.g. dpv:ServiceProvision
        sa.Column("dpv_purpose", sa.UnicodeText, nullable=False, default=""),
    )


class LegalGateway(tk.BaseModel, _Dictized):
    __table__ = sa.Table(
        "ldeco_legal_gateway",
        tk.BaseModel.metadata,
        *_register_columns(),
        sa.Column("statute", sa.UnicodeText, nullable=False, default=""),
        sa.Column("provision", sa.UnicodeText, nullable=False, default=""),
        sa.Column("legislation_url", sa.UnicodeText, nullable=False, default=""),
        sa.Column("legislation_uri", sa.UnicodeText, nullable=False, default=""),
        sa.Column("objective", sa.UnicodeText, nullable=False, default=""),
        sa.Column("category", sa.UnicodeText, nullable=False, default=""),
        sa.Column("extent", sa.UnicodeText, nullable=False, default=""),
        # kinds of agency (the organisation schema's agency_kind) that may
        # disclose and receive under this gateway
        sa.Column("disclosers", JSONB, nullable=False, default=list),
        sa.Column("recipients", JSONB, nullable=False, default=list),
        sa.Column("conditions", sa.UnicodeText, nullable=False, default=""),
        sa.Column("review_date", sa.Date, nullable=True),
    )


class Accreditation(tk.BaseModel, _Dictized):
    __table__ = sa.Table(
        "ldeco_accreditation",
        tk.BaseModel.metadata,
        *_register_columns(),
        sa.Column("type", sa.UnicodeText, nullable=False, default=""),
        sa.Column("issuer", sa.UnicodeText, nullable=False, default=""),
        sa.Column("validity_days", sa.Integer, nullable=True),
    )


class Role(tk.BaseModel, _Dictized):
    __table__ = sa.Table("ldeco_role", tk.BaseModel.metadata, *_register_columns())


class Schedule(tk.BaseModel, _Dictized):
    """A data protection schedule: who may use which items, why, on what basis.

    Applies to one dataset (dataset_id) or to every dataset of a publisher
    (organization_id); a dataset's own schedule wins over its publisher's.
    """

    __table__ = sa.Table(
        "ldeco_schedule",
        tk.BaseModel.metadata,
        *_register_columns(),
        sa.Column("dataset_id", sa.UnicodeText, nullable=True, index=True),
        sa.Column("organization_id", sa.UnicodeText, nullable=True, index=True),
        sa.Column("roles", JSONB, nullable=False, default=list),
        sa.Column("purposes", JSONB, nullable=False, default=list),
        sa.Column("gateways", JSONB, nullable=False, default=list),
        sa.Column("data_items", JSONB, nullable=False, default=list),
        sa.Column("accreditations", JSONB, nullable=False, default=list),
        sa.Column("terms", sa.UnicodeText, nullable=False, default=""),
        sa.Column("terms_version", sa.UnicodeText, nullable=False, default="1"),
        sa.Column("max_grant_days", sa.Integer, nullable=False, default=365),
        sa.Column("auto_approve", sa.Boolean, nullable=False, default=False),
    )


class UserAccreditation(tk.BaseModel, _Dictized):
    __table__ = sa.Table(
        "ldeco_user_accreditation",
        tk.BaseModel.metadata,
        sa.Column("id", sa.UnicodeText, primary_key=True, default=_uuid),
        sa.Column("user_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("accreditation", sa.UnicodeText, nullable=False),
        sa.Column("awarded", sa.Date, nullable=False),
        sa.Column("expires", sa.Date, nullable=True),
        sa.Column("evidence", sa.UnicodeText, nullable=False, default=""),
        sa.Column("recorded_by", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False, default=now),
    )


class Empowerment(tk.BaseModel, _Dictized):
    __table__ = sa.Table(
        "ldeco_empowerment",
        tk.BaseModel.metadata,
        sa.Column("id", sa.UnicodeText, primary_key=True, default=_uuid),
        sa.Column("user_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("organization_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("role", sa.UnicodeText, nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=True),
        sa.Column("state", sa.UnicodeText, nullable=False, default="active"),
        sa.Column("created_by", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False, default=now),
        sa.Column("withdrawn_by", sa.UnicodeText, nullable=True),
        sa.Column("withdrawn", sa.DateTime, nullable=True),
        sa.Column("withdraw_reason", sa.UnicodeText, nullable=True),
    )

    def is_active(self, on: dt.date) -> bool:
        return (
            self.state == "active"
            and self.start_date <= on
            and (self.end_date is None or on <= self.end_date)
        )


class AccessRequest(tk.BaseModel, _Dictized):
    __table__ = sa.Table(
        "ldeco_access_request",
        tk.BaseModel.metadata,
        sa.Column("id", sa.UnicodeText, primary_key=True, default=_uuid),
        sa.Column("user_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("empowerment_id", sa.UnicodeText, nullable=False),
        sa.Column("organization_id", sa.UnicodeText, nullable=False),
        sa.Column("role", sa.UnicodeText, nullable=False),
        sa.Column("dataset_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("publisher_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("resource_ids", JSONB, nullable=False, default=list),
        sa.Column("purpose", sa.UnicodeText, nullable=False),
        sa.Column("gateway", sa.UnicodeText, nullable=False),
        sa.Column("data_items", JSONB, nullable=False, default=list),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=False),
        sa.Column("justification", sa.UnicodeText, nullable=False, default=""),
        sa.Column("schedule_id", sa.UnicodeText, nullable=True),
        # requests made together for datasets of several publishers share it;
        # each is still decided by its own publisher
        sa.Column("bundle_id", sa.UnicodeText, nullable=True, index=True),
        sa.Column("terms_version", sa.UnicodeText, nullable=True),
        sa.Column("terms_accepted", sa.DateTime, nullable=True),
        sa.Column("evaluation", JSONB, nullable=False, default=dict),
        sa.Column("state", sa.UnicodeText, nullable=False, default="draft"),
        sa.Column("conditions", sa.UnicodeText, nullable=False, default=""),
        sa.Column("decided_by", sa.UnicodeText, nullable=True),
        sa.Column("decision_reason", sa.UnicodeText, nullable=True),
        sa.Column("created", sa.DateTime, nullable=False, default=now),
        sa.Column("modified", sa.DateTime, nullable=False, default=now, onupdate=now),
    )


class AccessRequestEvent(tk.BaseModel, _Dictized):
    __table__ = sa.Table(
        "ldeco_access_request_event",
        tk.BaseModel.metadata,
        sa.Column("id", sa.UnicodeText, primary_key=True, default=_uuid),
        sa.Column("request_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("from_state", sa.UnicodeText, nullable=True),
        sa.Column("to_state", sa.UnicodeText, nullable=False),
        sa.Column("actor", sa.UnicodeText, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False, default=now),
        sa.Column("reason", sa.UnicodeText, nullable=False, default=""),
    )


class Grant(tk.BaseModel, _Dictized):
    __table__ = sa.Table(
        "ldeco_grant",
        tk.BaseModel.metadata,
        sa.Column("id", sa.UnicodeText, primary_key=True, default=_uuid),
        sa.Column("request_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("dataset_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("resource_ids", JSONB, nullable=False, default=list),
        sa.Column("data_items", JSONB, nullable=False, default=list),
        sa.Column("user_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("organization_id", sa.UnicodeText, nullable=False),
        sa.Column("empowerment_id", sa.UnicodeText, nullable=False),
        sa.Column("role", sa.UnicodeText, nullable=False),
        sa.Column("purpose", sa.UnicodeText, nullable=False),
        sa.Column("gateway", sa.UnicodeText, nullable=False),
        sa.Column("terms_version", sa.UnicodeText, nullable=False),
        sa.Column("conditions", sa.UnicodeText, nullable=False, default=""),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("expiry", sa.Date, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False, default="active"),
        sa.Column("created", sa.DateTime, nullable=False, default=now),
        sa.Column("revoked_by", sa.UnicodeText, nullable=True),
        sa.Column("revoked", sa.DateTime, nullable=True),
        sa.Column("revoke_reason", sa.UnicodeText, nullable=True),
    )

    def is_current(self, on: dt.date) -> bool:
        return self.state == "active" and self.start_date <= on <= self.expiry


class OutboxMessage(tk.BaseModel, _Dictized):
    """A notice waiting to be mailed, stored in the transaction of the event
    that causes it, so a mail failure never loses it."""

    __table__ = sa.Table(
        "ldeco_rights_outbox",
        tk.BaseModel.metadata,
        sa.Column("id", sa.UnicodeText, primary_key=True, default=_uuid),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        # set for notices that must go out once only (the expiry notice of a grant)
        sa.Column("dedupe_key", sa.UnicodeText, nullable=True, unique=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False),
        sa.Column("request_id", sa.UnicodeText, nullable=True),
        sa.Column("grant_id", sa.UnicodeText, nullable=True),
        sa.Column("subject", sa.UnicodeText, nullable=False),
        sa.Column("body", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False, default="pending"),
        sa.Column("attempts", sa.Integer, nullable=False, default=0),
        sa.Column("last_error", sa.UnicodeText, nullable=True),
        sa.Column("created", sa.DateTime, nullable=False, default=now),
        sa.Column("sent", sa.DateTime, nullable=True),
    )


# register name (as in action names) → model
REGISTERS: dict[str, Any] = {
    "purpose": Purpose,
    "legal_gateway": LegalGateway,
    "accreditation": Accreditation,
    "role": Role,
    "schedule": Schedule,
}
