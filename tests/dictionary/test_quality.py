"""A DataStore resource is checked against the concept it declares."""
from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk
from ckan.lib import jobs
from ckan.tests import factories, helpers

from ckanext.ldeco.dictionary import quality

pytestmark = pytest.mark.usefixtures("portal", "dictionary")

ROWS = [
    {"case": "TF-1", "family": "F-1", "opened": "2019-01-14", "problems": "1;2", "worker": "KW-1"},
    {"case": "TF-2", "family": "F-2", "opened": "14/02/2019", "problems": "9", "worker": "KW-2"},
    {"case": "", "family": "F-3", "opened": "2019-03-01", "problems": "3", "worker": "KW-3"},
]


def _resource(column_map: str, rows=ROWS):
    org = factories.Organization()
    ds = factories.Dataset(owner_org=org["id"], layer="operational", notes="x", conforms_to="family-case")
    res = factories.Resource(package_id=ds["id"], url="http://127.0.0.1/cases.csv", column_map=column_map)
    helpers.call_action("datastore_create", resource_id=res["id"], force=True, records=rows, fields=[
        {"id": k, "type": "text"} for k in rows[0]])
    return res


def test_check_reports_errors_with_counts_and_examples_and_changes_nothing():
    queue = jobs.get_queue()
    queue.empty()
    res = _resource("case = case_id\nfamily = family_id\nopened = opened\nproblems = headline_problems")
    queued = [j for j in queue.jobs if j.func_name.endswith("run_check_job")]
    assert queued and list(queued[-1].args) == [res["id"]]  # the data change queued a check
    queue.empty()
    report = quality.check_resource(res["id"])
    assert report["status"] == "errors" and report["rows"] == 3 and report["rows_checked"] == 3
    by_kind = {(e["kind"], e.get("property")): e for e in report["errors"]}
    assert by_kind[("required-empty", "case_id")]["count"] == 1
    assert by_kind[("datatype", "opened")]["examples"][0]["value"] == "14/02/2019"
    assert by_kind[("not-in-code-list", "headline_problems")]["count"] == 1
    assert any(w["kind"] == "unmapped-columns" and w["columns"] == ["worker"] for w in report["warnings"])
    # nothing dropped or changed
    rows = helpers.call_action("datastore_search", resource_id=res["id"], sort="_id")["records"]
    assert [r["opened"] for r in rows] == ["2019-01-14", "14/02/2019", "2019-03-01"]
    shown = helpers.call_action("ldeco_quality_show", id=res["id"])
    assert shown["status"] == "errors"


def test_a_clean_resource_passes_and_a_missing_required_mapping_is_an_error():
    good = [dict(r, case=f"TF-{i}", opened="2019-01-14", problems="1") for i, r in enumerate(ROWS)]
    res = _resource("case = case_id\nfamily = family_id\nopened = opened\nproblems = headline_problems\n"
                    "worker = key_worker", good)
    assert quality.check_resource(res["id"])["status"] == "pass"
    res = _resource("case = case_id\nworker = key_worker", good)
    report = quality.check_resource(res["id"])
    missing = {e["property"] for e in report["errors"] if e["kind"] == "required-not-mapped"}
    assert missing == {"opened", "family_id", "headline_problems"}


def test_report_is_shown_on_the_resource_page_and_needs_a_check_first(app):
    res = _resource("case = case_id")
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("ldeco_quality_show", id=res["id"])
    quality.check_resource(res["id"])
    body = app.get(f"/dataset/{res['package_id']}/resource/{res['id']}").get_data(as_text=True)
    assert "Data quality" in body and "is not mapped to any column" in body
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("ldeco_quality_check", context={"user": factories.User()["name"],
                                                            "ignore_auth": False}, id=res["id"])
