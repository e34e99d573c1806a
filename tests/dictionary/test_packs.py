"""Theme packs load in dependency order, idempotently, and a bad pack is
refused as a whole with a message naming pack, concept and property."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from ckanext.ldeco.dictionary import packs, queries


def test_shipped_packs_load_in_dependency_order(dictionary):
    names = [r["pack"] for r in dictionary]
    assert names[0] == "core"
    assert set(names) == {"core", "troubled-families", "planning", "highways"}
    for cid in ("case", "family-case", "planning-application", "pothole-report", "organisation", "service",
                "area", "person", "family", "family-member"):
        assert queries.concept(cid) is not None, cid
    assert queries.ancestors("family-case") == ["case"]
    assert set(queries.descendants("case")) == {"family-case", "planning-application", "pothole-report"}
    assert queries.find_code("lgsl-service", "557").label == "Road maintenance"
    assert queries.code_item("nw-england-area", "E08000003").label == "Manchester"
    outcome = queries.code_item("sf-headline-outcome", "7")
    assert outcome.label == "Families diverted from crime" and outcome.broader == "1"


def test_loading_again_changes_nothing(dictionary):
    again = packs.load_shipped()
    assert all(r["unchanged_pack"] for r in again)
    assert queries.concept("case").version == 1


BAD_PARENT = """
pack: waste
depends_on: [core]
concepts:
- id: fly-tipping-report
  parent: nuisance-case
  layer: operational
  properties:
  - {name: location, datatype: string}
"""


def _refused(text: str) -> list[str]:
    with pytest.raises(packs.PackError) as err:
        packs.import_pack(text)
    return err.value.problems


def test_unknown_parent_is_refused_naming_pack_and_concept(dictionary):
    problems = _refused(BAD_PARENT)
    assert any('pack "waste"' in p and 'concept "fly-tipping-report"' in p and "nuisance-case" in p
               for p in problems)
    assert queries.concept("fly-tipping-report") is None


def test_incompatible_narrowing_is_refused_and_nothing_applied(dictionary):
    text = """
pack: waste
depends_on: [core]
code_lists:
- id: waste-kind
  items: [{code: household, label: Household}]
concepts:
- id: bin-collection
  layer: operational
  properties: [{name: round, datatype: string}]
- id: missed-bin-report
  parent: case
  layer: operational
  properties:
  - {name: opened, label: Opened, datatype: integer}
  - {name: status, code_list: waste-kind}
  - {name: case_id, datatype: string, required: false}
"""
    problems = _refused(text)
    joined = "\n".join(problems)
    assert 'pack "waste", concept "missed-bin-report", property "opened"' in joined
    assert 'property "status"' in joined and "not a subset" in joined
    assert 'property "case_id"' in joined and "optional" in joined
    # one transaction: neither the good concept nor the code list was applied
    assert queries.concept("bin-collection") is None
    assert queries.code_items("waste-kind") == []


def test_unknown_code_list_and_cycle_are_refused(dictionary):
    problems = _refused("""
pack: waste
depends_on: [core]
concepts:
- {id: a, layer: operational, parent: b}
- {id: b, layer: operational, parent: a}
- id: c
  layer: operational
  properties: [{name: kind, code_list: no-such-list}]
""")
    joined = "\n".join(problems)
    assert "cycle" in joined and 'concept "a"' in joined
    assert 'concept "c", property "kind"' in joined and "no-such-list" in joined


def test_unknown_dependency_is_refused(dictionary):
    assert any("not loaded" in p for p in _refused("pack: x\ndepends_on: [nope]\nconcepts: []\n"))


def test_a_changed_concept_gets_a_new_version(dictionary):
    text = packs.export_pack("highways").replace("Pothole report", "Pothole or road defect report")
    report = packs.import_pack(text)
    assert report["changed"] == ["pothole-report"]
    assert queries.concept("pothole-report").version == 2
    assert "pothole-report" in report["affected"]
    # a change to case reaches every descendant for re-indexing
    core = packs.export_pack("core").replace("A matter raised with a service", "A matter raised")
    assert set(packs.import_pack(core)["affected"]) >= {"case", "family-case", "planning-application",
                                                         "pothole-report"}


def test_export_round_trips(dictionary):
    text = packs.export_pack("troubled-families")
    assert "sf-headline-outcome" in text and "broader_list: tf-headline-problem" in text
    report = packs.import_pack(text)
    assert report["changed"] == [] and report["created"] == []
    with pytest.raises(tk.ObjectNotFound):
        packs.export_pack("nope")
