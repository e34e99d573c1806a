"""The one door for DataStore reads: a grantee of some data items gets a
request rebuilt from an allow-list, in every form core accepts, through
every route (search, info, dump, an alias of the table); wrong types are
refused naming the parameter, never a server error."""
from __future__ import annotations

import csv
import io
import json

import ckan.plugins.toolkit as tk
import pytest

from tests.gating.conftest import COLUMNS, TABLE_DATA
from tests.gating.test_leaks import _api

GRANTED = ["family_id", "ward"]
ALIAS = "families-by-alias"


@pytest.fixture
def partial(world, grant_for):
    """The officer holds a grant of family_id and ward; the table also
    answers to an alias (aliases are listed to anyone in _table_metadata)."""
    grant_for(GRANTED)
    tk.get_action("datastore_create")({"ignore_auth": True}, {
        "resource_id": world.table["id"], "force": True, "aliases": ALIAS})
    return world


def _search(app, world, status=None, **params):
    return _api(app, world, "officer", "datastore_search", status=status, **params)


def _refused(res, key):
    """A refusal that names the parameter and echoes no hidden value."""
    assert res.status_code == 409, res.get_data(as_text=True)
    assert key in res.json["error"], res.json["error"]
    assert TABLE_DATA not in res.get_data(as_text=True)


def _names(world):
    return world.table["id"], ALIAS


def test_the_request_is_rebuilt_whichever_name_the_table_goes_by(app, partial):
    for name in _names(partial):
        res = _search(app, partial, resource_id=name)
        assert res.status_code == 200, name
        assert [f["id"] for f in res.json["result"]["fields"]] == ["_id", *GRANTED]
        assert TABLE_DATA not in res.get_data(as_text=True)


def test_searches_reaching_columns_outside_the_grant_are_refused(app, partial):
    for params in (
        {"full_text": TABLE_DATA},
        {"full_text": TABLE_DATA, "fields": ["family_id"]},  # core adds every column to a full_text search
        {"q": TABLE_DATA},
        {"q": json.dumps({"key_worker": TABLE_DATA})},
        {"q": {"key_worker": TABLE_DATA}},
        {"q": {"_id": "1"}},  # not in the column index: core would narrow by the whole row's
    ):
        key = "full_text" if "full_text" in params else "q"
        for name in _names(partial):
            _refused(_search(app, partial, resource_id=name, **params), key)


def test_a_search_of_a_granted_column_finds_rows_and_shows_only_granted_columns(app, partial):
    res = _search(app, partial, resource_id=partial.table["id"], q={"ward": "E05011368"})
    assert res.status_code == 200 and res.json["result"]["total"] == 1
    assert set(res.json["result"]["records"][0]) == {"_id", *GRANTED}
    assert TABLE_DATA not in res.get_data(as_text=True)


def test_criteria_on_columns_outside_the_grant_are_refused(app, partial):
    """A filter or a sort on a hidden column is a yes/no test of its values
    (a row is there or not, first or last): refused, the same for a true and
    a false guess."""
    for params in (
        {"filters": json.dumps({"key_worker": TABLE_DATA})},
        {"filters": {"key_worker": [TABLE_DATA, "KW-8"]}},
        {"sort": ["key_worker desc"]},
        {"sort": "ward, key_worker"},
        {"sort": '"key_worker" desc nulls last'},
        {"distinct": True, "fields": "key_worker"},
    ):
        key = next(k for k in params if k != "distinct")
        for name in _names(partial):
            _refused(_search(app, partial, resource_id=name, **params), key)
    for name in _names(partial):
        true = _search(app, partial, resource_id=name, filters=json.dumps({"key_worker": TABLE_DATA}))
        false = _search(app, partial, resource_id=name, filters=json.dumps({"key_worker": "KW-0"}))
        assert true.json["error"] == false.json["error"]


def test_keys_it_does_not_understand_are_refused_by_name(app, partial):
    res = _search(app, partial, resource_id=partial.table["id"], callback_url="x", connection_url="y")
    _refused(res, "callback_url")
    assert "connection_url" in res.json["error"]


def test_no_fields_means_the_granted_fields_not_every_field(app, partial):
    for fields in ("", [], " , "):
        res = _search(app, partial, resource_id=partial.table["id"], fields=fields)
        assert res.status_code == 200, fields
        assert [f["id"] for f in res.json["result"]["fields"]] == ["_id", *GRANTED]


def test_every_records_format_carries_only_granted_columns(app, partial):
    for records_format in ("objects", "lists", "csv", "tsv"):
        for name in _names(partial):
            res = _search(app, partial, resource_id=name, records_format=records_format)
            assert res.status_code == 200
            result = res.json["result"]
            assert [f["id"] for f in result["fields"]] == ["_id", *GRANTED], (records_format, name)
            assert TABLE_DATA not in res.get_data(as_text=True)
            if records_format == "lists":
                assert len(result["records"][0]) == 3
            elif records_format in ("csv", "tsv"):
                delimiter = "," if records_format == "csv" else "\t"
                assert len(next(csv.reader(io.StringIO(result["records"]), delimiter=delimiter))) == 3


def _dump_columns(text: str, fmt: str) -> list[str]:
    text = text.lstrip("\ufeff")
    if fmt in ("csv", "tsv"):
        return next(csv.reader(io.StringIO(text), delimiter="," if fmt == "csv" else "\t"))
    if fmt == "json":
        return [f["id"] for f in json.loads(text)["fields"]]
    import xml.etree.ElementTree as ET

    return [child.tag for child in ET.fromstring(text)[0]]


def test_a_dump_in_every_format_holds_only_granted_columns(app, partial):
    for fmt in ("csv", "tsv", "json", "xml"):
        for name in _names(partial):
            for extra in ({}, {"bom": "true", "offset": "0", "limit": "1"}, {"fields": ""}, {"distinct": "true"}):
                dump = app.get(f"/datastore/dump/{name}", query_string={"format": fmt, **extra},
                               headers=partial.token("officer"))
                assert dump.status_code == 200, (fmt, name, extra)
                text = dump.get_data(as_text=True)
                assert TABLE_DATA not in text
                assert [c for c in _dump_columns(text, fmt) if c != "_id"] == GRANTED, (fmt, name, extra)


def test_a_dump_refuses_what_the_search_refuses_naming_it(app, partial):
    for query in ({"filters": json.dumps({"key_worker": TABLE_DATA})}, {"sort": "key_worker"}, {"q": TABLE_DATA},
                  {"fields": "key_worker"}, {"filters": "[1]"}):
        dump = app.get(f"/datastore/dump/{partial.table['id']}", query_string=query,
                       headers=partial.token("officer"))
        assert dump.status_code == 409, query
        assert next(iter(query)) in dump.get_data(as_text=True)
        assert TABLE_DATA not in dump.get_data(as_text=True)


def test_datastore_info_shows_granted_columns_and_nothing_measured_over_the_rest(app, partial):
    for name in _names(partial):
        info = _api(app, partial, "officer", "datastore_info", id=name).json["result"]
        assert [f["id"] for f in info["fields"]] == GRANTED
        assert set(info["meta"]) <= {"id", "count", "aliases", "table_type"}
        assert info["meta"]["count"] == 1  # the grantee reads every row
        # the publisher still sees the whole table
        whole = _api(app, partial, "publisher", "datastore_info", id=name).json["result"]
        assert [f["id"] for f in whole["fields"]] == COLUMNS and "size" in whole["meta"]


def test_those_with_the_whole_record_pass_unchanged(app, world):
    res = _api(app, world, "publisher", "datastore_search", resource_id=world.table["id"], full_text=TABLE_DATA)
    assert res.json["result"]["records"][0]["key_worker"] == TABLE_DATA


def test_the_table_listing_core_leaves_open_still_answers(app, world):
    for who in (None, "officer"):
        res = _api(app, world, who, "datastore_search", resource_id="_table_metadata")
        assert res.status_code == 200
        assert world.table["id"] in {r["name"] for r in res.json["result"]["records"]}


WRONG_TYPES = [
    ({"resource_id": ["x"]}, "resource_id"),
    ({"id": {"a": 1}}, "id"),
    ({"limit": None}, "limit"),
    ({"limit": [5]}, "limit"),
    ({"distinct": 1}, "distinct"),
    ({"plain": {"x": 1}}, "plain"),
    ({"filters": "[1]"}, "filters"),
    ({"filters": ["family_id"]}, "filters"),
    ({"filters": 3}, "filters"),
    ({"fields": [["family_id"]]}, "fields"),
    ({"sort": [1]}, "sort"),
    ({"q": ["a"]}, "q"),
]


def test_wrong_types_are_refused_naming_the_parameter(app, world):
    for who in (None, "officer", "publisher"):
        for params, key in WRONG_TYPES:
            data = {"resource_id": world.table["id"], **params}
            res = _api(app, world, who, "datastore_search", **data)
            assert res.status_code == 409, (who, params, res.get_data(as_text=True))
            assert key in res.json["error"]
    for params, key in (({"id": ["x"]}, "id"), ({"resource_id": 5}, "resource_id")):
        res = _api(app, world, "publisher", "datastore_info", **params)
        assert res.status_code == 409 and key in res.json["error"]
