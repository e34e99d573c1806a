"""The leak suite's granted rows: a grant opens exactly what it covers, for
as long as it holds, and every gated access is audited."""
from __future__ import annotations

import csv
import io

import ckan.plugins.toolkit as tk
import pytest

from tests.gating.conftest import SECRET_URL, TABLE_DATA
from tests.gating.test_leaks import _api


def _download(app, world, resource, suffix=""):
    return app.get(f"/dataset/{world.dataset['name']}/resource/{resource['id']}/download{suffix}",
                   headers=world.token("officer"), follow_redirects=False)


def test_a_grant_of_some_items_serves_only_those_columns(app, world, grant_for):
    grant_for(["family_id", "ward"])
    rows = _api(app, world, "officer", "datastore_search", resource_id=world.table["id"]).json["result"]
    assert {f["id"] for f in rows["fields"]} == {"_id", "family_id", "ward"}
    assert set(rows["records"][0]) == {"_id", "family_id", "ward"}
    info = _api(app, world, "officer", "datastore_info", id=world.table["id"]).json["result"]
    assert [f["id"] for f in info["fields"]] == ["family_id", "ward"]

    refused = _api(app, world, "officer", "datastore_search", status=409, resource_id=world.table["id"],
                   fields=["family_id", "key_worker"])
    assert "key_worker" in refused.json["error"]["fields"][0]
    refused = _api(app, world, "officer", "datastore_search", status=409, resource_id=world.table["id"],
                   filters={"key_worker": "KW-7"})
    assert "key_worker" in refused.json["error"]["filters"][0]
    _api(app, world, "officer", "datastore_search", status=409, resource_id=world.table["id"], q="KW-7")

    # the table's download is cut to the granted columns through the DataStore
    table = _download(app, world, world.table)
    assert table.status_code == 302 and "/datastore/dump/" in table.headers["Location"]
    dump = app.get(f"/datastore/dump/{world.table['id']}", headers=world.token("officer"))
    header = next(csv.reader(io.StringIO(dump.get_data(as_text=True).lstrip("\ufeff"))))
    assert header == ["_id", "family_id", "ward"]
    assert TABLE_DATA not in dump.get_data(as_text=True)

    # files cannot be cut down: refused, with the reason
    for res, suffix in ((world.link, ""), (world.upload, "/families.csv")):
        page = _download(app, world, res, suffix)
        assert page.status_code == 403
        assert "only some data items" in page.get_data(as_text=True)
        assert SECRET_URL not in page.get_data(as_text=True)


def test_every_gated_access_and_refusal_is_audited_in_a_chain(app, world, grant_for):
    _download(app, world, world.link)  # refused: no grant yet
    grant = grant_for(["family_id", "ward"])
    _api(app, world, "officer", "datastore_search", resource_id=world.table["id"])  # allowed, some items
    _download(app, world, world.link)  # refused: partial grant, file

    trail = tk.get_action("ldeco_audit_list")({"user": world.publisher["name"]},
                                              {"dataset_id": world.dataset["name"]})
    gated = [e for e in trail if e["event"].startswith("access.")]  # requests and grants are there too
    assert [(e["event"], e["outcome"]) for e in reversed(gated)] == [
        ("access.download", "refused"), ("access.datastore_search", "allowed"), ("access.download", "refused")]
    allowed = gated[1]
    assert allowed["actor"] == world.officer["name"] and allowed["grant_id"] == grant["id"]
    assert allowed["purpose"] == "crime-reduction" and allowed["gateway"] == "cda1998-s115"
    assert allowed["role"] == "police-liaison-officer" and allowed["detail"]["items"] == ["family_id", "ward"]

    with pytest.raises(tk.NotAuthorized):
        tk.get_action("ldeco_audit_list")({"user": world.officer["name"]}, {"dataset_id": world.dataset["id"]})
    sysadmin = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    assert tk.get_action("ldeco_audit_verify")(sysadmin, {})["intact"] is True


def test_the_audit_chain_shows_an_edit_and_exports(app, world):
    import ckan.model as model
    import sqlalchemy as sa

    for _ in range(3):
        _download(app, world, world.link)
    sysadmin_name = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    with pytest.raises(Exception, match="append-only"):
        with model.meta.engine.begin() as conn:
            conn.execute(sa.text("UPDATE ldeco_audit_event SET outcome = 'allowed' WHERE seq = 2"))

    export = app.get("/ckan-admin/ldeco/audit.csv", extra_environ={"REMOTE_USER": sysadmin_name})
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert [r["outcome"] for r in rows] == ["refused"] * 3
    as_json = app.get("/ckan-admin/ldeco/audit.json", extra_environ={"REMOTE_USER": sysadmin_name}).json
    assert [r["seq"] for r in as_json] == [1, 2, 3]
    app.get("/ckan-admin/ldeco/audit.csv", headers=world.token("officer"), status=403)

    # someone with the owner's rights edits a record behind the application's back
    with model.meta.engine.begin() as conn:
        conn.execute(sa.text("SET LOCAL ldeco.audit_maintenance = 'on'"))
        conn.execute(sa.text("UPDATE ldeco_audit_event SET outcome = 'allowed' WHERE seq = 2"))
    report = tk.get_action("ldeco_audit_verify")({"user": sysadmin_name}, {})
    assert report["intact"] is False and report["first_broken"]["seq"] == 2
    assert "changed" in report["problem"]


def test_requests_decisions_and_grant_changes_join_the_trail(app, world, grant_for):
    grant = grant_for(["family_id", "ward"])
    tk.get_action("ldeco_grant_revoke")({"user": world.publisher["name"]}, {"id": grant["id"],
                                                                            "reason": "Programme ended"})
    trail = tk.get_action("ldeco_audit_list")({"user": world.publisher["name"]},
                                              {"dataset_id": world.dataset["id"]})
    events = [e["event"] for e in reversed(trail)]
    assert events == ["request.submitted", "request.approved", "grant.created", "grant.revoked"]
    submitted, approved, created, revoked = reversed(trail)
    assert submitted["actor"] == world.officer["name"] and submitted["purpose"] == "crime-reduction"
    assert approved["actor"] == world.publisher["name"] and approved["detail"]["reason"] == "Meets the schedule."
    assert created["grant_id"] == grant["id"] and created["detail"]["data_items"] == ["family_id", "ward"]
    assert revoked["actor"] == world.publisher["name"] and revoked["detail"]["reason"] == "Programme ended"
    sysadmin = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    assert tk.get_action("ldeco_audit_verify")(sysadmin, {}) == {
        "intact": True, "checked": 4, "first_broken": None, "problem": None}


def test_a_partial_grant_does_not_cut_down_what_a_publisher_sees(app, world, grant_for):
    import ckan.model as model

    from ckanext.ldeco.gating import service

    grant_for(["family_id", "ward"])
    officer = model.User.get(world.officer["name"])
    context = {"user": officer.name, "auth_user_obj": officer}
    decision, _pkg, _res = service.decide_for(context, world.table["id"])
    assert (decision.basis, decision.items) == ("grant", ["family_id", "ward"])

    # the officer joins the publishing council as an editor: the whole record
    tk.get_action("organization_member_create")({"ignore_auth": True}, {
        "id": world.org["id"], "username": officer.name, "role": "editor"})
    # a new call, a new context: a decision is kept only for the call it was made in
    decision, _pkg, _res = service.decide_for({"user": officer.name, "auth_user_obj": officer}, world.table["id"])
    assert (decision.allowed, decision.basis, decision.items) == (True, "editor", None)


def test_a_sysadmin_needs_no_grant(app, world):
    import ckan.model as model
    from ckan.tests import factories

    from ckanext.ldeco.gating import service

    admin = model.User.get(factories.Sysadmin()["name"])
    decision, _pkg, _res = service.decide_for({"user": admin.name, "auth_user_obj": admin}, world.link["id"])
    assert (decision.allowed, decision.items) == (True, None)


def test_the_datasets_own_schedule_governs_before_its_publishers(app, world, grant_for):
    # the grant and the SQL written out for downloads must rank schedules as
    # rights.standing does: a publisher-wide schedule with other terms (and a
    # name that sorts first) must not lapse a grant made under the dataset's own
    import ckan.model as model

    from ckanext.ldeco.gating import service
    from ckanext.ldeco.rights.standing import schedule_for
    from tests.gating.conftest import COLUMNS, call

    grant_for(COLUMNS)
    call("ldeco_schedule_create", None, name="aaa-council-wide", title="Council-wide",
         organization_id=world.org["id"], roles=["police-liaison-officer"], purposes=["crime-reduction"],
         gateways=["cda1998-s115"], data_items=COLUMNS, terms="Other terms.", terms_version="2",
         max_grant_days=30)
    assert schedule_for({"id": world.dataset["id"], "owner_org": world.org["id"]}).name == "family-cases-schedule"
    officer = model.User.get(world.officer["name"])
    decision, _pkg, _res = service.decide_for({"user": officer.name, "auth_user_obj": officer}, world.table["id"])
    assert (decision.allowed, decision.basis) == (True, "grant")

    # without a schedule of its own (no action removes one; the row goes), the
    # publisher's governs, and its new terms lapse the grant
    from ckanext.ldeco.rights import model as rights_model

    model.Session.query(rights_model.Schedule).filter(rights_model.Schedule.name == "family-cases-schedule").delete()
    model.Session.commit()
    decision, _pkg, _res = service.decide_for({"user": officer.name, "auth_user_obj": officer}, world.table["id"])
    assert not decision.allowed and "terms changed to version 2" in decision.reason
