"""The data dictionary: packs, concepts, properties, relations, code lists,
concept versions and dictionary stewards.

Revision ID: ldeco_0001_dictionary
Revises:
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "ldeco_0001_dictionary"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.UnicodeText, primary_key=True)


def upgrade() -> None:
    op.create_table(
        "ldeco_dictionary_pack", _id(),
        sa.Column("name", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("title", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("description", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("version", sa.UnicodeText, nullable=False, server_default="1"),
        sa.Column("depends_on", sa.JSON, nullable=False),
        sa.Column("digest", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("source", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("imported_by", sa.UnicodeText),
    )
    op.create_table(
        "ldeco_concept", _id(),
        sa.Column("name", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("uri", sa.UnicodeText, nullable=False),
        sa.Column("label", sa.UnicodeText, nullable=False),
        sa.Column("definition", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("layer", sa.UnicodeText, nullable=False),
        sa.Column("theme", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("parent", sa.UnicodeText, index=True),
        sa.Column("pack", sa.UnicodeText, nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "ldeco_concept_property", _id(),
        sa.Column("concept", sa.UnicodeText, nullable=False, index=True),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("label", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("definition", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("datatype", sa.UnicodeText),
        sa.Column("range_concept", sa.UnicodeText),
        sa.Column("code_list", sa.UnicodeText),
        sa.Column("required", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("identifier_scheme", sa.UnicodeText),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("concept", "name", name="ldeco_concept_property_concept_name_key"),
    )
    op.create_table(
        "ldeco_concept_relation", _id(),
        sa.Column("subject", sa.UnicodeText, nullable=False, index=True),
        sa.Column("predicate", sa.UnicodeText, nullable=False),
        sa.Column("object", sa.UnicodeText, nullable=False, index=True),
        sa.Column("label", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("pack", sa.UnicodeText, nullable=False),
    )
    op.create_table(
        "ldeco_concept_version", _id(),
        sa.Column("concept", sa.UnicodeText, nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("pack", sa.UnicodeText, nullable=False),
        sa.Column("pack_version", sa.UnicodeText, nullable=False),
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.UniqueConstraint("concept", "version", name="ldeco_concept_version_concept_version_key"),
    )
    op.create_table(
        "ldeco_code_list", _id(),
        sa.Column("name", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("label", sa.UnicodeText, nullable=False),
        sa.Column("definition", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("uri", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("source", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("pack", sa.UnicodeText, nullable=False),
    )
    op.create_table(
        "ldeco_code_item", _id(),
        sa.Column("code_list", sa.UnicodeText, nullable=False, index=True),
        sa.Column("code", sa.UnicodeText, nullable=False),
        sa.Column("label", sa.UnicodeText, nullable=False),
        sa.Column("uri", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("broader", sa.UnicodeText),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("code_list", "code", name="ldeco_code_item_list_code_key"),
    )
    op.create_table(
        "ldeco_dictionary_steward", _id(),
        sa.Column("user_id", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("granted_by", sa.UnicodeText, nullable=False),
        sa.Column("granted_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "ldeco_quality_report", _id(),
        sa.Column("resource_id", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("report", sa.JSON, nullable=False),
        sa.Column("checked_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("ldeco_quality_report", "ldeco_dictionary_steward", "ldeco_code_item", "ldeco_code_list", "ldeco_concept_version",
                  "ldeco_concept_relation", "ldeco_concept_property", "ldeco_concept", "ldeco_dictionary_pack"):
        op.drop_table(table)
