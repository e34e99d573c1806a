"""The portal's DCAT output validates against the DCAT-AP 3.0.1 shapes
(shapes.ttl with range.ttl, copied under shapes/) with no violation: the demo
catalogue, every dataset on its own, and datasets of every kind of resource,
open and restricted, as the public sees them (restricted links redacted) and
as their publisher does."""
from __future__ import annotations

import functools
import json
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from ckanext.ldeco.dcat import profiles
from ckanext.ldeco.demo import loader
from ckanext.ldeco.dictionary import packs
from tests.demo.helpers import ecosystem

SH = Namespace("http://www.w3.org/ns/shacl#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
AR = Namespace("http://publications.europa.eu/resource/authority/access-right/")
FT = Namespace("http://publications.europa.eu/resource/authority/file-type/")
SECRET_URL = "http://127.0.0.1:9/protected/cases-record-level.csv"
FORMATS = {"turtle": "ttl", "json-ld": "jsonld", "xml": "xml"}


@functools.lru_cache(maxsize=1)
def _shapes() -> Graph:
    here = Path(__file__).parent / "shapes"
    return Graph().parse(here / "shapes.ttl").parse(here / "range.ttl")


def violations(graph: Graph) -> list[str]:
    """Each violation as 'focus path: message', so that a failure says what broke."""
    _, report, _ = validate(graph, shacl_graph=_shapes(), inference="none")
    return sorted(
        f"{report.value(r, SH.focusNode)} {report.value(r, SH.resultPath)}: "
        f"{report.value(r, SH.resultMessage)}"
        for r in report.subjects(RDF.type, SH.ValidationResult)
        if report.value(r, SH.resultSeverity) == SH.Violation
    )


def _get(app, url: str, fmt: str = "turtle", headers: dict | None = None) -> tuple[Graph, str]:
    res = app.get(url, headers=headers or {})
    assert res.status_code == 200, url
    text = res.get_data(as_text=True)
    return Graph().parse(data=text, format=fmt), text


def _dataset_ref(graph: Graph, dataset: dict) -> URIRef:
    return next(s for s in graph.subjects(RDF.type, DCAT.Dataset) if str(s).endswith(dataset["id"]))


# -- pure functions ----------------------------------------------------------

@pytest.mark.parametrize("given, code", [
    ("CSV", "CSV"), ("csv", "CSV"), (".xlsx", "XLSX"), ("JSON-LD", "JSON_LD"), ("GeoJSON", "GEOJSON"),
    ("Shapefile", "SHP"), ("text", "TXT"), ("ttl", "RDF_TURTLE"), (str(FT.PDF), "PDF"),
])
def test_formats_map_to_the_eu_file_type_table(given, code):
    assert profiles.file_type(given) == FT[code]


@pytest.mark.parametrize("given", ["Markdown", "", "my own format", "CSV-ish nonsense"])
def test_formats_outside_the_table_have_no_file_type(given):
    assert profiles.file_type(given) is None


def test_media_types_become_iana_resources():
    assert profiles.media_type("text/csv") == URIRef("https://www.iana.org/assignments/media-types/text/csv")
    assert profiles.media_type("Text/Markdown") == URIRef("https://www.iana.org/assignments/media-types/text/markdown")
    assert profiles.media_type("CSV") is None


# -- the demo catalogue --------------------------------------------------------

@pytest.mark.usefixtures("portal")
def test_the_demo_catalogue_and_each_of_its_datasets_validate(app):
    loader.load(ecosystem(["MAN"]))
    names = tk.get_action("package_list")({}, {})
    assert len(names) > 10

    for fmt, ext in FORMATS.items():
        graph, _ = _get(app, f"/catalog.{ext}", fmt)
        assert violations(graph) == [], fmt
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == len(names)

    cases = tk.get_action("package_show")({"ignore_auth": True},
                                          {"id": "manchester-city-council-troubled-families-cases"})
    concept = tk.get_action("ldeco_concept_show")({}, {"id": "family-case"})
    restricted = open_ = 0
    for name in names:
        graph, _ = _get(app, f"/dataset/{name}.ttl")
        assert violations(graph) == [], name
        dataset = tk.get_action("package_show")({"ignore_auth": True}, {"id": name})
        ref = _dataset_ref(graph, dataset)
        right = graph.value(ref, DCT.accessRights)
        if dataset["access_level"] == "restricted":
            assert right == AR.RESTRICTED
            restricted += 1
        else:
            assert right == AR.PUBLIC
            open_ += 1
        for dist in graph.objects(ref, DCAT.distribution):
            for fmt in graph.objects(dist, DCT["format"]):
                assert (fmt, RDF.type, DCT.MediaTypeOrExtent) in graph
        if name == cases["name"]:
            assert graph.value(ref, DCT.conformsTo) == URIRef(concept["uri"])
            assert (URIRef(concept["uri"]), RDF.type, DCT.Standard) in graph
            assert not list(graph.objects(ref, DCT.conformsTo)) == [Literal("family-case")]
    assert restricted and open_


# -- datasets of every kind, seen by the public and by their publisher ----------

@pytest.fixture
def representative(portal, create_with_upload):
    packs.load_shipped()
    publisher = factories.UserWithToken()
    org = factories.Organization(
        title="Bolton Council", agency_kind="council", organisation_type="Metropolitan District",
        area="E08000001", users=[{"name": publisher["name"], "capacity": "editor"}])
    common = dict(owner_org=org["id"], license_id="uk-ogl", tag_string="families,cases",
                  contact=[{"name": "Data team", "email": "data@bolton.example"}])
    open_ = tk.get_action("package_create")({"user": publisher["name"]}, dict(
        common, name="potholes", title="Pothole reports", notes="Reported potholes.", layer="operational",
        access_level="open", open_confirmed=True, conforms_to="pothole-report", theme="Transport and highways",
        service="557", spatial_gss="E08000001, E05011351",
        temporal_coverage=[{"start": "2024-01-01", "end": "2024-12-31"}],
        spatial_coverage=[{"uri": "http://statistics.data.gov.uk/id/statistical-geography/E08000001",
                           "text": "Bolton"}],
        resources=[
            {"name": "Reports (link)", "url": "http://127.0.0.1:9/open/potholes.csv", "format": "CSV"},
            {"name": "Notes", "url": "http://127.0.0.1:9/open/notes.md", "format": "Markdown",
             "mimetype": "text/markdown"},
            {"name": "Map", "url": "http://127.0.0.1:9/open/potholes.geojson", "format": "GeoJSON",
             "conforms_to": "pothole-report"},
        ]))
    create_with_upload("report_id,ward\nP-1,E05000650\n", "potholes.csv", package_id=open_["id"],
                       name="Reports (file)", format="CSV", context={"user": publisher["name"]})
    restricted = tk.get_action("package_create")({"user": publisher["name"]}, dict(
        common, name="family-cases", title="Family cases", notes="Record level.", layer="operational",
        access_level="restricted", license_id="other-closed", conforms_to="family-case",
        resources=[{"name": "Cases (link)", "url": SECRET_URL, "format": "CSV"}]))
    create_with_upload("family_id,ward\nF-1,E05000650\n", "families.csv", package_id=restricted["id"],
                       name="Cases (file)", format="CSV", context={"user": publisher["name"]})
    table = tk.get_action("datastore_create")({"user": publisher["name"]}, {
        "resource": {"package_id": restricted["id"], "name": "Cases (table)", "format": "CSV"}, "force": True,
        "fields": [{"id": "family_id", "type": "text"}], "records": [{"family_id": "F-1"}]})
    assert table["resource_id"]
    return {"publisher": publisher, "open": open_, "restricted": restricted}


@pytest.mark.parametrize("who", [None, "publisher"], ids=["public", "publisher"])
def test_datasets_of_every_kind_validate_alone_and_in_the_catalogue(app, representative, who):
    headers = {"Authorization": representative[who]["token"]} if who else {}
    for key in ("open", "restricted"):
        dataset = representative[key]
        for fmt, ext in FORMATS.items():
            graph, text = _get(app, f"/dataset/{dataset['name']}.{ext}", fmt, headers)
            assert violations(graph) == [], (key, fmt)
            assert (SECRET_URL in text) == (who == "publisher" and key == "restricted"), (key, fmt)
    graph, text = _get(app, "/catalog.ttl", headers=headers)
    assert violations(graph) == []
    assert SECRET_URL not in text       # the catalogue comes from the index, which never holds it


def test_what_the_profile_says_about_a_dataset(app, representative):
    dataset = representative["open"]
    graph, _ = _get(app, f"/dataset/{dataset['name']}.ttl")
    ref = _dataset_ref(graph, dataset)

    concept = tk.get_action("ldeco_concept_show")({}, {"id": "pothole-report"})
    assert graph.value(ref, DCT.conformsTo) == URIRef(concept["uri"])
    assert graph.value(ref, DCT.accessRights) == AR.PUBLIC
    assert (AR.PUBLIC, SKOS.prefLabel, Literal("public", lang="en")) in graph

    themes = set(graph.objects(ref, DCAT.theme))
    assert URIRef("http://id.esd.org.uk/service/557") in themes and len(themes) == 2
    assert all((t, RDF.type, SKOS.Concept) in graph for t in themes)
    spatial = set(graph.objects(ref, DCT.spatial))
    assert URIRef("http://statistics.data.gov.uk/id/statistical-geography/E05011351") in spatial

    by_title = {str(graph.value(d, DCT.title)): d for d in graph.objects(ref, DCAT.distribution)}
    assert graph.value(by_title["Reports (link)"], DCT["format"]) == FT.CSV
    assert graph.value(by_title["Map"], DCT["format"]) == FT.GEOJSON
    assert graph.value(by_title["Map"], DCT.conformsTo) == URIRef(concept["uri"])
    markdown = graph.value(by_title["Notes"], DCT["format"])
    assert str(graph.value(markdown, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) == "Markdown"
    assert graph.value(by_title["Notes"], DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/text/markdown")
    assert graph.value(by_title["Reports (link)"], DCT.license) == URIRef(
        "http://publications.europa.eu/resource/authority/licence/OGL_3_0")

    publisher = graph.value(ref, DCT.publisher)
    assert graph.value(publisher, DCT.type) == URIRef("http://purl.org/adms/publishertype/LocalAuthority")

    restricted = representative["restricted"]
    graph, _ = _get(app, f"/dataset/{restricted['name']}.jsonld", "json-ld")
    ref = _dataset_ref(graph, restricted)
    assert graph.value(ref, DCT.accessRights) == AR.RESTRICTED
    # the redacted link is the gated download route
    urls = {str(u) for d in graph.objects(ref, DCAT.distribution) for u in graph.objects(d, DCAT.accessURL)}
    assert any(u.endswith("/download") for u in urls) and SECRET_URL not in urls
    json.loads(app.get(f"/dataset/{restricted['name']}.jsonld").get_data(as_text=True))
