"""Previews of a DataStore table (core's datatables view) go through the same
door as the rows: no grant, no rows; a partial grant, its columns only. The
resource page of a refused reader gives the reason and the way to ask, and a
grantee's dataset page says until when they have access, and to what."""

from __future__ import annotations

import pytest
from ckan.tests import factories

from tests.rights.conftest import call, request_data, world  # noqa: F401 (world is a fixture)

SECRET = "KW-SECRET-77"  # a cell of a column no grant covers


@pytest.fixture
def table(world):  # noqa: F811 (the fixture imported above)
    made = call("datastore_create", world.sysadmin, force=True,
                resource={"package_id": world.dataset["id"], "name": "Cases (table)"},
                fields=[{"id": c, "type": "text"} for c in ("case_id", "family_id", "key_worker")],
                records=[{"case_id": "TF-1", "family_id": "F-1", "key_worker": SECRET}])
    view = call("resource_view_create", world.sysadmin, resource_id=made["resource_id"],
                view_type="datatables_view", title="Table")
    return {"resource_id": made["resource_id"], "view_id": view["id"]}


def _grant(w):
    made = call("ldeco_access_request_create", w.officer, **request_data(w))
    return call("ldeco_access_request_decide", w.publisher_admin, id=made["id"], decision="approved",
                reason="ok")["grant"]


def _ajax(app, view_id, user=None):
    headers = {"Authorization": factories.APIToken(user=user["name"])["token"]} if user else {}
    form = {"draw": "1", "start": "0", "length": "10", "search[value]": "", "order[0][column]": "0",
            "order[0][dir]": "asc"}
    return app.post(f"/datatables/ajax/{view_id}", data=form, headers=headers)


def test_the_table_preview_obeys_the_door(world, table, app):  # noqa: F811
    # anonymous, and signed in without a grant: refused, nothing of the rows
    for who in (None, world.officer):
        answer = _ajax(app, table["view_id"], who)
        assert answer.status_code == 403, answer.get_data(as_text=True)
        assert SECRET not in answer.get_data(as_text=True) and "TF-1" not in answer.get_data(as_text=True)
    # the publisher sees every column
    body = _ajax(app, table["view_id"], world.publisher_admin).get_data(as_text=True)
    assert SECRET in body and "TF-1" in body
    # a grant of case_id and family_id: those columns, never key_worker
    _grant(world)
    answer = _ajax(app, table["view_id"], world.officer)
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200, body
    assert "TF-1" in body and "F-1" in body and SECRET not in body and "key_worker" not in body


def test_the_pages_say_where_the_reader_stands(world, table, app):  # noqa: F811
    page = f"/dataset/{world.dataset['name']}/resource/{table['resource_id']}"
    headers = {"Authorization": factories.APIToken(user=world.officer["name"])["token"]}
    body = app.get(page, headers=headers).get_data(as_text=True)
    assert "This data is restricted" in body and "ldeco-request-access" in body
    assert "datatables_view" not in body and 'class="resource-view' not in body  # no preview that would fail
    assert "Sign in to request access" in app.get(page).get_data(as_text=True)

    grant = _grant(world)
    body = app.get(f"/dataset/{world.dataset['name']}", headers=headers).get_data(as_text=True)
    assert 'data-access="partial"' in body and "You have access until" in body
    assert "Case" in body and "to these data items:" in body
    notice = body[body.index("You have access until"):][:200]
    assert grant["expiry"][:4] in notice, notice  # the year of the expiry, as rendered
    body = app.get(page, headers=headers).get_data(as_text=True)
    assert "This data is restricted" not in body and "You have access until" in body

    publisher = {"Authorization": factories.APIToken(user=world.publisher_admin["name"])["token"]}
    body = app.get(f"/dataset/{world.dataset['name']}", headers=publisher).get_data(as_text=True)
    assert 'data-access="publisher"' in body and "Request access" not in body
