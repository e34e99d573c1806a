"""The dictionary's rows stand alone: no foreign keys into core's tables
(the migrations themselves are tested in tests/test_migrations.py)."""

from __future__ import annotations

import ckan.model as model
import pytest
import sqlalchemy as sa

from ckanext.ldeco.dictionary import model as dm

TABLES = {
    "ldeco_dictionary_pack",
    "ldeco_concept",
    "ldeco_concept_property",
    "ldeco_concept_relation",
    "ldeco_concept_version",
    "ldeco_code_list",
    "ldeco_code_item",
    "ldeco_dictionary_steward",
    "ldeco_quality_report",
}


@pytest.mark.usefixtures("dictionary")
def test_rows_dictize_without_core_foreign_keys():
    concept = model.Session.query(dm.Concept).filter(dm.Concept.name == "case").one()
    d = concept.dictize()
    assert d["name"] == "case" and d["layer"] == "operational" and len(d["id"]) == 36
    for table in TABLES:
        assert not sa.inspect(model.meta.engine).get_foreign_keys(table)
