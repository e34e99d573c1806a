"""The dictionary's API against the real database and index."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

pytestmark = pytest.mark.usefixtures("portal", "dictionary")


def _ds(org, concept, **kw):
    return factories.Dataset(owner_org=org["id"], layer="operational", notes="Cases.", conforms_to=concept, **kw)


def test_concept_list_filters_by_layer_and_text():
    everything = helpers.call_action("ldeco_concept_list")
    ids = {c["id"] for c in everything}
    assert {"case", "family-case", "planning-application", "pothole-report", "organisation"} <= ids
    reference = helpers.call_action("ldeco_concept_list", layer="reference")
    assert {c["id"] for c in reference} == {"organisation", "service", "area"}
    assert [c["id"] for c in helpers.call_action("ldeco_concept_list", q="pothole")] == ["pothole-report"]


def test_concept_show_gives_inherited_properties_ancestors_and_descendants():
    fc = helpers.call_action("ldeco_concept_show", id="family-case")
    props = {p["name"]: p for p in fc["properties"]}
    assert props["case_id"]["inherited_from"] == "case" and props["case_id"]["required"]
    assert props["headline_problems"]["inherited_from"] is None
    assert props["headline_problems"]["code_list"] == "tf-headline-problem"
    assert [a["id"] for a in fc["ancestors"]] == ["case"]
    assert any(r["predicate"] == "raisedWithin" and r["inherited_from"] == "case" for r in fc["relations"])
    case = helpers.call_action("ldeco_concept_show", id="case")
    assert {d["id"] for d in case["descendants"]} == {"family-case", "planning-application", "pothole-report"}
    assert case["versions"][0]["version"] == 1
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("ldeco_concept_show", id="nope")


def test_concept_show_counts_datasets_of_descendants():
    org = factories.Organization()
    _ds(org, "family-case", title="Family cases")
    _ds(org, "pothole-report", title="Potholes")
    _ds(org, "organisation", title="Agencies")
    case = helpers.call_action("ldeco_concept_show", id="case")
    assert case["datasets"]["count"] == 2
    assert {d["title"] for d in case["datasets"]["results"]} == {"Family cases", "Potholes"}
    assert helpers.call_action("ldeco_concept_show", id="pothole-report")["datasets"]["count"] == 1


def test_code_list_show_has_hierarchy_across_lists():
    tf = helpers.call_action("ldeco_code_list_show", id="tf-headline-problem")
    assert tf["count"] == 6
    crime = next(i for i in tf["items"] if i["code"] == "1")
    assert "sf-headline-outcome:7" in crime["narrower"]
    functions = helpers.call_action("ldeco_code_list_show", id="lgsl-function")
    safety = next(i for i in functions["items"] if i["label"] == "Criminal justice")
    assert safety["broader"] == "16" and safety["uri"] == "http://id.esd.org.uk/function/17"
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("ldeco_code_list_show", id="nope")


WASTE = """
pack: waste
title: Waste
depends_on: [core]
concepts:
- id: missed-bin-report
  label: Missed bin report
  parent: case
  layer: operational
  properties: [{name: round, label: Collection round, datatype: string}]
"""


def test_pack_import_is_for_sysadmins_and_stewards_only():
    publisher = factories.User()
    steward = factories.User()
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("ldeco_pack_import", context={"user": publisher["name"], "ignore_auth": False},
                            pack=WASTE)
    admin = factories.Sysadmin()
    helpers.call_action("ldeco_steward_grant", context={"user": admin["name"], "ignore_auth": False},
                        user=steward["name"])
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("ldeco_steward_grant", context={"user": steward["name"], "ignore_auth": False},
                            user=publisher["name"])
    report = helpers.call_action("ldeco_pack_import", context={"user": steward["name"], "ignore_auth": False},
                                 pack=WASTE)
    assert report["created"] == ["missed-bin-report"]
    assert "missed-bin-report" in {d["id"] for d in helpers.call_action("ldeco_concept_show", id="case")["descendants"]}
    assert [s["user"] for s in helpers.call_action("ldeco_steward_list")] == [steward["name"]]
    helpers.call_action("ldeco_steward_revoke", user=steward["name"])
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("ldeco_pack_import", context={"user": steward["name"], "ignore_auth": False},
                            pack=WASTE)


def test_pack_import_refusal_names_pack_concept_property_and_applies_nothing():
    bad = WASTE.replace("properties: [{name: round, label: Collection round, datatype: string}]",
                        "properties: [{name: round, code_list: rounds}]")
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("ldeco_pack_import", pack=bad)
    message = err.value.error_dict["pack"][0]
    assert 'pack "waste"' in message and 'concept "missed-bin-report"' in message
    assert 'property "round"' in message and '"rounds"' in message
    assert "missed-bin-report" not in {c["id"] for c in helpers.call_action("ldeco_concept_list")}
    assert "waste" not in {p["name"] for p in helpers.call_action("ldeco_pack_list")}


def test_pack_export_round_trips_through_import():
    exported = helpers.call_action("ldeco_pack_export", id="planning")
    assert "planning-application" in exported["pack"]
    report = helpers.call_action("ldeco_pack_import", pack=exported["pack"])
    assert report["created"] == [] and report["changed"] == []


def test_api_is_public_for_reading(app):
    res = app.get("/api/3/action/ldeco_concept_show?id=pothole-report")
    assert res.json["result"]["ancestors"][0]["id"] == "case"
    res = app.post("/api/3/action/ldeco_pack_import", json={"pack": WASTE}, status=403)
    assert "dictionary stewards" in res.json["error"]["message"]
