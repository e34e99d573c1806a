"""The rights pages through the real stack (Flask test client)."""

from __future__ import annotations

import datetime as dt
import re
import socket

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.ldeco.dictionary import packs

from .conftest import call, request_data


def _as(user: dict) -> dict:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def test_restricted_dataset_page_offers_request_access(world, app):
    body = app.get(f"/dataset/{world.dataset['name']}").get_data(as_text=True)
    assert "Sign in to request access" in body and f"/dataset/{world.dataset['name']}/request-access" in body
    org = factories.Organization()
    open_ = factories.Dataset(owner_org=org["id"], layer="statistical", notes="x")
    assert "ldeco-request-access" not in app.get(f"/dataset/{open_['name']}").get_data(as_text=True)


def test_request_form_checks_then_submits(world, app):
    headers = _as(world.officer)
    url = f"/dataset/{world.dataset['name']}/request-access"
    page = app.get(url, headers=headers).get_data(as_text=True)
    assert f"{world.police['title']} — Police liaison officer" in page  # the role by its title
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
    assert "Not held: Data protection training." in text  # the page names it by its title


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


def _text(body: str) -> str:
    """What a reader sees: the page without its tags and attributes."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _dead_port() -> int:
    with socket.socket() as s:  # a loopback port where nothing listens
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CODES = ("police-liaison-officer", "crime-reduction", "cda1998-s115", "data-protection-training",
         "family-cases-schedule", "case_id", "family_id")
LABELS = ("Police liaison officer", "Reducing crime and anti-social behaviour",
          "Crime and Disorder Act 1998, section 115", "Case reference", "Family identifier")


def test_rights_pages_show_the_registers_titles_and_the_dictionarys_labels(world, app):
    packs.load_shipped()
    call("package_patch", world.sysadmin, id=world.dataset["id"], conforms_to="family-case")
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    pages = {
        "queue": app.get("/access/queue", headers=_as(world.editor)),
        "request (publisher)": app.get(f"/access/request/{made['id']}", headers=_as(world.editor)),
        "request form": app.get(f"/dataset/{world.dataset['name']}/request-access", headers=_as(world.officer)),
    }
    call("ldeco_access_request_decide", world.editor, id=made["id"], decision="approved", reason="ok")
    pages["my access"] = app.get("/access/my", headers=_as(world.officer))
    pages["request (officer)"] = app.get(f"/access/request/{made['id']}", headers=_as(world.officer))
    for name, res in pages.items():
        text = _text(res.get_data(as_text=True))  # the handshake's reasons included
        assert res.status_code == 200, name
        assert [c for c in CODES if c in text] == [], name
    assert all(label in _text(pages["request (officer)"].get_data(as_text=True)) for label in LABELS)
    mine = _text(pages["my access"].get_data(as_text=True))
    assert "Case reference, Family identifier" in mine and "Data protection training" in mine
    form = _text(pages["request form"].get_data(as_text=True))
    assert "Headline problems" in form  # a schedule's item by the concept's label
    reasons = _text(pages["request (publisher)"].get_data(as_text=True))
    assert ("The schedule Family cases allows Police liaison officer to use the data for Reducing crime and "
            "anti-social behaviour under Crime and Disorder Act 1998, section 115.") in reasons


def test_requests_to_decide_appear_for_those_who_can_decide_only(world, app):
    call("ldeco_access_request_create", world.officer, **request_data(world))
    for user in (world.editor, world.publisher_admin, world.sysadmin):
        for url in ("/", "/dashboard/datasets", "/access/my"):
            body = app.get(url, headers=_as(user)).get_data(as_text=True)
            assert "Requests to decide (1)" in body and "/access/queue" in body, (user["name"], url)
    # the police admin decides for the police, where nothing waits
    assert "Requests to decide (0)" in app.get("/", headers=_as(world.police_admin)).get_data(as_text=True)
    # an officer who is only a member of an organisation decides nothing: no link, and the queue says why
    citizen = factories.User()
    for user in (world.officer, citizen):
        for url in ("/", "/dashboard/datasets", "/access/my"):
            body = app.get(url, headers=_as(user)).get_data(as_text=True)
            assert "Requests to decide" not in body and "/access/queue" not in body, (user["name"], url)
    queue = app.get("/access/queue", headers=_as(world.officer)).get_data(as_text=True)
    assert "You decide no requests" in queue and "/access/my" in queue
    assert "Requests to decide" not in app.get("/").get_data(as_text=True)  # nor for anonymous visitors


def test_without_a_mail_server_the_portal_says_notices_wait(world, app, monkeypatch):
    monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{_dead_port()}")
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    mine = app.get("/access/my", headers=_as(world.editor)).get_data(as_text=True)
    assert 'id="ldeco-mail-off"' in mine and "1 notice to you is waiting." in mine

    page = app.get("/access/mail", headers=_as(world.sysadmin))
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-sending="false"' in body and "no mail server answers at 127.0.0.1:" in body
    assert body.count('class="card mb-3 ldeco-mail" data-state="pending"') == 2
    assert f"Access request for {world.dataset['title']}" in body and made["id"] in body
    assert "Waiting (2)" in body
    # sysadmins only, and a state that does not exist is refused by name
    assert app.get("/access/mail", headers=_as(world.publisher_admin)).status_code == 403
    assert app.get("/access/mail", follow_redirects=False).status_code == 302
    bad = app.get("/access/mail?state=lost", headers=_as(world.sysadmin))
    assert bad.status_code == 400 and "state" in bad.get_data(as_text=True)


def test_with_a_mail_server_the_mail_page_shows_what_was_sent(world, app, monkeypatch):
    from ckanext.ldeco.rights import notify

    from .test_notify import _start_sink

    sink = _start_sink()
    try:
        monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{sink.server_address[1]}")
        call("ldeco_access_request_create", world.officer, **request_data(world))
        assert notify.send_pending()["sent"] == 2
        body = app.get("/access/mail", headers=_as(world.sysadmin)).get_data(as_text=True)
        assert 'data-sending="true"' in body and body.count('data-state="sent"') == 2
        assert "Sent (2)" in body
        assert 'id="ldeco-mail-off"' not in app.get("/access/my", headers=_as(world.editor)).get_data(as_text=True)
    finally:
        sink.shutdown()
        sink.server_close()
