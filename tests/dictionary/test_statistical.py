"""Statistical concepts are RDF Data Cube structures: a table of counts is
checked as one (dimensions, measures, markers), never as records."""

from __future__ import annotations

import json

import jsonschema
import pytest
from ckan.tests import factories, helpers
from rdflib import Graph, URIRef
from rdflib.namespace import QB, RDF

from ckanext.ldeco.dictionary import packs, quality

pytestmark = pytest.mark.usefixtures("portal", "dictionary")


def _refused(text: str) -> list[str]:
    with pytest.raises(packs.PackError) as err:
        packs.import_pack(text)
    return err.value.problems


@pytest.mark.parametrize("prop, problem", [
    ("{name: n, datatype: integer, component: measure}", None),
    ("{name: n, datatype: integer, component: cell}", 'component "cell" is not one of dimension, measure, attribute'),
    ("{name: n, datatype: string, component: measure}", 'a measure is a number'),
    ("{name: n, datatype: string, component: dimension, unit: km}", '"unit" and "markers" belong to a measure'),
    ("{name: n, datatype: integer, component: measure, markers: no-such-list}",
     'markers name unknown code list "no-such-list"'),
])
def test_a_pack_states_components_that_fit_the_data_cube(prop, problem):
    text = f"""
pack: counts
depends_on: [core]
concepts:
- id: tip-count
  layer: statistical
  parent: observation
  properties:
  - {prop}
"""
    if problem is None:
        packs.import_pack(text)
        return
    assert any(problem in p and 'concept "tip-count"' in p for p in _refused(text))


def test_only_a_statistical_concept_has_components():
    problems = _refused("""
pack: counts
depends_on: [core]
concepts:
- id: tip
  layer: operational
  properties:
  - {name: n, datatype: integer, component: measure}
""")
    assert any("only a concept of the statistical layer has components" in p for p in problems)


def _table(layer: str, concept: str, column_map: str, rows: list[dict]) -> dict:
    org = factories.Organization()
    ds = factories.Dataset(owner_org=org["id"], layer=layer, notes="x", conforms_to=concept)
    res = factories.Resource(package_id=ds["id"], url="http://127.0.0.1/t.csv", column_map=column_map)
    helpers.call_action("datastore_create", resource_id=res["id"], force=True, records=rows,
                        fields=[{"id": k, "type": "text"} for k in rows[0]])
    return res


ABSENCE = [
    {"la": "E08000003", "year": "202425", "possible": "182871", "missed": "29653", "rate": "16.2"},
    {"la": "E06000008", "year": "202425", "possible": "c", "missed": "x", "rate": "z"},
    {"la": "E08000001", "year": "202425", "possible": "lots", "missed": "12", "rate": "1.5"},
]
ABSENCE_MAP = ("la = area\nyear = period\npossible = sessions_possible\nmissed = sessions_missed\n"
               "rate = absence_rate")


def test_a_statistical_table_is_checked_by_its_dimensions_and_measures():
    report = quality.check_resource(_table("statistical", "pupil-absence", ABSENCE_MAP, ABSENCE)["id"])
    assert report["concept_kind"] == "statistical"
    # markers stand in for numbers, counted and explained; other text is an error
    markers = {w["property"]: w["count"] for w in report["warnings"] if w["kind"] == "markers"}
    assert markers == {"sessions_possible": 1, "sessions_missed": 1, "absence_rate": 1}
    (bad,) = report["errors"]
    assert (bad["kind"], bad["column"], bad["count"]) == ("not-a-measure", "possible", 1)
    assert bad["examples"][0]["value"] == "lots" and "statistical-marker" in bad["message"]


def test_statistics_are_never_checked_as_records():
    rows = [{"ward_code": "E05011521", "families": "12"}]
    report = quality.check_resource(_table("statistical", "family-case", "ward_code = area", rows)["id"])
    assert report["status"] == "warnings" and not report["errors"]
    (warning,) = report["warnings"]
    assert warning["kind"] == "statistics-as-records" and "family-case describes records" in warning["message"]
    # the same table, declared as the statistic it is, passes
    report = quality.check_resource(
        _table("statistical", "caseload-count", "ward_code = area\nfamilies = families", rows)["id"])
    assert report["status"] == "pass"


def test_exports_carry_the_cube_structure_and_the_markers(portal):
    schema = json.loads(portal.get("/dictionary/pupil-absence.schema.json").get_data(as_text=True))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate({"sessions_possible": "c", "sessions_missed": 10}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"sessions_possible": "lots", "sessions_missed": 10}, schema)
    assert schema["properties"]["absence_rate"]["x-unit"] == "percent"
    assert schema["properties"]["area"]["x-component"] == "dimension"

    table = json.loads(portal.get("/dictionary/pupil-absence.tableschema.json").get_data(as_text=True))
    assert {"c", "x", "z"} <= set(table["missingValues"])

    g = Graph().parse(data=portal.get("/dictionary.ttl").get_data(as_text=True), format="turtle")
    structures = set(g.subjects(RDF.type, QB.DataStructureDefinition))
    assert any(str(s).endswith("pupil-absence#structure") for s in structures)
    measures = {str(m).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for m in g.subjects(RDF.type, QB.MeasureProperty)}
    assert {"sessions_possible", "sessions_missed", "absence_rate"} <= measures
    assert isinstance(next(iter(structures)), URIRef)
