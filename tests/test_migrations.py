"""The migrations build exactly what the models declare, step down to
nothing and come back; expectations come from the models, so neither side
is written twice."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa

# the modules whose models the migrations must build
from ckanext.ldeco.audit import model as _audit  # noqa: F401
from ckanext.ldeco.dictionary import model as _dictionary  # noqa: F401
from ckanext.ldeco.gating import secrets as _secrets  # noqa: F401
from ckanext.ldeco.rights import model as _rights  # noqa: F401


def _declared() -> dict[str, set[str]]:
    return {t.name: {c.name for c in t.columns}
            for t in tk.BaseModel.metadata.tables.values() if t.name.startswith("ldeco_")}


def _built() -> dict[str, set[str]]:
    inspector = sa.inspect(model.meta.engine)
    # alembic's own bookkeeping table is not a model
    return {name: {c["name"] for c in inspector.get_columns(name)}
            for name in inspector.get_table_names()
            if name.startswith("ldeco_") and name != "ldeco_alembic_version"}


def _has_function(name: str) -> bool:
    with model.meta.engine.connect() as conn:
        return bool(conn.execute(sa.text("SELECT count(*) FROM pg_proc WHERE proname = :n"), {"n": name}).scalar())


@pytest.mark.usefixtures("clean_db")
def test_the_migrations_build_what_the_models_declare_and_step_down_cleanly(migrate_db_for):
    declared = _declared()
    assert {"ldeco_concept", "ldeco_grant", "ldeco_audit_event", "ldeco_rights_outbox"} <= set(declared)
    assert _built() == declared
    migrate_db_for("ldeco", "base", False)
    assert _built() == {} and not _has_function("ldeco_audit_append")
    migrate_db_for("ldeco")
    assert _built() == declared and _has_function("ldeco_audit_append")


@pytest.mark.usefixtures("clean_db")
def test_each_late_step_goes_down_and_up_alone(migrate_db_for):
    # ldeco_0006: restricted links in ldeco's own table
    migrate_db_for("ldeco", "ldeco_0005_audit_append", False)
    assert "ldeco_resource_secret" not in _built() and _has_function("ldeco_audit_append")
    # ldeco_0005: the database appends to the audit trail
    migrate_db_for("ldeco", "ldeco_0004_rights_outbox", False)
    assert not _has_function("ldeco_audit_append") and "ldeco_audit_event" in _built()
    # ldeco_0004: the outbox and request bundles
    migrate_db_for("ldeco", "ldeco_0003_audit", False)
    built = _built()
    assert "ldeco_rights_outbox" not in built and "bundle_id" not in built["ldeco_access_request"]
    migrate_db_for("ldeco")
    assert _built() == _declared() and _has_function("ldeco_audit_append")
