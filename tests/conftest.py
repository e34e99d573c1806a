"""Shared fixtures. CKAN's own pytest plugin is registered by its entry points."""
from __future__ import annotations

import pytest


@pytest.fixture
def clean_db(with_plugins, reset_db, migrate_db_for):
    """CKAN's clean_db, plus the migrations of the plugins whose tables we use
    (core's reset leaves plugin tables at their first shape)."""
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("ldeco")


@pytest.fixture
def portal(with_plugins, clean_db, clean_index, app):
    """The whole portal as configured in test.ini, on an empty database and index."""
    return app
