"""Audit trail: append in one round trip

Revision ID: ldeco_0005_audit_append
Revises: ldeco_0004_rights_outbox
Create Date: 2026-11-26
"""
from __future__ import annotations

from alembic import op

revision = "ldeco_0005_audit_append"
down_revision = "ldeco_0004_rights_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Take the trail's lock, read the head, chain and insert, all in the
    # database: every gated download appends, and three round trips were most
    # of its cost. The hash is the one audit/model.py computes: SHA-256 of
    # the previous hash followed by the record's canonical JSON, whose last
    # key is "seq" (the caller sends the JSON without it, as p_body). Each
    # statement of a volatile function takes a fresh snapshot, so the head is
    # read after the lock is held.
    op.execute("""
        CREATE OR REPLACE FUNCTION ldeco_audit_append(
            p_lock bigint, p_id text, p_at timestamptz, p_event text, p_outcome text, p_actor text,
            p_organisation text, p_role text, p_purpose text, p_gateway text, p_dataset_id text,
            p_resource_id text, p_grant_id text, p_detail text, p_body text)
        RETURNS TABLE (seq bigint, prev_hash text, hash text) LANGUAGE plpgsql VOLATILE AS $$
        DECLARE
            head_seq bigint;
            head_hash text;
        BEGIN
            PERFORM pg_advisory_xact_lock(p_lock);
            SELECT e.seq, e.hash INTO head_seq, head_hash
              FROM ldeco_audit_event e ORDER BY e.seq DESC LIMIT 1;
            seq := coalesce(head_seq, 0) + 1;
            prev_hash := coalesce(head_hash, repeat('0', 64));
            hash := encode(sha256(convert_to(
                prev_hash || left(p_body, -1) || ',"seq":' || seq || '}', 'UTF8')), 'hex');
            INSERT INTO ldeco_audit_event (id, seq, at, event, outcome, actor, organisation, role, purpose,
                                           gateway, dataset_id, resource_id, grant_id, detail, prev_hash, hash)
            VALUES (p_id, seq, p_at, p_event, p_outcome, p_actor, p_organisation, p_role, p_purpose,
                    p_gateway, p_dataset_id, p_resource_id, p_grant_id, p_detail, prev_hash, hash);
            RETURN NEXT;
        END $$;
    """)


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS ldeco_audit_append(bigint, text, timestamptz, text, text, text, text, "
               "text, text, text, text, text, text, text, text)")
