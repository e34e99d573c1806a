"""A restricted dataset seeded with canaries, and the callers who must never
see them: the world the crawler and the fuzzer walk.

Canaries are random words planted where a leak would carry them: a token
in a link's query string and a word in its path, a DataStore cell, a
DataStore column name (in no schedule, so no grant can cover it), and an
uploaded file's body. The dataset is then updated, so its activities hold
copies of all of it. The world is built through the public actions, as a
publisher would build it, and is built once per test module (see
``world_fixture``): the rights handshake it runs is the slow part.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from werkzeug.datastructures import FileStorage

from tests.conftest import _empty_datastore, _purge_audit_trail
from tests.gating.conftest import FILE_DATA, SECRET_URL, TABLE_DATA, Restricted, build_restricted, handshake

# Every caller who must see none of the canaries.
STATES = ("anonymous", "no_grant", "other_admin", "expired", "revoked", "partial")
PARTIAL_ITEMS = ["family_id", "ward"]  # what the partial grant covers: no canary is in these columns

# Config the world is built and walked under: activity details open to all,
# as a portal may choose (the harder case).
CONFIG = {"ckan.auth.public_activity_stream_detail": True}


@dataclass(frozen=True)
class Canaries:
    token: str  # the link's ?token=
    path: str  # a word of the link's path
    cell: str  # a key_worker value (a column outside the partial grant)
    column: str  # a column name of the table, in no schedule
    column_value: str  # that column's value
    file: str  # the uploaded file's body

    @classmethod
    def fresh(cls) -> Canaries:
        # lower-case letters and digits only: no encoding (URL, JSON, HTML) changes them
        def word(kind: str) -> str:
            return f"cnry{kind}{secrets.token_hex(8)}"
        return cls(token=word("tok"), path=word("path"), cell=word("cell"), column=word("col"),
                   column_value=word("colval"), file=word("file"))

    @property
    def link(self) -> str:
        return f"http://127.0.0.1:9/{self.path}/cases.csv?token={self.token}"

    def secrets(self) -> dict[str, str]:
        """Every secret of the world by name: the canaries, and the fixed
        secrets of the restricted dataset they were planted beside."""
        return {**{k: v for k, v in vars(self).items()}, "secret_url": SECRET_URL, "file_data": FILE_DATA,
                "table_data": TABLE_DATA}


@dataclass
class CanaryWorld:
    canaries: Canaries
    restricted: Restricted
    link: dict[str, Any]  # the canary resources, beside the restricted dataset's own
    upload: dict[str, Any]
    table: dict[str, Any]
    group: dict[str, Any]
    other_org: dict[str, Any]
    other_dataset: dict[str, Any]
    sysadmin: dict[str, Any]
    users: dict[str, dict[str, Any]]  # state -> user with token (anonymous has none)
    grants: dict[str, dict[str, Any]]  # state -> the grant it holds, as it was made
    activities: list[str]
    fingerprint: str = ""
    builds: int = 1
    rebuilt_after: list[str] = field(default_factory=list)

    @property
    def dataset(self) -> dict[str, Any]:
        return self.restricted.dataset

    @property
    def org(self) -> dict[str, Any]:
        return self.restricted.org

    @property
    def publisher(self) -> dict[str, Any]:
        return self.restricted.publisher

    @property
    def resources(self) -> list[dict[str, Any]]:
        r = self.restricted
        return [r.link, r.upload, r.table, self.link, self.upload, self.table]

    def headers(self, state: str) -> dict[str, str]:
        user = self.users.get(state)
        return {"Authorization": user["token"]} if user else {}


def _as(user: dict[str, Any] | None) -> dict[str, Any]:
    return {"user": user["name"]} if user else {"ignore_auth": True}


def build() -> CanaryWorld:
    """Build the world on the current (empty) database."""
    from ckanext.ldeco.dictionary import packs
    from ckanext.ldeco.rights import model as rights_model

    canaries = Canaries.fresh()
    packs.load_shipped()  # the quality check needs the concept the table declares
    restricted = build_restricted()
    publisher = _as(restricted.publisher)
    dataset_id = restricted.dataset["id"]
    act = tk.get_action

    link = act("resource_create")(dict(publisher), {
        "package_id": dataset_id, "name": "Cases (link)", "format": "CSV", "url": canaries.link})
    upload = act("resource_create")(dict(publisher), {
        "package_id": dataset_id, "name": "Cases (file)", "url": "",
        "upload": FileStorage(io.BytesIO(f"family_id,ward\n{canaries.file},E05011368\n".encode()),
                              filename="cases.csv", content_type="text/csv")})
    # the quality report of this table names columns and quotes cells: a
    # derived view that must obey the same decision as the rows
    table = act("datastore_create")(dict(publisher), {
        # the map names no canary: it is the publisher's metadata, shown to all
        "resource": {"package_id": dataset_id, "name": "Cases (table)", "conforms_to": "family-case",
                     "column_map": "family_id = family_id\nkey_worker = outcomes"},
        "force": True,
        "fields": [{"id": c, "type": "text"} for c in ("family_id", "ward", "key_worker", canaries.column)],
        "records": [{"family_id": "F-9", "ward": "E05011368", "key_worker": canaries.cell,
                     canaries.column: canaries.column_value}],
    })
    table = act("resource_show")({"ignore_auth": True}, {"id": table["resource_id"]})
    # the table's preview (core's datatables view): its page and its rows must obey the door too
    act("package_create_default_resource_views")(dict(publisher), {
        "package": act("package_show")(dict(publisher), {"id": dataset_id}),
        "create_datastore_views": True})
    act("ldeco_quality_check")(dict(publisher), {"id": table["id"]})
    act("ldeco_quality_check")(dict(publisher), {"id": restricted.table["id"]})

    group = factories.Group(title="Families work")
    act("member_create")({"ignore_auth": True}, {"id": group["id"], "object": dataset_id,
                                                 "object_type": "package", "capacity": "public"})
    # an update, so the activity stream holds whole copies of the dataset, links and all
    act("package_patch")(dict(publisher), {"id": dataset_id, "notes": "Record level; reviewed.",
                                           "tags": [{"name": "families"}]})

    other_admin = factories.UserWithToken()
    other_org = factories.Organization(title="Bolton Council", agency_kind="council",
                                       users=[{"name": other_admin["name"], "capacity": "admin"}])
    other_dataset = factories.Dataset(owner_org=other_org["id"], name="bolton-cases", title="Bolton cases",
                                      layer="operational", access_level="restricted", notes="Bolton's own.")

    officers = {state: factories.UserWithToken() for state in ("expired", "revoked", "partial")}
    grant = handshake(restricted, officers.values())
    columns = act("ldeco_schedule_list")({"ignore_auth": True}, {"dataset_id": dataset_id})[0]["data_items"]
    grants = {state: grant(officer, PARTIAL_ITEMS if state == "partial" else columns)
              for state, officer in officers.items()}
    today = dt.date.today()
    expired = model.Session.query(rights_model.Grant).get(grants["expired"]["id"])
    expired.start_date, expired.expiry = today - dt.timedelta(days=40), today - dt.timedelta(days=10)
    model.Session.commit()
    act("ldeco_grant_revoke")(dict(publisher), {"id": grants["revoked"]["id"], "reason": "Programme ended"})

    sysadmin = factories.SysadminWithToken()
    activities = [a["id"] for a in act("package_activity_list")({"ignore_auth": True}, {"id": dataset_id,
                                                                                         "limit": 100})]
    world = CanaryWorld(
        canaries=canaries, restricted=restricted, link=link, upload=upload, table=table, group=group,
        other_org=other_org, other_dataset=other_dataset, sysadmin=sysadmin,
        users={"no_grant": factories.UserWithToken(), "other_admin": other_admin, **officers},
        grants=grants, activities=activities)
    world.fingerprint = fingerprint(world)
    return world


def fingerprint(world: CanaryWorld) -> str:
    """What the canaries rest on, read as the site: the dataset and its
    resources, the tables' rows and columns, the schedules and the grants.
    Unchanged while the world is intact."""
    site = {"user": world.sysadmin["name"]}
    act = tk.get_action
    try:
        pkg = act("package_show")(dict(site), {"id": world.dataset["id"]})
    except tk.ObjectNotFound:
        return "gone"
    state: dict[str, Any] = {
        "dataset": {k: pkg.get(k) for k in ("name", "state", "private", "owner_org", "access_level")},
        "resources": sorted((r["id"], r.get("url"), r.get("url_type"), r.get("access_level"))
                            for r in pkg["resources"]),
        "tables": {},
        "schedules": sorted(json.dumps(s, sort_keys=True, default=str)
                            for s in act("ldeco_schedule_list")(dict(site), {})),
        "grants": sorted((g["id"], g.get("status"), str(g.get("expiry")), str(g.get("revoked")))
                         for g in act("ldeco_grant_list")(dict(site), {"dataset_id": world.dataset["id"]})),
    }
    for table in (world.restricted.table, world.table):
        try:
            rows = act("datastore_search")(dict(site), {"resource_id": table["id"], "sort": "_id"})
        except tk.ObjectNotFound:
            state["tables"][table["id"]] = "gone"
            continue
        state["tables"][table["id"]] = ([f["id"] for f in rows["fields"]], rows["records"])
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


def _fresh_database(reset_db: Callable[[], None], migrate_db_for: Callable[[str], None],
                    reset_index: Callable[[], None]) -> None:
    # what tests.conftest's clean_db and CKAN's clean_index do for one test
    _purge_audit_trail()
    _empty_datastore()
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("ldeco")
    reset_index()


class WorldKeeper:
    """Holds the module's world; builds it again when a test broke it (a
    write that should have been refused), saying which test did."""

    def __init__(self, storage: str, reset_db, migrate_db_for, reset_index) -> None:
        self.storage = storage
        self._fresh = lambda: _fresh_database(reset_db, migrate_db_for, reset_index)
        self.world: CanaryWorld | None = None

    def get(self, test_name: str) -> CanaryWorld:
        if self.world is not None and fingerprint(self.world) == self.world.fingerprint:
            return self.world
        previous = self.world
        self._fresh()
        self.world = build()
        if previous is not None:
            self.world.builds = previous.builds + 1
            self.world.rebuilt_after = [*previous.rebuilt_after, test_name]
        return self.world


def apply_config(config: Any, storage: str) -> None:
    config["ckan.storage_path"] = storage
    for key, value in CONFIG.items():
        config[key] = value


def world_fixture():
    """A pair of fixtures: the module's keeper (built once per module, on
    session-scoped resets, since CKAN's clean_db, with_plugins and app are
    per test) and a per-test ``world`` fixture that hands out the world with
    the portal's plugins, config and app in place, rebuilding it first if
    an earlier test broke it."""

    @pytest.fixture(scope="module")
    def keeper(tmp_path_factory, reset_db, migrate_db_for, reset_index) -> Iterator[WorldKeeper]:
        yield WorldKeeper(str(tmp_path_factory.mktemp("canary-storage")), reset_db, migrate_db_for, reset_index)

    @pytest.fixture
    def world(request, keeper, with_plugins, ckan_config, app) -> CanaryWorld:
        apply_config(ckan_config, keeper.storage)
        return keeper.get(request.node.name)

    return keeper, world


__all__ = ["STATES", "PARTIAL_ITEMS", "Canaries", "CanaryWorld", "build", "fingerprint", "world_fixture"]
