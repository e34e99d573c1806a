"""Finding every Case: the concept's ancestry is in the search index."""
from __future__ import annotations

import pytest

from ckan.lib import jobs
from ckan.tests import factories, helpers

from ckanext.ldeco.dictionary import search

pytestmark = pytest.mark.usefixtures("portal", "dictionary")


def _ds(org, concept, title, layer="operational"):
    return factories.Dataset(owner_org=org["id"], layer=layer, notes="x", conforms_to=concept, title=title)


def _found(**params) -> set[str]:
    result = helpers.call_action("package_search", rows=100, **params)
    return {d["title"] for d in result["results"]}


def test_fq_on_case_finds_every_descendant_at_any_depth():
    org = factories.Organization()
    _ds(org, "family-case", "Family cases")
    _ds(org, "planning-application", "Planning applications")
    _ds(org, "pothole-report", "Pothole reports")
    _ds(org, "case", "Generic cases")
    _ds(org, "family", "Families")
    factories.Dataset(owner_org=org["id"], layer="statistical", notes="x", title="No concept")
    assert _found(fq="ldeco_concept:case") == {"Family cases", "Planning applications", "Pothole reports",
                                               "Generic cases"}
    assert _found(fq='ldeco_concept:"family-case"') == {"Family cases"}
    assert _found(fq="ldeco_concept:case AND layer:operational", q="pothole") == {"Pothole reports"}
    # a three-level chain: a pack adds a sub-concept of family-case
    helpers.call_action("ldeco_pack_import", pack="""
pack: early-help
depends_on: [troubled-families]
concepts:
- {id: early-help-case, label: Early help case, parent: family-case, layer: operational}
""")
    _ds(org, "early-help-case", "Early help cases")
    assert "Early help cases" in _found(fq="ldeco_concept:case")


def test_facets_layer_and_concept_with_labels():
    org = factories.Organization()
    _ds(org, "family-case", "A")
    _ds(org, "pothole-report", "B")
    result = helpers.call_action("package_search", **{"facet.field": ["layer", "ldeco_concept"]})
    concept = {i["name"]: i for i in result["search_facets"]["ldeco_concept"]["items"]}
    assert concept["case"]["count"] == 2 and concept["case"]["display_name"] == "Case"
    assert concept["pothole-report"]["display_name"] == "Pothole report"
    assert {i["name"]: i["count"] for i in result["search_facets"]["layer"]["items"]} == {"operational": 2}
    assert result["facets"]["ldeco_concept"]["case"] == 2


def test_dataset_search_page_facet_and_filter(app):
    org = factories.Organization()
    _ds(org, "family-case", "Family cases of Bolton")
    _ds(org, "family", "Families of Bolton")
    page = app.get("/dataset/?ldeco_concept=case").get_data(as_text=True)
    assert "Family cases of Bolton" in page and "Families of Bolton" not in page
    assert "Concept" in page  # the facet's title


def test_a_dictionary_change_reindexes_affected_datasets_in_a_job():
    queue = jobs.get_queue()
    queue.empty()
    org = factories.Organization()
    helpers.call_action("ldeco_pack_import", pack="""
pack: waste
depends_on: [core]
concepts:
- {id: missed-bin-report, label: Missed bin report, parent: event, layer: operational}
""")
    queue.empty()
    _ds(org, "missed-bin-report", "Missed bins")
    assert _found(fq="ldeco_concept:case") == set()
    # the steward decides a missed bin report is a case
    report = helpers.call_action("ldeco_pack_import", pack="""
pack: waste
depends_on: [core]
concepts:
- {id: missed-bin-report, label: Missed bin report, parent: case, layer: operational}
""")
    assert report["affected"] == ["missed-bin-report"]
    queued = [j for j in queue.jobs if j.func_name.endswith("reindex_concepts")]
    assert len(queued) == 1 and list(queued[0].args) == [["missed-bin-report"]]
    assert _found(fq="ldeco_concept:case") == set()  # not until the job has run
    assert search.reindex_concepts(*queued[0].args) == 1
    assert _found(fq="ldeco_concept:case") == {"Missed bins"}
    queue.empty()


def test_private_datasets_stay_private_in_concept_show():
    org = factories.Organization()
    factories.Dataset(owner_org=org["id"], layer="operational", notes="x", conforms_to="family-case",
                      title="Secret cases", private=True)
    shown = helpers.call_action("ldeco_concept_show", context={"user": "", "ignore_auth": False}, id="case")
    assert shown["datasets"]["count"] == 0
    admin = factories.Sysadmin()
    shown = helpers.call_action("ldeco_concept_show", context={"user": admin["name"], "ignore_auth": False},
                                id="case")
    assert shown["datasets"]["count"] == 1


def test_theme_service_and_area_facets_with_labels():
    org = factories.Organization()
    factories.Dataset(owner_org=org["id"], layer="operational", notes="x", conforms_to="pothole-report",
                      theme="Transport and highways", service="557", spatial_gss="E08000001, E08000003")
    factories.Dataset(owner_org=org["id"], layer="operational", notes="x", spatial_gss="E08000003")
    result = helpers.call_action("package_search", fq="ldeco_area:E08000003",
                                 **{"facet.field": ["theme", "service", "ldeco_area"]})
    assert result["count"] == 2
    facets = result["search_facets"]
    assert {i["display_name"] for i in facets["theme"]["items"]} == {"Transport and highways"}
    assert {i["display_name"] for i in facets["service"]["items"]} == {"Road maintenance"}
    areas = {i["name"]: (i["display_name"], i["count"]) for i in facets["ldeco_area"]["items"]}
    assert areas == {"E08000003": ("Manchester", 2), "E08000001": ("Bolton", 1)}
    assert helpers.call_action("package_search", fq="ldeco_area:E08000001")["count"] == 1
