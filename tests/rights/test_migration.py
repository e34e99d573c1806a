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
