"""The leak suite as one table: every channel × every kind of caller, with
the outcome each cell must have.

One world serves the whole table (building it runs the real rights
handshake five times, so it is built once and reused while it is still in
the database): a restricted dataset with a link, an uploaded file and a
DataStore table, and one caller per state:

    anonymous   nobody signed in
    no_grant    signed in, never granted
    expired     granted every item, grant ended ten days ago
    revoked     granted every item, grant revoked by the publisher
    some        granted family_id and ward only
    all         granted every item

Outcomes:

    refused      403 with the reason for this caller (downloads, DataStore API)
    not_found    404 and nothing else (core's DataStore dump hides what it refuses)
    gated        200; the dataset's description, with the link replaced by its gated route
    described    200; the dataset is named, its link nowhere (these answers carry no resource list)
    fl_refused   409 for every index-only field asked with `fl`
    real_url     302 to the real link
    file         200 with the file's bytes
    to_dump      302 to the DataStore dump (which cuts to the granted columns)
    some_columns 200 with only family_id and ward
    all_columns  200 with every column

Every cell also asserts that the answer carries no secret it should not:
the real link, the file's data, and the table's data or ungranted columns.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from tests.conftest import _purge_audit_trail
from tests.gating.conftest import (
    COLUMNS,
    FILE_DATA,
    SECRET_URL,
    TABLE_DATA,
    Restricted,
    build_restricted,
    handshake,
)

STATES = ("anonymous", "no_grant", "expired", "revoked", "some", "all")
SOME = ["family_id", "ward"]

REASONS = {
    "anonymous": "sign in",
    "no_grant": "request access",
    "expired": "expired on",
    "revoked": "revoked",
    "some": "only some data items",  # files only: the DataStore serves the granted columns
}

R, NF, G = "refused", "not_found", "gated"
EXPECTED: dict[str, tuple[str, ...]] = {
    #                       anonymous  no_grant  expired  revoked  some            all
    "download_link":        (R,        R,        R,       R,       R,              "real_url"),
    "download_upload":      (R,        R,        R,       R,       R,              "file"),
    "download_table":       (R,        R,        R,       R,       "to_dump",      "to_dump"),
    "datastore_search":     (R,        R,        R,       R,       "some_columns", "all_columns"),
    "datastore_info":       (R,        R,        R,       R,       "some_columns", "all_columns"),
    "datastore_dump":       (NF,       NF,       NF,      NF,      "some_columns", "all_columns"),
    # only publishers see real links: a grantee too gets the gated route here
    "package_show":         (G,) * 6,
    "resource_show":        (G,) * 6,
    "package_search":       (G,) * 6,
    "package_search_fl":    ("fl_refused",) * 6,
    "resource_search":      (G,) * 6,
    "resource_page":        (G,) * 6,
    "dcat":                 (G,) * 6,
    "activity":             ("described",) * 6,
    "feeds":                ("described",) * 6,
}


@dataclass
class Answer:
    status: int
    text: str
    location: str = ""
    columns: list[str] | None = None
    texts: list[str] = field(default_factory=list)


@dataclass
class MatrixWorld(Restricted):
    tokens: dict[str, str]

    def headers(self, state: str) -> dict[str, str]:
        return {"Authorization": self.tokens[state]} if state in self.tokens else {}


_built: dict[str, Any] = {}  # "storage": the uploads' folder, "world": the world built there


def _build() -> MatrixWorld:
    from ckanext.ldeco.rights import model as rights_model

    restricted = build_restricted()
    officers = {state: factories.UserWithToken() for state in STATES if state != "anonymous"}
    grant = handshake(restricted, officers.values())
    grants = {state: grant(officer, SOME if state == "some" else COLUMNS)
              for state, officer in officers.items() if state != "no_grant"}
    # the grant ran its course: both its dates moved into the past
    today = dt.date.today()
    expired = model.Session.query(rights_model.Grant).get(grants["expired"]["id"])
    expired.start_date, expired.expiry = today - dt.timedelta(days=40), today - dt.timedelta(days=10)
    model.Session.commit()
    tk.get_action("ldeco_grant_revoke")({"user": restricted.publisher["name"]}, {
        "id": grants["revoked"]["id"], "reason": "Programme ended"})
    return MatrixWorld(**vars(restricted), tokens={state: o["token"] for state, o in officers.items()})


@pytest.fixture
def matrix(with_plugins, reset_db, migrate_db_for, reset_index, ckan_config, monkeypatch, tmp_path_factory,
           app):
    """The world, built on an empty database the first time and whenever
    another test has reset the database since."""
    if "storage" not in _built:
        _built["storage"] = str(tmp_path_factory.mktemp("matrix-storage"))
    monkeypatch.setitem(ckan_config, "ckan.storage_path", _built["storage"])
    world = _built.get("world")
    if world is None or model.Package.get(world.dataset["id"]) is None:
        _purge_audit_trail()
        reset_db()
        migrate_db_for("activity")
        migrate_db_for("ldeco")
        reset_index()
        world = _build()
        _built["world"] = world
    return world


# ---- the channels --------------------------------------------------------

def _api(app, w: MatrixWorld, state: str, action: str, **params):
    return app.post(f"/api/3/action/{action}", json=params, headers=w.headers(state))


def _answer(res, columns=None) -> Answer:
    return Answer(res.status_code, res.get_data(as_text=True), res.headers.get("Location", ""), columns)


def _download(app, w, state, res, suffix=""):
    return _answer(app.get(f"/dataset/{w.dataset['name']}/resource/{res['id']}/download{suffix}",
                           headers=w.headers(state), follow_redirects=False))


def ch_download_link(app, w, state):
    return _download(app, w, state, w.link)


def ch_download_upload(app, w, state):
    return _download(app, w, state, w.upload, "/families.csv")


def ch_download_table(app, w, state):
    return _download(app, w, state, w.table)


def ch_datastore_search(app, w, state):
    res = _api(app, w, state, "datastore_search", resource_id=w.table["id"])
    cols = None
    if res.status_code == 200:
        cols = [f["id"] for f in res.json["result"]["fields"] if f["id"] != "_id"]
        assert all(set(r) - {"_id"} == set(cols) for r in res.json["result"]["records"])
    return _answer(res, cols)


def ch_datastore_info(app, w, state):
    res = _api(app, w, state, "datastore_info", id=w.table["id"])
    return _answer(res, [f["id"] for f in res.json["result"]["fields"]] if res.status_code == 200 else None)


def ch_datastore_dump(app, w, state):
    res = app.get(f"/datastore/dump/{w.table['id']}", headers=w.headers(state))
    cols = None
    if res.status_code == 200:
        header = next(csv.reader(io.StringIO(res.get_data(as_text=True).lstrip("\ufeff"))))
        cols = [c for c in header if c != "_id"]
    return _answer(res, cols)


def ch_package_show(app, w, state):
    return _answer(_api(app, w, state, "package_show", id=w.dataset["id"]))


def ch_resource_show(app, w, state):
    return _answer(_api(app, w, state, "resource_show", id=w.link["id"]))


def ch_package_search(app, w, state):
    return _answer(_api(app, w, state, "package_search", q="Family"))


def ch_package_search_fl(app, w, state):
    answers = [_answer(_api(app, w, state, "package_search", q="Family", fl=fl))
               for fl in ("res_url", "validated_data_dict", "data_dict", "urls", "text", "id,res_url")]
    return Answer(max(a.status for a in answers), "\n".join(a.text for a in answers),
                  texts=[str(a.status) for a in answers])


def ch_resource_search(app, w, state):
    return _answer(_api(app, w, state, "resource_search", query="name:Families"))


def ch_resource_page(app, w, state):
    return _answer(app.get(f"/dataset/{w.dataset['name']}/resource/{w.link['id']}", headers=w.headers(state)))


def ch_dcat(app, w, state):
    answers = [_answer(app.get(url, headers=w.headers(state)))
               for url in (f"/dataset/{w.dataset['name']}.ttl", f"/dataset/{w.dataset['name']}.jsonld",
                           f"/dataset/{w.dataset['name']}.xml", f"/dataset/{w.dataset['name']}.n3",
                           "/catalog.ttl", "/catalog.jsonld", "/catalog.xml", "/catalog.n3")]
    return Answer(max(a.status for a in answers), "\n".join(a.text for a in answers))


def ch_activity(app, w, state):
    answers = []
    stream = _api(app, w, state, "package_activity_list", id=w.dataset["id"])
    answers.append(_answer(stream))
    for activity in stream.json["result"]:
        answers.append(_answer(_api(app, w, state, "activity_data_show", id=activity["id"])))
        answers.append(_answer(_api(app, w, state, "activity_data_show", id=activity["id"],
                                    object_type="package")))
        answers.append(_answer(_api(app, w, state, "activity_show", id=activity["id"])))
        answers.append(_answer(_api(app, w, state, "activity_show", id=activity["id"], include_data=True)))
        answers.append(_answer(_api(app, w, state, "activity_diff", id=activity["id"], object_type="package",
                                    diff_type="unified")))
    answers.append(_answer(_api(app, w, state, "organization_activity_list", id=w.org["id"])))
    answers.append(_answer(_api(app, w, state, "recently_changed_packages_activity_list")))
    answers.append(_answer(app.get(f"/dataset/activity/{w.dataset['name']}", headers=w.headers(state))))
    assert stream.json["result"]  # the stream holds the dataset as it was stored, links and all
    return Answer(max(a.status for a in answers), "\n".join(a.text for a in answers))


def ch_feeds(app, w, state):
    answers = [_answer(app.get(url, headers=w.headers(state)))
               for url in ("/feeds/dataset.atom", "/feeds/custom.atom?q=Family",
                           f"/feeds/organization/{w.org['name']}.atom")]
    return Answer(max(a.status for a in answers), "\n".join(a.text for a in answers))


CHANNELS: dict[str, Callable[..., Answer]] = {name: globals()[f"ch_{name}"] for name in EXPECTED}


# ---- the outcomes ---------------------------------------------------------

def _no_secret(answer: Answer, outcome: str) -> None:
    if outcome != "real_url":
        assert SECRET_URL not in answer.text + answer.location
    if outcome != "file":
        assert FILE_DATA not in answer.text
    if outcome != "all_columns":
        assert TABLE_DATA not in answer.text
        assert "key_worker" not in answer.text and "headline_problem" not in answer.text


def _check(outcome: str, answer: Answer, state: str, w: MatrixWorld) -> None:
    _no_secret(answer, outcome)
    if outcome == "refused":
        assert answer.status == 403
        assert REASONS[state] in answer.text.lower()
    elif outcome == "not_found":
        assert answer.status == 404
    elif outcome == "gated":
        assert answer.status == 200
        gated = f"/dataset/{w.dataset['id']}/resource/{w.link['id']}/download"
        assert gated in answer.text
    elif outcome == "described":
        assert answer.status == 200 and w.dataset["title"] in answer.text
    elif outcome == "fl_refused":
        assert answer.texts == ["409"] * 6
    elif outcome == "real_url":
        assert answer.status == 302 and answer.location == SECRET_URL
    elif outcome == "file":
        assert answer.status == 200 and FILE_DATA in answer.text
    elif outcome == "to_dump":
        assert answer.status == 302 and f"/datastore/dump/{w.table['id']}" in answer.location
    elif outcome == "some_columns":
        assert answer.status == 200 and answer.columns == SOME
    elif outcome == "all_columns":
        assert answer.status == 200 and answer.columns == COLUMNS
    else:
        raise AssertionError(f"unknown outcome {outcome}")


CELLS = [(channel, state) for state in STATES for channel in EXPECTED]


# Activity details are open to all here, as a portal may choose: the harder case.
@pytest.mark.ckan_config("ckan.auth.public_activity_stream_detail", True)
@pytest.mark.parametrize("channel,state", CELLS, ids=[f"{s}-{c}" for c, s in CELLS])
def test_cell(app, matrix, channel, state):
    outcome = EXPECTED[channel][STATES.index(state)]
    _check(outcome, CHANNELS[channel](app, matrix, state), state, matrix)


def test_the_table_covers_every_channel_and_state():
    assert all(len(row) == len(STATES) for row in EXPECTED.values())
    assert set(CHANNELS) == set(EXPECTED)
