"""Rights: the stored outbox of notices; requests made together share a bundle id

Revision ID: ldeco_0004_rights_outbox
Revises: ldeco_0003_audit
Create Date: 2026-11-26
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "ldeco_0004_rights_outbox"
down_revision = "ldeco_0003_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ldeco_rights_outbox",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("dedupe_key", sa.UnicodeText, nullable=True, unique=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False),
        sa.Column("request_id", sa.UnicodeText, nullable=True),
        sa.Column("grant_id", sa.UnicodeText, nullable=True),
        sa.Column("subject", sa.UnicodeText, nullable=False),
        sa.Column("body", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.UnicodeText, nullable=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("sent", sa.DateTime, nullable=True),
    )
    op.create_index("ldeco_rights_outbox_state_idx", "ldeco_rights_outbox", ["state"])
    op.add_column("ldeco_access_request", sa.Column("bundle_id", sa.UnicodeText, nullable=True))
    op.create_index("ix_ldeco_access_request_bundle_id", "ldeco_access_request", ["bundle_id"])


def downgrade() -> None:
    op.drop_index("ix_ldeco_access_request_bundle_id", table_name="ldeco_access_request")
    op.drop_column("ldeco_access_request", "bundle_id")
    op.drop_index("ldeco_rights_outbox_state_idx", table_name="ldeco_rights_outbox")
    op.drop_table("ldeco_rights_outbox")
