"""The golden thread: links validated against the layers, followed both
ways for whoever may see them, drawn on the dataset page and exported in DCAT."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from ckanext.ldeco.thread.roles import ROLES, refusal
from tests.dcat.test_profiles import violations

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")


@pytest.mark.parametrize("role, source, target", [
    ("derived_from", "statistical", "operational"),
    ("analyses", "analytical", "statistical"),
    ("evidences", "political", "analytical"),
    ("evidences", "political", "statistical"),
    ("measures", "political", "statistical"),
    ("observed_in", "political", "operational"),
])
def test_each_role_joins_its_layers(role, source, target):
    assert refusal(ROLES[role], source, target) is None


@pytest.mark.parametrize("role, source, target, words", [
    ("derived_from", "analytical", "operational", "of the statistical layer; this dataset is analytical"),
    ("derived_from", "statistical", "political", "the operational layer; the dataset named is political"),
    ("evidences", "political", "operational", "must name a dataset of the analytical or statistical layer"),
])
def test_a_link_across_the_wrong_layers_names_the_rule(role, source, target, words):
    assert words in refusal(ROLES[role], source, target)


@pytest.fixture
def world(portal):
    publisher = factories.UserWithToken()
    outsider = factories.UserWithToken()
    org = factories.Organization(users=[{"name": publisher["name"], "capacity": "editor"}])
    other = factories.Organization(users=[{"name": outsider["name"], "capacity": "editor"}])
    as_publisher = {"user": publisher["name"]}

    def dataset(name, layer, owner=org, access="open", thread=None, user=as_publisher, **extra):
        return tk.get_action("package_create")(dict(user), dict(
            name=name, title=name.replace("-", " ").title(), notes=f"About {name}.", layer=layer,
            owner_org=owner["id"], access_level=access, license_id="uk-ogl", thread=thread or [], **extra))

    cases = dataset("family-cases", "operational", access="restricted")
    caseload = dataset("caseload", "statistical", thread=[{"role": "derived_from", "dataset": "family-cases"}])
    analysis = dataset("outcomes", "analytical", thread=[{"role": "analyses", "dataset": caseload["id"]}])
    decision = dataset("budget", "political", thread=[
        {"role": "evidences", "dataset": "outcomes"}, {"role": "measures", "dataset": "caseload"},
        {"role": "observed_in", "dataset": "family-cases"}])
    hidden = dataset("hidden-draft", "statistical", owner=other, private=True, user={"user": outsider["name"]},
                     thread=[{"role": "derived_from", "dataset": "family-cases"}])
    return dict(publisher=publisher, outsider=outsider, org=org, dataset=dataset, cases=cases,
                caseload=caseload, analysis=analysis, decision=decision, hidden=hidden)


def _errors(excinfo) -> str:
    return str(excinfo.value.error_dict)


def test_links_are_stored_by_name_and_kept_when_the_target_is_restricted(world):
    # the analysis named its statistic by id: the link keeps the name
    assert world["analysis"]["thread"] == [{"role": "analyses", "dataset": "caseload"}]
    assert world["caseload"]["thread"] == [{"role": "derived_from", "dataset": "family-cases"}]
    assert world["cases"]["access_level"] == "restricted"


@pytest.mark.parametrize("thread, words", [
    ([{"role": "derived_from", "dataset": "caseload"}], "the operational layer; the dataset named is statistical"),
    ([{"role": "derived_from", "dataset": "no-such-dataset"}], "There is no dataset named 'no-such-dataset'"),
    ([{"role": "derived_from", "dataset": "hidden-draft"}], "There is no dataset named 'hidden-draft'"),
    ([{"role": "", "dataset": "family-cases"}], "Choose the kind of link to family-cases"),
    ([{"role": "derived_from", "dataset": ""}], "Name the dataset this link points to"),
    ([{"role": "made_up", "dataset": "family-cases"}], "Unknown kind of link 'made_up'"),
    ([{"role": "derived_from", "dataset": "family-cases"}, {"role": "derived_from", "dataset": "family-cases"}],
     'family-cases is already linked as "Derived from"'),
])
def test_a_bad_link_is_refused_with_its_reason_and_nothing_is_stored(world, thread, words):
    with pytest.raises(tk.ValidationError) as excinfo:
        world["dataset"]("new-statistic", "statistical", thread=thread)
    assert words in _errors(excinfo)
    with pytest.raises(tk.ObjectNotFound):
        tk.get_action("package_show")({"ignore_auth": True}, {"id": "new-statistic"})


def test_a_dataset_cannot_link_to_itself(world):
    with pytest.raises(tk.ValidationError) as excinfo:
        tk.get_action("package_patch")({"user": world["publisher"]["name"]}, {
            "id": "caseload", "thread": [{"role": "derived_from", "dataset": "caseload"}]})
    assert "cannot be linked to itself" in _errors(excinfo)


def test_blank_rows_of_the_form_are_not_links(world):
    made = world["dataset"]("blank-rows", "statistical", thread=[{"role": "", "dataset": ""}])
    shown = tk.get_action("ldeco_thread_show")({"user": ""}, {"id": made["name"]})
    assert shown["links"] == []


def test_the_thread_is_followed_both_ways_from_any_dataset(world):
    shown = tk.get_action("ldeco_thread_show")({"user": ""}, {"id": "caseload"})
    assert shown["dataset"] == "caseload"
    assert set(shown["datasets"]) == {"family-cases", "caseload", "outcomes", "budget"}
    assert {(x["from"], x["to"], x["role"]) for x in shown["links"]} == {
        ("caseload", "family-cases", "derived_from"), ("outcomes", "caseload", "analyses"),
        ("budget", "outcomes", "evidences"), ("budget", "caseload", "measures"),
        ("budget", "family-cases", "observed_in")}
    assert [x["layer"] for x in shown["layers"]] == ["operational", "statistical", "analytical", "political"]
    assert shown["datasets"]["family-cases"]["access_level"] == "restricted"


def test_one_step_reaches_only_the_neighbours(world):
    shown = tk.get_action("ldeco_thread_show")({"user": ""}, {"id": "family-cases", "depth": 1})
    assert set(shown["datasets"]) == {"family-cases", "caseload", "budget"}


def test_what_the_caller_may_not_see_is_left_out_with_its_links(world):
    public = tk.get_action("ldeco_thread_show")({"user": ""}, {"id": "family-cases"})
    assert "hidden-draft" not in public["datasets"]
    assert all("hidden-draft" not in (x["from"], x["to"]) for x in public["links"])
    own = tk.get_action("ldeco_thread_show")({"user": world["outsider"]["name"]}, {"id": "family-cases"})
    assert ("hidden-draft", "family-cases", "derived_from") in {(x["from"], x["to"], x["role"]) for x in own["links"]}


def test_a_private_dataset_has_no_thread_for_others(world):
    with pytest.raises(tk.NotAuthorized):
        tk.get_action("ldeco_thread_show")({"user": world["publisher"]["name"]}, {"id": "hidden-draft"})
    with pytest.raises(tk.ObjectNotFound):
        tk.get_action("ldeco_thread_show")({"user": ""}, {"id": "no-such-dataset"})
    with pytest.raises(tk.ValidationError) as excinfo:
        tk.get_action("ldeco_thread_show")({"user": ""}, {"id": "caseload", "depth": 99})
    assert "depth" in _errors(excinfo)


def test_the_dataset_page_draws_the_thread(app, world):
    page = app.get("/dataset/caseload").get_data(as_text=True)
    assert "Golden thread" in page
    for title, tag in [("Family Cases", "Source of this dataset"), ("Outcomes", "Analyses this dataset"),
                       ("Budget", "Measured by this dataset")]:
        assert f'href="/dataset/{title.lower().replace(" ", "-")}"' in page
        assert tag in page
    assert "Restricted: metadata open, records by request" in page
    assert "hidden-draft" not in page
    roles = app.get("/thread")
    assert roles.status_code == 200
    assert 'id="derived_from"' in roles.get_data(as_text=True)


def test_a_dataset_without_links_has_no_thread_section(app, world):
    world["dataset"]("lonely", "reference")
    assert "Golden thread" not in app.get("/dataset/lonely").get_data(as_text=True)


def test_the_thread_is_exported_as_qualified_relations_and_still_validates(app, world):
    res = app.get("/dataset/budget.ttl")
    graph = Graph().parse(data=res.get_data(as_text=True), format="turtle")
    assert violations(graph) == []
    site = tk.config["ckan.site_url"].rstrip("/")
    ref = next(graph.subjects(RDF.type, DCAT.Dataset))
    found = {(graph.value(rel, DCAT.hadRole), graph.value(rel, DCT.relation))
             for rel in graph.objects(ref, DCAT.qualifiedRelation)}
    assert found == {
        (URIRef(f"{site}/thread#evidences"), URIRef(f"{site}/dataset/{world['analysis']['id']}")),
        (URIRef(f"{site}/thread#measures"), URIRef(f"{site}/dataset/{world['caseload']['id']}")),
        (URIRef(f"{site}/thread#observed_in"), URIRef(f"{site}/dataset/{world['cases']['id']}")),
    }
    assert (URIRef(f"{site}/thread#measures"), RDF.type, DCAT.Role) in graph

    derived = Graph().parse(data=app.get("/dataset/caseload.ttl").get_data(as_text=True), format="turtle")
    assert violations(derived) == []
    dref = next(derived.subjects(RDF.type, DCAT.Dataset))
    assert list(derived.objects(dref, PROV.wasDerivedFrom)) == [URIRef(f"{site}/dataset/{world['cases']['id']}")]


def test_a_link_to_a_dataset_the_reader_may_not_see_is_not_exported(app, world):
    headers = {"Authorization": world["outsider"]["token"]}
    own = Graph().parse(data=app.get("/dataset/hidden-draft.ttl", headers=headers).get_data(as_text=True),
                        format="turtle")
    assert len(list(own.subjects(RDF.type, DCAT.Relationship))) == 1
    # the catalogue an anonymous reader gets never names the private dataset
    text = app.get("/catalog.ttl").get_data(as_text=True)
    assert world["hidden"]["id"] not in text


def test_the_dataset_form_offers_the_kinds_of_link_by_their_labels(app, world):
    page = app.get("/dataset/edit/caseload", headers={"Authorization": world["publisher"]["token"]})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Golden thread" in text and "Kind of link" in text
    for role in ROLES.values():
        assert f'value="{role.name}"' in text and role.label in text
