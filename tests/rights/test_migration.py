from __future__ import annotations

import pytest
import sqlalchemy as sa

import ckan.model as model

TABLES = {
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
    "ldeco_rights_outbox",
}


@pytest.mark.usefixtures("clean_db")
def test_rights_migration_downgrades_and_upgrades_again(migrate_db_for):
    def present() -> set[str]:
        return TABLES & set(sa.inspect(model.meta.engine).get_table_names())

    assert present() == TABLES
    migrate_db_for("ldeco", "base", False)
    assert present() == set()
    migrate_db_for("ldeco")
    assert present() == TABLES


@pytest.mark.usefixtures("clean_db")
def test_outbox_migration_steps_down_to_audit_and_back(migrate_db_for):
    def shape() -> tuple[bool, bool]:
        inspector = sa.inspect(model.meta.engine)
        columns = {c["name"] for c in inspector.get_columns("ldeco_access_request")}
        return inspector.has_table("ldeco_rights_outbox"), "bundle_id" in columns

    assert shape() == (True, True)
    migrate_db_for("ldeco", "ldeco_0003_audit", False)
    assert shape() == (False, False)
    migrate_db_for("ldeco")
    assert shape() == (True, True)
