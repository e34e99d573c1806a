"""Derived open statistics: defined once by a publisher, published as an
open table under the same disclosure control, linked to what they count,
and derived again when a source changes."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.lib import jobs
from ckan.tests import factories

from ckanext.ldeco.records import derive
from tests.records.test_aggregate import cases, dictionary  # noqa: F401 (fixtures)


def _act(action, user=None, **data):
    return tk.get_action(action)({"user": user["name"]} if user else {}, data)


@pytest.fixture
def statistics(cases):  # noqa: F811
    publisher = factories.User()
    org = factories.Organization(title="Greater Manchester Combined Authority",
                                 users=[{"name": publisher["name"], "capacity": "editor"}])
    ds = factories.Dataset(owner_org=org["id"], layer="statistical", notes="Caseload of all services.")
    return publisher, ds


def test_a_publisher_derives_an_open_protected_table_linked_to_its_sources(statistics, cases):  # noqa: F811
    publisher, ds = statistics
    res = _act("ldeco_statistic_create", publisher, dataset_id=ds["id"], concept="case",
               group_by=["organisation", "quarter:opened"], name="Caseload of all services by organisation and quarter")
    assert (res["conforms_to"], res["access_level"]) == ("record-count", "open")
    assert "organisation = organisation" in res["column_map"].replace("=", " = ").replace("  ", " ")
    rows = _act("datastore_search", None, resource_id=res["id"], limit=100)["records"]  # anyone reads it
    answer = _act("ldeco_records_aggregate", None, concept="case", group_by=["organisation", "quarter:opened"])
    expected = {(c["key"]["organisation"], c["key"]["quarter:opened"]): ("c" if c["suppressed"] else str(c["count"]))
                for c in answer["cells"]}
    assert {(r["organisation"], r["quarter_opened"]): r["count"] for r in rows} == expected
    assert "c" in expected.values()  # something small was hidden, as the public answer hides it
    thread = tk.get_action("package_show")({"ignore_auth": True}, {"id": ds["id"]})["thread"]
    assert {t["role"] for t in thread} == {"derived_from"} and len(thread) == 2  # both agencies' cases
    report = tk.get_action("ldeco_quality_check")({"ignore_auth": True}, {"id": res["id"]})
    assert report["status"] in ("pass", "warnings") and not report["errors"]


def test_only_its_publishers_derive_in_a_statistical_dataset(statistics, cases):  # noqa: F811
    publisher, ds = statistics
    with pytest.raises(tk.NotAuthorized):
        _act("ldeco_statistic_create", factories.User(), dataset_id=ds["id"], concept="case",
             group_by=["status"], name="x")
    operational = factories.Dataset(owner_org=ds["owner_org"], layer="operational", notes="x")
    with pytest.raises(tk.ValidationError) as err:
        _act("ldeco_statistic_create", publisher, dataset_id=operational["id"], concept="case",
             group_by=["status"], name="x")
    assert "statistical dataset" in str(err.value.error_dict["dataset_id"])


def test_a_source_written_to_derives_the_statistic_again(statistics, cases):  # noqa: F811
    publisher, ds = statistics
    res = _act("ldeco_statistic_create", publisher, dataset_id=ds["id"], concept="case",
               group_by=["organisation"], name="Cases by organisation")
    before = {r["organisation"]: r["count"] for r in _act("datastore_search", None, resource_id=res["id"])["records"]}
    source = next(s for s in derive.aggregate.sources("case") if s.organization == cases["district"])
    queue = jobs.get_queue()
    queue.empty()
    tk.get_action("datastore_upsert")({"ignore_auth": True}, {
        "resource_id": source.resource_id, "method": "insert", "force": True,
        "records": [{"id": f"PA-new-{i}", "opened": "2025-01-15", "status": "open"} for i in range(12)]})
    queued = [j for j in queue.jobs if j.func_name.endswith("derive_job")]
    assert [j.args for j in queued] == [[res["id"]]]
    derive.derive_job(res["id"])  # what the worker runs
    after = {r["organisation"]: r["count"] for r in _act("datastore_search", None, resource_id=res["id"])["records"]}
    assert int(after[cases["district"]]) == int(before[cases["district"]]) + 12


def test_a_derived_statistic_exports_as_an_rdf_data_cube(statistics, cases, app):  # noqa: F811
    from rdflib import Graph
    from rdflib.namespace import QB, RDF

    publisher, ds = statistics
    res = _act("ldeco_statistic_create", publisher, dataset_id=ds["id"], concept="case",
               group_by=["organisation", "quarter:opened"], name="By organisation and quarter")
    answer = app.get(f"/dataset/{ds['name']}/resource/{res['id']}/cube.ttl")
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=answer.get_data(as_text=True), format="turtle")
    (cube,) = g.subjects(RDF.type, QB.DataSet)
    assert str(next(g.objects(cube, QB.structure))).endswith("record-count#structure")
    observations = list(g.subjects(RDF.type, QB.Observation))
    rows = _act("datastore_search", None, resource_id=res["id"], limit=100)["records"]
    assert len(observations) == len(rows)
    # a suppressed count has no number, only the marker
    marked = [o for o in observations if any(str(v).endswith("statistical-marker/c") for v in g.objects(o, None))]
    assert len(marked) == sum(r["count"] == "c" for r in rows) > 0
    # a table that is not a derived statistic has no cube
    assert app.get(f"/dataset/{ds['name']}/resource/{rows and 'no-such-resource'}/cube.ttl").status_code == 404
