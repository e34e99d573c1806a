"""The leak suite: every channel that can carry a restricted resource's data
or real location, asked by everyone who must not get it."""
from __future__ import annotations

import json

import pytest
import requests

import ckan.plugins.toolkit as tk

from tests.gating.conftest import SECRET_URL

FILE_DATA = "F-1,E05011368"  # in the uploaded file
TABLE_DATA = "KW-7"  # in the DataStore table


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


def ch_package_show(app, world, who):
    res = _api(app, world, who, "package_show", id=world.dataset["id"])
    return res.status_code, res.get_data(as_text=True)


def ch_resource_show(app, world, who):
    res = _api(app, world, who, "resource_show", id=world.link["id"])
    return res.status_code, res.get_data(as_text=True)


def ch_package_search(app, world, who):
    res = _api(app, world, who, "package_search", q="Family")
    return res.status_code, res.get_data(as_text=True)


def ch_package_search_fl(app, world, who):
    texts, codes = [], []
    for fl in ("res_url", "validated_data_dict", "data_dict", "urls", "text", "id,res_url"):
        res = _api(app, world, who, "package_search", q="Family", fl=fl, status=409)
        codes.append(res.status_code)
        texts.append(res.get_data(as_text=True))
    return max(codes), "\n".join(texts)


def ch_resource_search(app, world, who):
    res = _api(app, world, who, "resource_search", query="name:Families")
    return res.status_code, res.get_data(as_text=True)


def ch_datastore_search(app, world, who):
    res = _api(app, world, who, "datastore_search", resource_id=world.table["id"])
    return res.status_code, res.get_data(as_text=True)


def ch_datastore_info(app, world, who):
    res = _api(app, world, who, "datastore_info", id=world.table["id"])
    return res.status_code, res.get_data(as_text=True)


def ch_datastore_dump(app, world, who):
    res = app.get(f"/datastore/dump/{world.table['id']}", headers=world.token(who))
    return res.status_code, res.get_data(as_text=True)


def ch_resource_page(app, world, who):
    res = app.get(f"/dataset/{world.dataset['name']}/resource/{world.link['id']}", headers=world.token(who))
    return res.status_code, res.get_data(as_text=True)


def ch_dcat(app, world, who):
    texts = []
    for url in (f"/dataset/{world.dataset['name']}.ttl", f"/dataset/{world.dataset['name']}.jsonld",
                f"/dataset/{world.dataset['name']}.xml", "/catalog.ttl", "/catalog.jsonld", "/catalog.xml"):
        res = app.get(url, headers=world.token(who))
        assert res.status_code == 200, url
        texts.append(res.get_data(as_text=True))
    return 200, "\n".join(texts)


def ch_activity(app, world, who):
    texts = []
    stream = _api(app, world, who, "package_activity_list", id=world.dataset["id"])
    texts.append(stream.get_data(as_text=True))
    activities = stream.json["result"]
    for activity in activities:
        texts.append(_api(app, world, who, "activity_data_show", id=activity["id"]).get_data(as_text=True))
        texts.append(_api(app, world, who, "activity_show", id=activity["id"]).get_data(as_text=True))
        diff = _api(app, world, who, "activity_diff", id=activity["id"], object_type="package", diff_type="unified")
        texts.append(diff.get_data(as_text=True))
    texts.append(_api(app, world, who, "organization_activity_list", id=world.org["id"]).get_data(as_text=True))
    texts.append(_api(app, world, who, "recently_changed_packages_activity_list").get_data(as_text=True))
    page = app.get(f"/dataset/activity/{world.dataset['name']}", headers=world.token(who))
    texts.append(page.get_data(as_text=True))
    return 200, "\n".join(texts)


def ch_feeds(app, world, who):
    res = app.get("/feeds/dataset.atom", headers=world.token(who))
    return res.status_code, res.get_data(as_text=True)


CHANNELS = [ch_download_link, ch_download_file, ch_package_show, ch_resource_show, ch_package_search,
            ch_package_search_fl, ch_resource_search, ch_datastore_search, ch_datastore_info, ch_datastore_dump,
            ch_resource_page, ch_dcat, ch_activity, ch_feeds]


@pytest.mark.parametrize("who", [None, "officer"], ids=["anonymous", "signed-in-no-grant"])
@pytest.mark.parametrize("channel", CHANNELS, ids=[c.__name__[3:] for c in CHANNELS])
def test_no_data_and_no_real_url_without_a_grant(app, world, who, channel):
    status, text = channel(app, world, who)
    assert SECRET_URL not in text
    assert FILE_DATA not in text
    assert TABLE_DATA not in text
    if channel in (ch_download_link, ch_download_file):
        assert status == 403
        assert "request access" in text.lower()
    if channel in (ch_datastore_search, ch_datastore_info):
        assert status == 403


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
    stored = tk.get_action("resource_show")({"ignore_auth": True, "user": world.publisher["name"]},
                                            {"id": world.link["id"]})
    assert stored["url"] == SECRET_URL


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
