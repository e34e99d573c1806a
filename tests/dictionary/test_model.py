"""The dictionary's migration goes up and down cleanly."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

import ckan.model as model

from ckanext.ldeco.dictionary import model as dm

TABLES = {"ldeco_dictionary_pack", "ldeco_concept", "ldeco_concept_property", "ldeco_concept_relation",
          "ldeco_concept_version", "ldeco_code_list", "ldeco_code_item", "ldeco_dictionary_steward", "ldeco_quality_report"}


def _tables() -> set[str]:
    return set(sa.inspect(model.meta.engine).get_table_names()) & TABLES


@pytest.mark.usefixtures("clean_db")
def test_migration_downgrades_and_upgrades_again(migrate_db_for):
    assert _tables() == TABLES
    migrate_db_for("ldeco", version="base", forward=False)
    assert _tables() == set()
    migrate_db_for("ldeco")
    assert _tables() == TABLES


@pytest.mark.usefixtures("dictionary")
def test_rows_dictize_without_core_foreign_keys():
    concept = model.Session.query(dm.Concept).filter(dm.Concept.name == "case").one()
    d = concept.dictize()
    assert d["name"] == "case" and d["layer"] == "operational" and len(d["id"]) == 36
    for table in TABLES:
        assert not sa.inspect(model.meta.engine).get_foreign_keys(table)
