"""A restricted dataset with one resource of each kind, the people who ask
for it, and the real handshake that grants it: built one way for every
gating test (the leak table builds it once for all its cells)."""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from werkzeug.datastructures import FileStorage

# A link on loopback that nothing serves: its text must never reach an
# unauthorised caller by any channel.
SECRET_URL = "http://127.0.0.1:9/protected/families-record-level.csv"
COLUMNS = ["family_id", "ward", "headline_problem", "key_worker"]
FILE_DATA = "F-FILE-1,E05011368"  # the uploaded file's row: unlike any row of the table
TABLE_DATA = "KW-7"  # a key_worker: in the table only, outside a partial grant


@dataclass
class Restricted:
    org: dict[str, Any]
    publisher: dict[str, Any]
    dataset: dict[str, Any]
    link: dict[str, Any]
    upload: dict[str, Any]
    table: dict[str, Any]


def build_restricted() -> Restricted:
    """A council's restricted dataset: an external link, an uploaded file and
    a DataStore table, and an editor who publishes it."""
    org = factories.Organization(title="Manchester City Council", agency_kind="council")
    publisher = factories.UserWithToken()
    tk.get_action("organization_member_create")({"ignore_auth": True}, {
        "id": org["id"], "username": publisher["name"], "role": "editor"})
    dataset = factories.Dataset(owner_org=org["id"], name="family-cases", title="Family cases",
                                layer="operational", access_level="restricted", notes="Record level.")
    link = factories.Resource(package_id=dataset["id"], url=SECRET_URL, name="Families (link)", format="CSV")
    upload = tk.get_action("resource_create")({"user": publisher["name"]}, {
        "package_id": dataset["id"], "name": "Families (file)", "url": "",
        "upload": FileStorage(io.BytesIO(f"family_id,ward\n{FILE_DATA}\n".encode()), filename="families.csv",
                              content_type="text/csv")})
    table = factories.Resource(package_id=dataset["id"], url="", url_type="datastore", name="Families (table)")
    tk.get_action("datastore_create")({"ignore_auth": True}, {
        "resource_id": table["id"], "force": True,
        "fields": [{"id": c, "type": "text"} for c in COLUMNS],
        "records": [{"family_id": "F-1", "ward": "E05011368", "headline_problem": "crime",
                     "key_worker": TABLE_DATA}],
    })
    return Restricted(org, publisher, dataset, link, upload, table)


def call(action: str, user: dict | None = None, **data):
    context = {"user": user["name"]} if user else {"ignore_auth": True}
    return tk.get_action(action)(context, data)


def handshake(restricted: Restricted, officers: Iterable[dict]) -> Callable[[dict, list[str]], dict]:
    """Everything but the request itself: the rights registers, the
    dataset's schedule, and each officer a police member empowered as a
    liaison officer and accredited. Returns grant(officer, items), which
    requests those items and has the publisher approve."""
    from ckanext.ldeco.rights import loader

    loader.seed(progress=lambda _: None)
    officers = list(officers)
    sysadmin = factories.Sysadmin()
    police_admin = factories.User()
    police = factories.Organization(agency_kind="police", users=[
        {"name": police_admin["name"], "capacity": "admin"},
        *({"name": o["name"], "capacity": "member"} for o in officers)])
    call("ldeco_schedule_create", sysadmin, name="family-cases-schedule", title="Family cases",
         dataset_id=restricted.dataset["id"], roles=["police-liaison-officer"], purposes=["crime-reduction"],
         gateways=["cda1998-s115"], data_items=COLUMNS, accreditations=["data-protection-training"],
         terms="Use only for the stated purpose.", terms_version="1", max_grant_days=90)
    today = dt.date.today()
    since = (today - dt.timedelta(days=60)).isoformat()
    empowerments = {}
    for officer in officers:
        empowerments[officer["id"]] = call(
            "ldeco_empowerment_create", police_admin, user_id=officer["id"], organization_id=police["id"],
            role="police-liaison-officer", start_date=since)
        call("ldeco_user_accreditation_create", sysadmin, user_id=officer["id"],
             accreditation="data-protection-training", awarded=since, evidence="certificate")

    def grant(officer: dict, items: list[str]) -> dict:
        made = call("ldeco_access_request_create", officer, dataset_id=restricted.dataset["id"],
                    empowerment_id=empowerments[officer["id"]]["id"], purpose="crime-reduction",
                    gateway="cda1998-s115", data_items=items, start_date=today.isoformat(),
                    end_date=(today + dt.timedelta(days=30)).isoformat(), accept_terms=True, terms_version="1",
                    justification="Joint work on programme families.")
        return call("ldeco_access_request_decide", restricted.publisher, id=made["id"], decision="approved",
                    reason="Meets the schedule.")["grant"]

    return grant


@dataclass
class World(Restricted):
    officer: dict[str, Any]
    open_dataset: dict[str, Any]

    def token(self, who: str | None) -> dict[str, str]:
        if who is None:
            return {}
        return {"Authorization": getattr(self, who)["token"]}


@pytest.fixture
def world(portal) -> World:
    restricted = build_restricted()
    open_dataset = factories.Dataset(owner_org=restricted.org["id"], name="caseload", title="Caseload",
                                     layer="statistical", notes="Counts.", access_level="open")
    factories.Resource(package_id=open_dataset["id"], url="http://127.0.0.1:9/open/caseload.csv", format="CSV")
    return World(**vars(restricted), officer=factories.UserWithToken(), open_dataset=open_dataset)


@pytest.fixture
def grant_for(world):
    """Grant the officer some data items of the restricted dataset through the
    real handshake: schedule, empowerment, accreditation, request, decision."""
    grant = handshake(world, [world.officer])
    return lambda items: grant(world.officer, items)
