"""Audit trail: append-only, hash-chained events

Revision ID: ldeco_0003_audit
Revises: ldeco_0002_rights
Create Date: 2026-11-26
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "ldeco_0003_audit"
down_revision = "ldeco_0002_rights"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ldeco_audit_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False, unique=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event", sa.UnicodeText, nullable=False),
        sa.Column("outcome", sa.UnicodeText, nullable=False),
        sa.Column("actor", sa.UnicodeText),
        sa.Column("organisation", sa.UnicodeText),
        sa.Column("role", sa.UnicodeText),
        sa.Column("purpose", sa.UnicodeText),
        sa.Column("gateway", sa.UnicodeText),
        sa.Column("dataset_id", sa.UnicodeText),
        sa.Column("resource_id", sa.UnicodeText),
        sa.Column("grant_id", sa.UnicodeText),
        sa.Column("detail", sa.UnicodeText),
        sa.Column("prev_hash", sa.UnicodeText, nullable=False),
        sa.Column("hash", sa.UnicodeText, nullable=False),
    )
    op.create_index("ldeco_audit_event_dataset_id_idx", "ldeco_audit_event", ["dataset_id"])
    # The application only ever inserts; the database refuses the rest unless
    # a session declares maintenance (a deliberate purge), and the hash chain
    # shows any change made around it.
    op.execute("""
        CREATE OR REPLACE FUNCTION ldeco_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF coalesce(current_setting('ldeco.audit_maintenance', true), '') = 'on' THEN
                IF TG_OP = 'DELETE' THEN
                    RETURN OLD;
                END IF;
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'ldeco_audit_event is append-only';
        END $$;
        CREATE TRIGGER ldeco_audit_append_only BEFORE UPDATE OR DELETE ON ldeco_audit_event
            FOR EACH ROW EXECUTE FUNCTION ldeco_audit_append_only();
    """)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS ldeco_audit_append_only ON ldeco_audit_event")
    op.execute("DROP FUNCTION IF EXISTS ldeco_audit_append_only()")
    op.drop_index("ldeco_audit_event_dataset_id_idx", table_name="ldeco_audit_event")
    op.drop_table("ldeco_audit_event")
