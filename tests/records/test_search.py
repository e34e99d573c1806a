"""Records of a concept across themes: every conforming table's rows through
its column map, cast to the dictionary's datatypes, and only what the
caller's decision for each table allows."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.ldeco.dictionary import packs
from tests.gating.conftest import build_restricted, call, handshake


def _as_admin():
    return {"user": factories.Sysadmin()["name"]}


def _table(dataset, name, fields, records, column_map, conforms_to=None):
    res = factories.Resource(package_id=dataset["id"], url="", url_type="datastore", name=name)
    tk.get_action("datastore_create")({"ignore_auth": True}, {
        "resource_id": res["id"], "force": True, "fields": fields, "records": records})
    patch = {"id": res["id"], "column_map": column_map}
    if conforms_to:
        patch["conforms_to"] = conforms_to
    return tk.get_action("resource_patch")(_as_admin(), patch)


@pytest.fixture
def themes(portal):
    packs.load_shipped()
    restricted = build_restricted()
    tk.get_action("package_patch")(_as_admin(), {"id": restricted.dataset["id"],
                                                           "conforms_to": "family-case"})
    tk.get_action("resource_patch")(_as_admin(), {
        "id": restricted.table["id"],
        "column_map": "family_id=family_id\nward=area\nheadline_problem=headline_problems\nkey_worker=key_worker"})
    planning_org = factories.Organization(title="Bolton Council")
    planning = factories.Dataset(owner_org=planning_org["id"], name="planning", title="Planning applications",
                                 layer="operational", access_level="open", open_confirmed=True, notes="Applications.",
                                 conforms_to="planning-application")
    applications = _table(planning, "Applications", [
        {"id": "PA Ref", "type": "text"}, {"id": "Received", "type": "text"}, {"id": "Ward", "type": "text"}], [
        {"PA Ref": "BOL/1", "Received": "2023-07-27", "Ward": "E05000650"},
        {"PA Ref": "BOL/2", "Received": "27-Jul-23", "Ward": "E05000651"},  # not an ISO date: null and noted
        {"PA Ref": "BOL/3", "Received": "2024-01-05", "Ward": "E05000650"}],
        "PA Ref=case_id\nReceived=opened\nWard=area")
    potholes = factories.Dataset(owner_org=restricted.org["id"], name="potholes", title="Pothole reports",
                                 layer="operational", access_level="open", open_confirmed=True, notes="Potholes.",
                                 conforms_to="pothole-report")
    reports = _table(potholes, "Reports", [
        {"id": "report_id", "type": "text"}, {"id": "reported_on", "type": "date"},
        {"id": "depth", "type": "int"}, {"id": 'street name', "type": "text"}], [
        {"report_id": f"PH-{i}", "reported_on": f"2024-0{i}-01", "depth": 10 * i, 'street name': "x"}
        for i in range(1, 6)],
        'report_id=case_id\nreported_on=opened\ndepth=depth_mm\nstreet name=location')
    return dict(restricted=restricted, applications=applications, reports=reports, planning=planning,
                potholes=potholes)


def _search(user=None, **data):
    return tk.get_action("ldeco_records_search")({"user": user["name"] if user else ""}, {"concept": "case", **data})


def _ids(answer):
    return sorted(r["values"]["case_id"] or "" for r in answer["records"])


def test_all_cases_across_themes_for_the_public_with_the_restricted_ones_withheld(themes):
    answer = _search()
    assert _ids(answer) == ["BOL/1", "BOL/2", "BOL/3", "PH-1", "PH-2", "PH-3", "PH-4", "PH-5"]
    by_id = {r["values"]["case_id"]: r for r in answer["records"]}
    assert by_id["BOL/1"]["provenance"] == {
        "dataset": "planning", "dataset_title": "Planning applications", "resource_id": themes["applications"]["id"],
        "resource": "Applications", "organization": "Bolton Council", "concept": "planning-application"}
    assert by_id["PH-3"]["provenance"]["concept"] == "pothole-report"
    assert by_id["PH-3"]["values"]["opened"] == "2024-03-01"
    withheld = answer["withheld"]
    assert (withheld["resources"], withheld["organizations"]) == (1, 1)
    assert withheld["datasets"] == [{"name": "family-cases", "title": "Family cases",
                                     "organization": "Manchester City Council"}]
    assert "Withheld: 1 resources of 1 organisations; request access" in withheld["message"]
    # nothing of the restricted rows, not even a family id
    assert "F-1" not in str(answer) and "KW-7" not in str(answer)


def test_a_cell_that_will_not_cast_is_null_and_noted(themes):
    answer = _search()
    second = next(r for r in answer["records"] if r["values"]["case_id"] == "BOL/2")
    assert second["values"]["opened"] is None
    assert answer["notes"] == [{"property": "opened", "cells": 1,
                                "note": "1 cells of opened are not of its datatype and are given as null"}]


def test_a_narrower_concept_finds_only_its_own_theme(themes):
    answer = tk.get_action("ldeco_records_search")({"user": ""}, {"concept": "pothole-report"})
    assert _ids(answer) == ["PH-1", "PH-2", "PH-3", "PH-4", "PH-5"]
    assert answer["records"][0]["values"]["depth_mm"] == 10
    assert answer["records"][0]["values"]["location"] == "x"  # a column whose name needs quoting
    assert answer["withheld"]["resources"] == 0


@pytest.mark.parametrize("filters, expected", [
    ({"opened": {"from": "2024-01-01"}}, ["BOL/3", "PH-1", "PH-2", "PH-3", "PH-4", "PH-5"]),
    ({"opened": {"from": "2024-02-01", "to": "2024-03-31"}}, ["PH-2", "PH-3"]),
    ({"area": ["E05000650"]}, ["BOL/1", "BOL/3"]),
    ({"case_id": "PH-4"}, ["PH-4"]),
    ('{"case_id": ["PH-4", "BOL/1"]}', ["BOL/1", "PH-4"]),
])
def test_filters_on_codes_and_ranges(themes, filters, expected):
    assert _ids(_search(filters=filters)) == expected


@pytest.mark.parametrize("data, key, words", [
    ({"filters": {"colour": "red"}}, "filters", "colour is not a property of the concept"),
    ({"filters": {"opened": {"from": "yesterday"}}}, "filters", "opened: 'yesterday' is not a date"),
    ({"filters": {"case_id": {"from": "A"}}}, "filters", "case_id is not a date or a number"),
    ({"filters": {"opened": {"after": "2024-01-01"}}}, "filters", "Give filters as an object"),
    ({"filters": "{not json"}, "filters", "Cannot parse JSON"),
    ({"fields": ["case_id", "colour"]}, "fields", "Not properties of case: colour"),
    ({"sort": "opened sideways"}, "sort", "optionally followed by"),
    ({"cursor": "not-a-cursor"}, "cursor", "Not a cursor this search gave"),
    ({"limit": "many"}, "limit", ""),
])
def test_bad_input_is_refused_naming_the_parameter(themes, data, key, words):
    with pytest.raises(tk.ValidationError) as excinfo:
        _search(**data)
    assert key in excinfo.value.error_dict
    assert words in str(excinfo.value.error_dict[key])


def test_an_unknown_concept_is_not_found(themes):
    with pytest.raises(tk.ObjectNotFound):
        tk.get_action("ldeco_records_search")({"user": ""}, {"concept": "no-such-concept"})


def test_pages_follow_the_cursor_without_loss_or_repeat(themes):
    seen, cursor, pages = [], None, 0
    while True:
        answer = _search(limit=3, **({"cursor": cursor} if cursor else {}))
        seen += [r["values"]["case_id"] for r in answer["records"]]
        pages += 1
        cursor = answer["next_cursor"]
        if not cursor:
            break
    assert pages == 3
    assert sorted(seen) == _ids(_search()) and len(seen) == len(set(seen))


def test_sort_across_themes_puts_nulls_last(themes):
    answer = _search(sort="opened desc", fields=["case_id", "opened"])
    assert [r["values"]["case_id"] for r in answer["records"]][:3] == ["PH-5", "PH-4", "PH-3"]
    assert answer["records"][-1]["values"] == {"case_id": "BOL/2", "opened": None}
    assert answer["fields"] == ["case_id", "opened"]


def test_the_publisher_reads_the_restricted_rows_and_the_read_is_audited(themes):
    restricted = themes["restricted"]
    answer = tk.get_action("ldeco_records_search")({"user": restricted.publisher["name"]}, {
        "concept": "family-case", "filters": {"family_id": "F-1"}})
    assert [r["values"]["key_worker"] for r in answer["records"]] == ["KW-7"]
    assert answer["withheld"]["resources"] == 0
    trail = call("ldeco_audit_list", None, dataset_id=restricted.dataset["id"])
    assert any(e["event"] == "access.records" and e["outcome"] == "allowed" for e in trail)


def test_a_partial_grant_gives_only_the_granted_properties(themes):
    restricted = themes["restricted"]
    officer = factories.UserWithToken()
    grant = handshake(restricted, [officer])
    grant(officer, ["family_id", "ward"])
    answer = tk.get_action("ldeco_records_search")({"user": officer["name"]}, {"concept": "family-case"})
    assert [r["values"] for r in answer["records"]] == [{"family_id": "F-1", "area": "E05011368"}]
    assert answer["not_granted"] == {"family-cases": ["headline_problems", "key_worker"]}
    # filtering on a column outside the grant would tell its values: the table is withheld instead
    hidden = tk.get_action("ldeco_records_search")({"user": officer["name"]}, {
        "concept": "family-case", "filters": {"key_worker": "KW-7"}})
    assert hidden["records"] == [] and hidden["withheld"]["resources"] == 1
    trail = call("ldeco_audit_list", None, dataset_id=restricted.dataset["id"])
    assert any(e["event"] == "access.records" and e["actor"] == officer["name"] for e in trail)


def test_a_private_datasets_tables_are_not_even_counted(themes):
    tk.get_action("package_patch")(_as_admin(), {"id": "planning", "private": True})
    answer = _search()
    assert not any(r["provenance"]["dataset"] == "planning" for r in answer["records"])
    assert answer["withheld"]["resources"] == 1  # the restricted one only
