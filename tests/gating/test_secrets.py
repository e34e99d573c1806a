"""Restricted links kept out of core's reach: core's resource row, every
stored activity and the index hold the gated route only, so routes nobody
listed (the activity plugin's history pages, `resource_search`'s `url:`
filter) cannot carry the link or answer questions about it."""
from __future__ import annotations

import json

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
import requests
import sqlalchemy as sa

from tests.gating.conftest import COLUMNS, SECRET_URL

pytestmark = pytest.mark.ckan_config("ckan.auth.public_activity_stream_detail", True)


def _gated(world) -> str:
    return f"/dataset/{world.dataset['id']}/resource/{world.link['id']}/download"


def _rows(sql: str, **params) -> list[str]:
    """Straight from PostgreSQL, on a connection of its own."""
    with model.meta.engine.connect() as conn:
        return [row[0] for row in conn.execute(sa.text(sql), params)]


def _stored_url(world) -> str:
    return _rows("SELECT url FROM resource WHERE id = :id", id=world.link["id"])[0]


def _held() -> dict[str, str]:
    with model.meta.engine.connect() as conn:
        return {row.resource_id: row.url
                for row in conn.execute(sa.text("SELECT resource_id, url FROM ldeco_resource_secret"))}


def _solr_docs(world) -> str:
    url = tk.config["solr_url"].rstrip("/")
    docs = requests.get(f"{url}/select", params={"q": "*:*", "fl": "*", "wt": "json", "rows": 100},
                        timeout=10).json()["response"]["docs"]
    assert any(d.get("id") == world.dataset["id"] for d in docs)
    return json.dumps(docs)


def _activity_ids(app, world) -> list[str]:
    res = app.post("/api/3/action/package_activity_list", json={"id": world.dataset["id"]})
    ids = [a["id"] for a in res.json["result"]]
    assert ids
    return ids


def _patch(world, **fields) -> None:
    tk.get_action("package_patch")({"user": world.publisher["name"]}, {"id": world.dataset["id"], **fields})


@pytest.mark.parametrize("who", [None, "officer"])
def test_the_history_pages_never_carry_the_link(app, world, who):
    _patch(world, title="Family cases (renamed)")  # a second stored copy
    pages = []
    for activity_id in _activity_ids(app, world):
        for url in (f"/dataset/{world.dataset['id']}/resources/{world.link['id']}/history/{activity_id}",
                    f"/dataset/{world.dataset['id']}/history/{activity_id}"):
            res = app.get(url, headers=world.token(who))
            pages.append((res.status_code, res.get_data(as_text=True)))
    assert any(status == 200 and _gated(world) in text for status, text in pages)  # they did render
    assert all(SECRET_URL not in text for _status, text in pages)


@pytest.mark.parametrize("who", [None, "officer"])
def test_resource_search_is_no_oracle_over_the_link(app, world, who):
    def count(term: str) -> int:
        res = app.post("/api/3/action/resource_search", json={"query": f"url:{term}"},
                       headers=world.token(who))
        return res.json["result"]["count"]

    tail = SECRET_URL.split("127.0.0.1:9/", 1)[1]  # protected/families-record-level.csv (the open link shares the host)
    for length in (4, 12, 20, len(tail)):
        true, false = tail[:length], tail[:length - 1] + "~"
        assert count(true) == count(false) == 0, true
    assert SECRET_URL not in app.post("/api/3/action/resource_search", json={"query": "name:Families"},
                                      headers=world.token(who)).get_data(as_text=True)


def test_core_tables_and_the_index_never_hold_the_link(app, world):
    _patch(world, notes="Record level, renamed.")
    assert _stored_url(world).endswith(_gated(world))
    assert not _rows("SELECT id FROM resource r WHERE strpos(r::text, :s) > 0", s=SECRET_URL)
    activities = _rows("SELECT coalesce(data, '') FROM activity")
    assert len(activities) >= 2 and all(SECRET_URL not in a for a in activities)
    assert SECRET_URL not in _solr_docs(world)
    assert _held() == {world.link["id"]: SECRET_URL}


def test_the_editor_sees_and_saves_the_real_link(app, world):
    shown = app.post("/api/3/action/package_show", json={"id": world.dataset["id"]},
                     headers=world.token("publisher")).json["result"]
    assert SECRET_URL in [r["url"] for r in shown["resources"]]
    form = app.get(f"/dataset/{world.dataset['name']}/resource/{world.link['id']}/edit",
                   headers=world.token("publisher"))
    assert form.status_code == 200 and SECRET_URL in form.get_data(as_text=True)
    # the form saved as shown, then with a new link: each lands in ldeco's table only
    res = {r["id"]: r for r in shown["resources"]}[world.link["id"]]
    for url in (SECRET_URL, SECRET_URL + "?v=2"):
        app.post("/api/3/action/resource_update", json={**res, "url": url}, headers=world.token("publisher"))
        assert _held()[world.link["id"]] == url
        assert _stored_url(world).endswith(_gated(world))
        assert tk.get_action("resource_show")({"user": world.publisher["name"]},
                                              {"id": world.link["id"]})["url"] == url
    # an internal read saved back (the gated route) keeps the secret
    internal = tk.get_action("package_show")({"ignore_auth": True}, {"id": world.dataset["id"]})
    assert SECRET_URL not in json.dumps(internal)
    tk.get_action("package_update")({"ignore_auth": True, "user": world.publisher["name"]}, internal)
    assert _held()[world.link["id"]] == SECRET_URL + "?v=2"


def test_opening_and_restricting_moves_the_link_out_and_in(app, world):
    _patch(world, access_level="open", open_confirmed=True)
    assert _stored_url(world) == SECRET_URL and _held() == {}
    shown = app.post("/api/3/action/package_show", json={"id": world.dataset["id"]}).json["result"]
    assert SECRET_URL in [r["url"] for r in shown["resources"]]  # open data: the link is public
    _patch(world, access_level="restricted")
    assert _stored_url(world).endswith(_gated(world)) and _held() == {world.link["id"]: SECRET_URL}
    # what was stored while it was open is scrubbed too, and so is the index
    assert all(SECRET_URL not in a for a in _rows("SELECT coalesce(data, '') FROM activity"))
    assert SECRET_URL not in _solr_docs(world)
    assert SECRET_URL not in app.post("/api/3/action/package_show", json={"id": world.dataset["id"]},
                                      ).get_data(as_text=True)


def test_a_restricted_resource_of_an_open_dataset_and_a_deleted_one(app, world):
    link = tk.get_action("resource_create")({"user": world.publisher["name"]}, {
        "package_id": world.open_dataset["id"], "url": SECRET_URL + "#own", "name": "Own level",
        "access_level": "restricted"})
    assert _held()[link["id"]] == SECRET_URL + "#own"
    assert SECRET_URL not in app.post("/api/3/action/package_show", json={"id": world.open_dataset["id"]},
                                      ).get_data(as_text=True)
    tk.get_action("resource_delete")({"user": world.publisher["name"]}, {"id": link["id"]})
    assert link["id"] not in _held()
    tk.get_action("dataset_purge")({"ignore_auth": True}, {"id": world.dataset["id"]})
    assert _held() == {}


def test_a_dataset_created_with_its_links_never_stores_them(app, world):
    from ckan.tests import factories

    made = factories.Dataset(owner_org=world.org["id"], access_level="restricted", layer="operational", resources=[
        {"url": SECRET_URL + "?a", "name": "A"}, {"url": SECRET_URL + "?b", "name": "B", "access_level": "open"}])
    ids = {r["name"]: r["id"] for r in made["resources"]}
    assert _held()[ids["A"]] == SECRET_URL + "?a" and ids["B"] not in _held()
    with model.meta.engine.connect() as conn:
        stored = {row.name: row.url for row in conn.execute(
            sa.text("SELECT name, url FROM resource WHERE package_id = :p"), {"p": made["id"]})}
    assert stored["A"].endswith(f"/dataset/{made['id']}/resource/{ids['A']}/download")
    assert stored["B"] == SECRET_URL + "?b"  # the resource's own level opens it
    new = _rows("SELECT data FROM activity WHERE object_id = :p", p=made["id"])
    assert new and all(SECRET_URL + "?a" not in a for a in new)


def test_the_grantee_is_sent_to_the_real_link_which_core_never_held(app, world, grant_for):
    grant_for(COLUMNS)
    res = app.get(f"/dataset/{world.dataset['name']}/resource/{world.link['id']}/download",
                  headers=world.token("officer"), follow_redirects=False)
    assert res.status_code == 302 and res.headers["Location"] == SECRET_URL
    assert _stored_url(world).endswith(_gated(world))


def test_the_migration_moves_stored_links_and_scrubs_activities(app, world, migrate_db_for):
    from ckanext.ldeco.gating import secrets

    # the database as it was before ldeco_0006: the link in core's table and
    # in a stored activity
    migrate_db_for("ldeco", "ldeco_0005_audit_append", False)
    assert _stored_url(world) == SECRET_URL
    with model.meta.engine.begin() as conn:
        conn.execute(sa.text("UPDATE activity SET data = replace(data, :gated, :secret)"),
                     {"gated": secrets.gated_route(world.dataset["id"], world.link["id"]), "secret": SECRET_URL})
    assert any(SECRET_URL in a for a in _rows("SELECT coalesce(data, '') FROM activity"))
    migrate_db_for("ldeco")
    assert _stored_url(world).endswith(_gated(world)) and _held() == {world.link["id"]: SECRET_URL}
    assert all(SECRET_URL not in a for a in _rows("SELECT coalesce(data, '') FROM activity"))
    shown = tk.get_action("package_show")({"user": world.publisher["name"]}, {"id": world.dataset["id"]})
    assert SECRET_URL in [r["url"] for r in shown["resources"]]


def test_scrub_moves_a_link_written_around_the_session_and_cleans_the_index(app, world, cli):
    from ckan.lib import search

    from ckanext.ldeco.cli import ldeco

    with model.meta.engine.begin() as conn:  # a row written by raw SQL: no listener saw it
        conn.execute(sa.text("UPDATE resource SET url = :u WHERE id = :id"), {"u": SECRET_URL, "id": world.link["id"]})
        conn.execute(sa.text("DELETE FROM ldeco_resource_secret"))
    model.Session.remove()
    search.rebuild(world.dataset["id"])
    # the second line holds even so: answers and the index carry no link
    assert SECRET_URL not in app.post("/api/3/action/package_show", json={"id": world.dataset["id"]},
                                      ).get_data(as_text=True)
    assert SECRET_URL not in _solr_docs(world)
    result = cli.invoke(ldeco, ["gating", "scrub"])
    assert result.exit_code == 0, result.output
    assert "1 links moved" in result.output
    assert _stored_url(world).endswith(_gated(world)) and _held() == {world.link["id"]: SECRET_URL}
