"""Dictionary: a statistical concept's properties are the components of an
RDF Data Cube structure (dimension, measure or attribute), measures with a
unit and the code list of markers that may stand in for a value

Revision ID: ldeco_0007_components
Revises: ldeco_0006_resource_secret
Create Date: 2026-12-04
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "ldeco_0007_components"
down_revision = "ldeco_0006_resource_secret"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ldeco_concept_property", sa.Column("component", sa.UnicodeText))
    op.add_column("ldeco_concept_property", sa.Column("unit", sa.UnicodeText))
    op.add_column("ldeco_concept_property", sa.Column("markers", sa.UnicodeText))


def downgrade() -> None:
    for column in ("markers", "unit", "component"):
        op.drop_column("ldeco_concept_property", column)
