"""The rights pages through the real stack (Flask test client)."""

from __future__ import annotations

import datetime as dt

from ckan.tests import factories

from .conftest import call, request_data


def _as(user: dict) -> dict:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def test_restricted_dataset_page_offers_request_access(world, app):
    body = app.get(f"/dataset/{world.dataset['name']}").get_data(as_text=True)
    assert "Request access" in body and f"/dataset/{world.dataset['name']}/request-access" in body
    org = factories.Organization()
    open_ = factories.Dataset(owner_org=org["id"], layer="statistical", notes="x")
    assert "ldeco-request-access" not in app.get(f"/dataset/{open_['name']}").get_data(as_text=True)


def test_request_form_checks_then_submits(world, app):
    headers = _as(world.officer)
    url = f"/dataset/{world.dataset['name']}/request-access"
    page = app.get(url, headers=headers).get_data(as_text=True)
    assert "Greater Manchester Police" not in page or "police-liaison-officer" in page
    assert "Use only for the stated purpose." in page  # the terms are shown
    form = {k: v for k, v in request_data(world).items() if k not in ("dataset_id",)}
    form["accept_terms"] = "true"
    checked = app.post(url, data={**form, "action": "check"}, headers=headers).get_data(as_text=True)
    assert checked.count('data-met="true"') == 6
    done = app.post(url, data={**form, "action": "submit"}, headers=headers, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and 'data-state="submitted"' in text


def test_request_form_shows_the_failing_element(world, app):
    call("ldeco_user_accreditation_delete", world.sysadmin, id=world.accreditation["id"])
    url = f"/dataset/{world.dataset['name']}/request-access"
    form = {k: v for k, v in request_data(world).items() if k != "dataset_id"}
    text = app.post(url, data={**form, "action": "check"}, headers=_as(world.officer)).get_data(as_text=True)
    assert text.count('data-met="false"') == 1
    assert "Not held: data-protection-training." in text


def test_anonymous_request_access_goes_to_login(world, app):
    res = app.get(f"/dataset/{world.dataset['name']}/request-access", follow_redirects=False)
    assert res.status_code == 302 and "/user/login" in res.headers["Location"]


def test_queue_decide_and_my_access(world, app):
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    queue = app.get("/access/queue", headers=_as(world.editor)).get_data(as_text=True)
    assert f"/access/request/{made['id']}" in queue
    res = app.post(
        f"/access/request/{made['id']}",
        data={"decision": "approved", "reason": "Agreed"},
        headers=_as(world.editor),
        follow_redirects=True,
    )
    assert 'data-state="approved"' in res.get_data(as_text=True)
    mine = app.get("/access/my", headers=_as(world.officer)).get_data(as_text=True)
    expiry = (world.today + dt.timedelta(days=180)).isoformat()
    assert 'data-current="true"' in mine and expiry in mine
    # an outsider cannot see the request
    assert app.get(f"/access/request/{made['id']}", headers=_as(factories.User())).status_code == 403


def test_register_pages_list_for_all_and_create_for_sysadmins(world, app):
    page = app.get("/access/registers/legal_gateway").get_data(as_text=True)
    assert "cda1998-s115" in page and "ldeco-register-form" not in page
    headers = _as(world.sysadmin)
    assert "ldeco-register-form" in app.get("/access/registers/role", headers=headers).get_data(as_text=True)
    res = app.post(
        "/access/registers/role",
        data={"name": "youth-worker", "title": "Youth worker"},
        headers=headers,
        follow_redirects=True,
    )
    assert "youth-worker" in res.get_data(as_text=True)
    bad = app.post("/access/registers/role", data={"name": "", "title": ""}, headers=headers)
    assert "Missing value" in bad.get_data(as_text=True)
    assert (
        app.post(
            "/access/registers/role", data={"name": "x", "title": "x"}, headers=_as(world.officer)
        ).status_code
        == 403
    )
    assert app.get("/access/registers/nothing").status_code == 404


def test_org_admin_empowers_and_withdraws_from_the_page(world, app):
    headers = _as(world.police_admin)
    url = "/organization/greater-manchester-police/empowerments"
    page = app.get(url, headers=headers).get_data(as_text=True)
    assert "olu-officer" in page and 'data-active="true"' in page
    res = app.post(
        url,
        data={
            "action": "create",
            "user_id": world.officer["id"],
            "role": "analyst",
            "start_date": "2026-01-01",
        },
        headers=headers,
        follow_redirects=True,
    )
    assert res.get_data(as_text=True).count('data-active="true"') == 2
    bad = app.post(
        url,
        data={
            "action": "create",
            "user_id": world.officer["id"],
            "role": "wizard",
            "start_date": "2026-01-01",
        },
        headers=headers,
    )
    assert "No such role: wizard" in bad.get_data(as_text=True)
    res = app.post(
        url,
        data={"action": "withdraw", "id": world.empowerment["id"], "reason": "left the team"},
        headers=headers,
        follow_redirects=True,
    )
    assert "left the team" in res.get_data(as_text=True)
    # members and other organisations' admins may not
    assert app.get(url, headers=_as(world.officer)).status_code == 403
    assert app.get(url, headers=_as(world.publisher_admin)).status_code == 403
    assert "/organization/greater-manchester-police/empowerments" in app.get(
        "/access/my", headers=headers
    ).get_data(as_text=True)


def test_publisher_revokes_a_grant_from_the_request_page(world, app):
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    call("ldeco_access_request_decide", world.editor, id=made["id"], decision="approved", reason="ok")
    url = f"/access/request/{made['id']}"
    assert "ldeco-revoke-form" not in app.get(url, headers=_as(world.officer)).get_data(as_text=True)
    page = app.get(url, headers=_as(world.publisher_admin)).get_data(as_text=True)
    assert "ldeco-revoke-form" in page
    grant_id = call("ldeco_grant_list", world.officer)[0]["id"]
    res = app.post(
        url,
        data={"action": "revoke", "grant_id": grant_id, "reason": "Programme closed"},
        headers=_as(world.publisher_admin),
        follow_redirects=True,
    )
    assert "revoked" in res.get_data(as_text=True)
    assert call("ldeco_grant_list", world.officer)[0]["state"] == "revoked"
