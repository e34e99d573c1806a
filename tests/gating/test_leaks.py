"""The leak suite's cases outside its table (test_matrix.py holds the table:
every channel × every kind of caller): publishers, editors saving, open
data, the index itself, revoked tokens."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
import requests

from ckanext.ldeco.gating import secrets
from tests.gating.conftest import FILE_DATA, SECRET_URL


def _api(app, world, who, action, status=None, **params):
    res = app.post(f"/api/3/action/{action}", json=params, headers=world.token(who), status=status)
    return res


def ch_download_link(app, world, who):
    res = app.get(f"/dataset/{world.dataset['name']}/resource/{world.link['id']}/download",
                  headers=world.token(who), follow_redirects=False)
    return res.status_code, res.get_data(as_text=True) + res.headers.get("Location", "")


def ch_download_file(app, world, who):
    res = app.get(f"/dataset/{world.dataset['id']}/resource/{world.upload['id']}/download/families.csv",
                  headers=world.token(who), follow_redirects=False)
    return res.status_code, res.get_data(as_text=True) + res.headers.get("Location", "")


def test_the_publisher_gets_everything(app, world):
    status, text = ch_download_link(app, world, "publisher")
    assert status == 302 and text.endswith(SECRET_URL)
    status, text = ch_download_file(app, world, "publisher")
    assert status == 200 and FILE_DATA in text
    shown = _api(app, world, "publisher", "package_show", id=world.dataset["id"]).json["result"]
    assert SECRET_URL in [r["url"] for r in shown["resources"]]  # never redacted for editors
    rows = _api(app, world, "publisher", "datastore_search", resource_id=world.table["id"]).json["result"]
    assert rows["records"][0]["key_worker"] == "KW-7"


def test_an_editor_saving_the_dataset_keeps_the_real_link(app, world):
    tk.get_action("package_patch")({"user": world.publisher["name"]}, {"id": world.dataset["id"], "title": "Renamed"})
    # the real link is kept in ldeco's table, and the editor is shown it
    shown = tk.get_action("resource_show")({"user": world.publisher["name"]}, {"id": world.link["id"]})
    assert shown["url"] == SECRET_URL
    assert secrets.real_links([world.link["id"]]) == {world.link["id"]: SECRET_URL}
    internal = tk.get_action("resource_show")({"ignore_auth": True}, {"id": world.link["id"]})
    assert internal["url"].endswith(f"/dataset/{world.dataset['id']}/resource/{world.link['id']}/download")


def test_open_data_flows_freely(app, world):
    res = app.get(f"/dataset/{world.open_dataset['name']}", headers=world.token("officer"))
    assert "http://127.0.0.1:9/open/caseload.csv" in res.get_data(as_text=True)


def test_the_search_index_itself_holds_no_secret(app, world):
    """What Solr stores for the dataset, read straight from Solr."""
    url = tk.config["solr_url"].rstrip("/")
    doc = requests.get(f"{url}/select", params={"q": f'id:"{world.dataset["id"]}"', "fl": "*", "wt": "json"},
                       timeout=10).json()["response"]["docs"]
    assert len(doc) == 1
    assert SECRET_URL not in json.dumps(doc)


def test_a_revoked_token_opens_nothing(app, world):
    token = tk.get_action("api_token_create")({"ignore_auth": True, "user": world.publisher["name"]},
                                              {"user": world.publisher["name"], "name": "laptop"})["token"]
    ok = app.post("/api/3/action/package_show", json={"id": world.dataset["id"]}, headers={"Authorization": token})
    assert SECRET_URL in ok.get_data(as_text=True)
    tk.get_action("api_token_revoke")({"ignore_auth": True, "user": world.publisher["name"]}, {"token": token})
    res = app.post("/api/3/action/package_show", json={"id": world.dataset["id"]},
                   headers={"Authorization": token})
    assert SECRET_URL not in res.get_data(as_text=True)
    refused = app.get(f"/dataset/{world.dataset['name']}/resource/{world.link['id']}/download",
                      headers={"Authorization": token}, follow_redirects=False)
    assert refused.status_code in (401, 403)
