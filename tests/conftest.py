"""Shared fixtures. CKAN's own pytest plugin is registered by its entry points."""
from __future__ import annotations

import pytest
import sqlalchemy as sa


def _purge_audit_trail() -> None:
    """The audit table refuses deletes outside declared maintenance, and
    core's reset deletes row by row: purge it first, deliberately."""
    import ckan.model as model

    with model.meta.engine.begin() as conn:
        if sa.inspect(conn).has_table("ldeco_audit_event"):
            conn.execute(sa.text("SET LOCAL ldeco.audit_maintenance = 'on'"))
            conn.execute(sa.text("DELETE FROM ldeco_audit_event"))


def _empty_datastore() -> None:
    """Core's reset leaves the DataStore's tables behind; without this they
    pile up run after run (thousands of tables, hundreds of MB)."""
    import ckan.plugins.toolkit as tk

    url = tk.config.get("ckan.datastore.write_url")
    if not url:
        return
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        tables = [row[0] for row in conn.execute(sa.text(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public'"))]
    # in batches: one transaction dropping thousands of tables (with their
    # indexes) runs out of PostgreSQL's shared lock table
    for start in range(0, len(tables), 200):
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {', '.join(tables[start:start + 200])} CASCADE"))
    engine.dispose()


@pytest.fixture
def clean_db(with_plugins, reset_db, migrate_db_for):
    """CKAN's clean_db, plus the migrations of the plugins whose tables we use
    (core's reset leaves plugin tables at their first shape), and an empty
    DataStore."""
    _purge_audit_trail()
    _empty_datastore()
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("ldeco")


@pytest.fixture
def portal(with_plugins, clean_db, clean_index, app):
    """The whole portal as configured in test.ini, on an empty database and index."""
    return app
