"""Rights: registers, empowerments, access requests and their events, grants.

Revision ID: ldeco_0002_rights
Revises: ldeco_0001_dictionary
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "ldeco_0002_rights"
down_revision = "ldeco_0001_dictionary"
branch_labels = None
depends_on = None

TABLES = [
    "ldeco_purpose",
    "ldeco_legal_gateway",
    "ldeco_accreditation",
    "ldeco_role",
    "ldeco_schedule",
    "ldeco_user_accreditation",
    "ldeco_empowerment",
    "ldeco_access_request",
    "ldeco_access_request_event",
    "ldeco_grant",
]


def _text(name: str, nullable: bool = False, default: str | None = "") -> sa.Column:
    return sa.Column(
        name,
        sa.UnicodeText,
        nullable=nullable,
        server_default=None if default is None else sa.text(f"'{default}'"),
    )


def _json(name: str, empty: str = "[]") -> sa.Column:
    return sa.Column(name, JSONB, nullable=False, server_default=sa.text(f"'{empty}'::jsonb"))


def _id() -> sa.Column:
    return sa.Column("id", sa.UnicodeText, primary_key=True)


def _stamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(
        name,
        sa.DateTime,
        nullable=nullable,
        server_default=None if nullable else sa.text("(now() at time zone 'utc')"),
    )


def _register(table: str, *extra: sa.Column) -> None:
    op.create_table(
        table,
        _id(),
        sa.Column("name", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        _text("description"),
        _stamp("created"),
        _stamp("modified"),
        *extra,
    )


def upgrade() -> None:
    _register("ldeco_purpose", _text("dpv_purpose"))
    _register(
        "ldeco_legal_gateway",
        _text("statute"),
        _text("provision"),
        _text("legislation_url"),
        _text("legislation_uri"),
        _text("objective"),
        _text("category"),
        _text("extent"),
        _json("disclosers"),
        _json("recipients"),
        _text("conditions"),
        sa.Column("review_date", sa.Date, nullable=True),
    )
    _register(
        "ldeco_accreditation",
        _text("type"),
        _text("issuer"),
        sa.Column("validity_days", sa.Integer, nullable=True),
    )
    _register("ldeco_role")
    _register(
        "ldeco_schedule",
        _text("dataset_id", True, None),
        _text("organization_id", True, None),
        _json("roles"),
        _json("purposes"),
        _json("gateways"),
        _json("data_items"),
        _json("accreditations"),
        _text("terms"),
        _text("terms_version", default="1"),
        sa.Column("max_grant_days", sa.Integer, nullable=False, server_default="365"),
        sa.Column("auto_approve", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ldeco_schedule_dataset_idx", "ldeco_schedule", ["dataset_id"])
    op.create_index("ldeco_schedule_org_idx", "ldeco_schedule", ["organization_id"])

    op.create_table(
        "ldeco_user_accreditation",
        _id(),
        _text("user_id", default=None),
        _text("accreditation", default=None),
        sa.Column("awarded", sa.Date, nullable=False),
        sa.Column("expires", sa.Date, nullable=True),
        _text("evidence"),
        _text("recorded_by", default=None),
        _stamp("created"),
    )
    op.create_index("ldeco_user_accreditation_user_idx", "ldeco_user_accreditation", ["user_id"])

    op.create_table(
        "ldeco_empowerment",
        _id(),
        _text("user_id", default=None),
        _text("organization_id", default=None),
        _text("role", default=None),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=True),
        _text("state", default="active"),
        _text("created_by", default=None),
        _stamp("created"),
        _text("withdrawn_by", True, None),
        _stamp("withdrawn", True),
        _text("withdraw_reason", True, None),
    )
    op.create_index("ldeco_empowerment_user_idx", "ldeco_empowerment", ["user_id"])
    op.create_index("ldeco_empowerment_org_idx", "ldeco_empowerment", ["organization_id"])

    op.create_table(
        "ldeco_access_request",
        _id(),
        _text("user_id", default=None),
        _text("empowerment_id", default=None),
        _text("organization_id", default=None),
        _text("role", default=None),
        _text("dataset_id", default=None),
        _text("publisher_id", default=None),
        _json("resource_ids"),
        _text("purpose", default=None),
        _text("gateway", default=None),
        _json("data_items"),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=False),
        _text("justification"),
        _text("schedule_id", True, None),
        _text("terms_version", True, None),
        _stamp("terms_accepted", True),
        _json("evaluation", "{}"),
        _text("state", default="draft"),
        _text("conditions"),
        _text("decided_by", True, None),
        _text("decision_reason", True, None),
        _stamp("created"),
        _stamp("modified"),
    )
    for column in ("user_id", "dataset_id", "publisher_id"):
        op.create_index(f"ldeco_access_request_{column}_idx", "ldeco_access_request", [column])

    op.create_table(
        "ldeco_access_request_event",
        _id(),
        _text("request_id", default=None),
        _text("from_state", True, None),
        _text("to_state", default=None),
        _text("actor", default=None),
        _stamp("at"),
        _text("reason"),
    )
    op.create_index("ldeco_access_request_event_request_idx", "ldeco_access_request_event", ["request_id"])

    op.create_table(
        "ldeco_grant",
        _id(),
        _text("request_id", default=None),
        _text("dataset_id", default=None),
        _json("resource_ids"),
        _json("data_items"),
        _text("user_id", default=None),
        _text("organization_id", default=None),
        _text("empowerment_id", default=None),
        _text("role", default=None),
        _text("purpose", default=None),
        _text("gateway", default=None),
        _text("terms_version", default=None),
        _text("conditions"),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("expiry", sa.Date, nullable=False),
        _text("state", default="active"),
        _stamp("created"),
        _text("revoked_by", True, None),
        _stamp("revoked", True),
        _text("revoke_reason", True, None),
    )
    for column in ("request_id", "dataset_id", "user_id"):
        op.create_index(f"ldeco_grant_{column}_idx", "ldeco_grant", [column])


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
