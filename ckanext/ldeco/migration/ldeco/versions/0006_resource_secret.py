"""Gating: restricted links kept in ldeco's own table, out of core's

Revision ID: ldeco_0006_resource_secret
Revises: ldeco_0005_audit_append
Create Date: 2026-12-04
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "ldeco_0006_resource_secret"
down_revision = "ldeco_0005_audit_append"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ldeco_resource_secret",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("url", sa.UnicodeText, nullable=False),
        sa.Column("updated", sa.DateTime, nullable=False),
    )
    # The links stored before: into our table, with the gated route in
    # core's resource.url and in every stored activity. The search index is
    # rebuilt afterwards (`ckan ldeco gating scrub` or `ckan search-index rebuild`).
    from ckanext.ldeco.gating import secrets

    conn = op.get_bind()
    secrets.secure_existing(conn)
    secrets.scrub_activities(conn)


def downgrade() -> None:
    # The real links go back where core keeps them; activities keep the gated route.
    op.execute("""
        UPDATE resource r SET url = s.url
          FROM ldeco_resource_secret s
         WHERE s.resource_id = r.id AND r.url LIKE '%/resource/' || r.id || '/download'""")
    op.drop_table("ldeco_resource_secret")
