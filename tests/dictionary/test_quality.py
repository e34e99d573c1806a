"""A DataStore resource is checked against the concept it declares."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
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
    # open (and confirmed so): these tests read the whole report, as anyone may for open data
    ds = factories.Dataset(owner_org=org["id"], layer="operational", notes="x", conforms_to="family-case",
                           access_level="open", open_confirmed=True)
    res = factories.Resource(package_id=ds["id"], url="http://127.0.0.1/cases.csv", column_map=column_map)
    helpers.call_action(
        "datastore_create",
        resource_id=res["id"],
        force=True,
        records=rows,
        fields=[{"id": k, "type": "text"} for k in rows[0]],
    )
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
    res = _resource(
        "case = case_id\nfamily = family_id\nopened = opened\nproblems = headline_problems\n"
        "worker = key_worker",
        good,
    )
    assert quality.check_resource(res["id"])["status"] == "pass"
    res = _resource("case = case_id\nworker = key_worker", good)
    report = quality.check_resource(res["id"])
    missing = {e["property"] for e in report["errors"] if e["kind"] == "required-not-mapped"}
    assert missing == {"opened", "family_id"}


def test_report_is_shown_on_the_resource_page_and_needs_a_check_first(app):
    res = _resource("case = case_id")
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("ldeco_quality_show", id=res["id"])
    quality.check_resource(res["id"])
    body = app.get(f"/dataset/{res['package_id']}/resource/{res['id']}").get_data(as_text=True)
    assert "Data quality" in body and "is not mapped to any column" in body
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action(
            "ldeco_quality_check",
            context={"user": factories.User()["name"], "ignore_auth": False},
            id=res["id"],
        )


# ---- a report is derived from the rows: shown as the rows are ---------------

CANARY_COLUMN = "zz_canary_date_of_birth"
CANARY_VALUE = "CANARY-CODE-77"
CANARY_HIDDEN = "CANARY-1999-12-31"
TABLE_COLUMNS = ["family_id", "ward", "headline_problem", "key_worker", CANARY_COLUMN]


@pytest.fixture
def restricted_report():
    """A restricted family-case table whose report holds a canary column
    name, a canary example value and the row count; checked once."""
    from tests.gating.conftest import Restricted

    org = factories.Organization(title="Manchester City Council", agency_kind="council")
    publisher = factories.UserWithToken()
    tk.get_action("organization_member_create")(
        {"ignore_auth": True}, {"id": org["id"], "username": publisher["name"], "role": "editor"}
    )
    dataset = factories.Dataset(owner_org=org["id"], name="family-cases", layer="operational",
                                access_level="restricted", notes="Record level.", conforms_to="family-case")
    table = factories.Resource(
        package_id=dataset["id"], url="", url_type="datastore", name="Families (table)",
        column_map="family_id = family_id\nheadline_problem = headline_problems\nkey_worker = key_worker",
    )
    helpers.call_action(
        "datastore_create",
        resource_id=table["id"],
        force=True,
        fields=[{"id": c, "type": "text"} for c in TABLE_COLUMNS],
        records=[
            {"family_id": "", "ward": "E05011368", "headline_problem": CANARY_VALUE, "key_worker": "KW-7",
             CANARY_COLUMN: CANARY_HIDDEN},
            {"family_id": "F-2", "ward": "E05011369", "headline_problem": "1", "key_worker": "KW-8",
             CANARY_COLUMN: CANARY_HIDDEN},
        ],
    )
    report = quality.check_resource(table["id"])
    assert CANARY_COLUMN in str(report) and CANARY_VALUE in str(report) and report["rows"] == 2  # planted
    return Restricted(org, publisher, dataset, link={}, upload={}, table=table)


def _counts(resource_id: str) -> tuple[int, int]:
    stored = quality.stored_report(resource_id)
    assert stored is not None
    return len(stored["errors"]), len(stored["warnings"])


def _assert_summary_only(shown: dict, text: str) -> None:
    assert shown["status"] == "errors" and shown["redacted"] is True
    assert (shown["error_count"], shown["warning_count"]) == _counts(shown["resource_id"])
    assert "rows" not in shown and "rows_checked" not in shown
    for secret in (*TABLE_COLUMNS, CANARY_VALUE, CANARY_HIDDEN, "KW-7", "E05011368"):
        assert secret not in text, secret


@pytest.mark.parametrize("who", ["anonymous", "no grant"])
def test_a_restricted_report_shows_those_without_access_its_status_and_counts_only(app, restricted_report, who):
    user = factories.UserWithToken() if who == "no grant" else None
    headers = {"Authorization": user["token"]} if user else {}
    res = app.post("/api/3/action/ldeco_quality_show", json={"id": restricted_report.table["id"]}, headers=headers)
    assert res.status_code == 200
    _assert_summary_only(res.json["result"], res.get_data(as_text=True))

    page = app.get(f"/dataset/{restricted_report.dataset['name']}/resource/{restricted_report.table['id']}",
                   headers=headers)
    body = page.get_data(as_text=True)
    assert "Data quality" in body and f"{_counts(restricted_report.table['id'])[0]} errors" in body
    for secret in (CANARY_COLUMN, CANARY_VALUE, CANARY_HIDDEN, "KW-7", "2 of 2 rows"):
        assert secret not in body, secret


def test_a_partial_grantee_sees_the_problems_of_granted_columns_only(app, restricted_report):
    from tests.gating.conftest import handshake

    officer = factories.UserWithToken()
    grant = handshake(restricted_report, [officer])
    # the schedule lists gating's columns; the canary column is in no schedule
    grant(officer, ["family_id", "ward"])
    res = app.post("/api/3/action/ldeco_quality_show", json={"id": restricted_report.table["id"]},
                   headers={"Authorization": officer["token"]})
    shown, text = res.json["result"], res.get_data(as_text=True)
    assert shown["redacted"] is True and shown["rows"] == 2
    assert (shown["error_count"], shown["warning_count"]) == _counts(restricted_report.table["id"])
    assert [(e["kind"], e["column"]) for e in shown["errors"]] == [("required-empty", "family_id")]
    assert [(w["kind"], w["columns"]) for w in shown["warnings"]] == [("unmapped-columns", ["ward"])]
    for secret in (CANARY_COLUMN, CANARY_VALUE, CANARY_HIDDEN, "headline_problem", "key_worker", "KW-7"):
        assert secret not in text, secret


def test_the_publisher_sees_the_whole_report(app, restricted_report):
    res = app.post("/api/3/action/ldeco_quality_show", json={"id": restricted_report.table["id"]},
                   headers={"Authorization": restricted_report.publisher["token"]})
    assert CANARY_COLUMN in res.get_data(as_text=True) and res.json["result"]["rows"] == 2
    assert "redacted" not in res.json["result"]


def test_a_column_serving_two_properties_is_checked_as_both():
    rows = [dict(r, case=f"TF-{i}", opened="2019-01-14") for i, r in enumerate(ROWS)]
    rows[1]["family"] = "not a date"
    res = _resource("case = case_id\nfamily = family_id, closed\nopened = opened", rows)
    report = quality.check_resource(res["id"])
    assert not [e for e in report["errors"] if e["kind"] == "required-not-mapped"]
    (bad,) = [e for e in report["errors"] if e["kind"] == "datatype"]
    # every family cell is checked as a date for `closed`, and named by that property
    assert bad["column"] == "family" and bad["property"] == "closed" and bad["count"] == 3
