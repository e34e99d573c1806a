"""The dictionary's pages and exports."""

from __future__ import annotations

import json

import jsonschema
import pytest
from ckan.tests import factories
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

pytestmark = pytest.mark.usefixtures("dictionary")


def test_dictionary_page_shows_the_tree_by_layer_and_theme(portal):
    body = portal.get("/dictionary").get_data(as_text=True)
    assert "Operational" in body and "Reference" in body
    assert "Theme: core" in body
    # Family case sits under Case
    assert body.index(">Case<") < body.index(">Family case<")
    assert 'id="ldeco-dictionary-q"' in body
    filtered = portal.get("/dictionary?q=pothole").get_data(as_text=True)
    assert "Pothole report" in filtered and "Family case" not in filtered
    assert "No concept matches" in portal.get("/dictionary?q=zzzz").get_data(as_text=True)


def test_concept_page(portal):
    org = factories.Organization()
    factories.Dataset(
        owner_org=org["id"],
        layer="operational",
        notes="x",
        conforms_to="family-case",
        title="Family cases of Wigan",
    )
    body = portal.get("/dictionary/case").get_data(as_text=True)
    for text in (
        "A matter raised with a service",
        "Pothole report",
        "Family cases of Wigan",
        "Version 1",
        "JSON Schema",
    ):
        assert text in body, text
    body = portal.get("/dictionary/family-case").get_data(as_text=True)
    assert "inherited from" in body and "tf-headline-problem" in body
    assert portal.get("/dictionary/nope", status=404)


def test_dataset_page_links_to_its_concept(portal):
    org = factories.Organization()
    ds = factories.Dataset(owner_org=org["id"], layer="operational", notes="x", conforms_to="pothole-report")
    body = portal.get(f"/dataset/{ds['name']}").get_data(as_text=True)
    assert 'href="/dictionary/pothole-report"' in body and "Pothole report" in body


def test_code_list_page(portal):
    body = portal.get("/dictionary/code-list/sf-headline-outcome").get_data(as_text=True)
    assert "Families diverted from crime" in body and "10 items" in body


LDECO = Namespace("http://test.ckan.net/dictionary/")


def test_turtle_and_jsonld_exports(portal):
    res = portal.get("/dictionary.ttl")
    assert res.headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=res.get_data(as_text=True), format="turtle")
    case, family_case = LDECO["case"], LDECO["family-case"]
    assert (family_case, RDFS.subClassOf, case) in g
    assert (family_case, SKOS.broader, case) in g
    assert (case, SKOS.prefLabel, Literal("Case", lang="en")) in g
    outcome = URIRef("http://test.ckan.net/dictionary/code-list/sf-headline-outcome/7")
    problem = URIRef("http://test.ckan.net/dictionary/code-list/tf-headline-problem/1")
    assert (outcome, SKOS.broader, problem) in g
    assert (
        URIRef("http://id.esd.org.uk/service/557"),
        SKOS.prefLabel,
        Literal("Road maintenance", lang="en"),
    ) in g
    jsonld = Graph().parse(data=portal.get("/dictionary.jsonld").get_data(as_text=True), format="json-ld")
    assert len(jsonld) == len(g)


def test_shacl_shapes_check_records(portal):
    shapes = Graph().parse(data=portal.get("/dictionary.ttl").get_data(as_text=True), format="turtle")
    record = URIRef("http://example.org/case/1")
    data = Graph()
    data.add((record, RDF.type, LDECO["pothole-report"]))
    data.add((record, URIRef(f"{LDECO['case']}#case_id"), Literal("PH-1")))
    data.add((record, URIRef(f"{LDECO['case']}#opened"), Literal("2024-01-02", datatype=XSD.date)))
    data.add((record, URIRef(f"{LDECO['pothole-report']}#location"), Literal("Oxford Road")))
    conforms, _, _ = validate(data, shacl_graph=shapes, ont_graph=shapes, inference="rdfs")
    assert conforms
    data.remove((record, URIRef(f"{LDECO['case']}#case_id"), None))  # inherited and required
    conforms, _, text = validate(data, shacl_graph=shapes, ont_graph=shapes, inference="rdfs")
    assert not conforms and "case_id" in text


def test_json_schema_and_table_schema(portal):
    schema = json.loads(portal.get("/dictionary/family-case.schema.json").get_data(as_text=True))
    jsonschema.Draft202012Validator.check_schema(schema)
    good = {"case_id": "TF-1", "opened": "2019-01-14", "family_id": "F-1", "headline_problems": "1"}
    jsonschema.validate(good, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(dict(good, headline_problems="9"), schema)
    assert set(schema["required"]) >= {"case_id", "opened", "family_id"}
    assert schema["properties"]["case_id"]["x-inherited-from"] == "case"
    table = json.loads(portal.get("/dictionary/planning-application.tableschema.json").get_data(as_text=True))
    fields = {f["name"]: f for f in table["fields"]}
    assert fields["received_date"]["type"] == "date" and fields["received_date"]["constraints"]["required"]
    assert fields["development_scale"]["constraints"]["enum"] == ["major", "minor"]
    assert fields["case_id"]["constraints"]["required"]
    assert portal.get("/dictionary/nope.schema.json", status=404)


def test_resource_form_lists_the_concept_properties_to_map(portal):
    user = factories.Sysadmin()
    org = factories.Organization()
    ds = factories.Dataset(owner_org=org["id"], layer="operational", notes="x", conforms_to="pothole-report")
    body = portal.get(
        f"/dataset/{ds['name']}/resource/new",
        headers={"Authorization": factories.APIToken(user=user["name"])["token"]},
    ).get_data(as_text=True)
    assert "Properties of Pothole report" in body
    assert "<code>depth_mm</code>" in body and "<code>case_id</code>" in body
