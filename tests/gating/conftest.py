"""A restricted dataset with one resource of each kind, and the people who
ask for it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

# A link on loopback that nothing serves: its text must never reach an
# unauthorised caller by any channel.
SECRET_URL = "http://127.0.0.1:9/protected/families-record-level.csv"
COLUMNS = ["family_id", "ward", "headline_problem", "key_worker"]


@dataclass
class World:
    org: dict[str, Any]
    publisher: dict[str, Any]
    officer: dict[str, Any]
    dataset: dict[str, Any]
    link: dict[str, Any]
    upload: dict[str, Any]
    table: dict[str, Any]
    open_dataset: dict[str, Any]

    def token(self, who: Optional[str]) -> dict[str, str]:
        if who is None:
            return {}
        return {"Authorization": getattr(self, who)["token"]}


@pytest.fixture
def world(portal, create_with_upload) -> World:
    org = factories.Organization(title="Manchester City Council")
    publisher = factories.UserWithToken()
    tk.get_action("organization_member_create")({"ignore_auth": True}, {
        "id": org["id"], "username": publisher["name"], "role": "editor"})
    officer = factories.UserWithToken()
    dataset = factories.Dataset(owner_org=org["id"], name="family-cases", title="Family cases",
                                layer="operational", access_level="restricted", notes="Record level.")
    link = factories.Resource(package_id=dataset["id"], url=SECRET_URL, name="Families (link)", format="CSV")
    upload = create_with_upload("family_id,ward\nF-1,E05011368\n", "families.csv", package_id=dataset["id"],
                                name="Families (file)", context={"user": publisher["name"]})
    table = factories.Resource(package_id=dataset["id"], url="", url_type="datastore", name="Families (table)")
    tk.get_action("datastore_create")({"ignore_auth": True}, {
        "resource_id": table["id"], "force": True,
        "fields": [{"id": c, "type": "text"} for c in COLUMNS],
        "records": [{"family_id": "F-1", "ward": "E05011368", "headline_problem": "crime", "key_worker": "KW-7"}],
    })
    open_dataset = factories.Dataset(owner_org=org["id"], name="caseload", title="Caseload", layer="statistical",
                                     notes="Counts.", access_level="open")
    factories.Resource(package_id=open_dataset["id"], url="http://127.0.0.1:9/open/caseload.csv", format="CSV")
    return World(org, publisher, officer, dataset, link, upload, table, open_dataset)


def _call(action: str, user: Optional[dict] = None, **data):
    context = {"user": user["name"]} if user else {"ignore_auth": True}
    return tk.get_action(action)(context, data)


@pytest.fixture
def grant_for(world):
    """Grant the officer some data items of the restricted dataset through the
    real handshake: schedule, empowerment, accreditation, request, decision."""
    import datetime as dt

    from ckanext.ldeco.rights import loader

    loader.seed(progress=lambda _: None)
    sysadmin = factories.Sysadmin()
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    tk.get_action("organization_patch")({"ignore_auth": True, "user": site_user},
                                        {"id": world.org["id"], "agency_kind": "council"})
    police_admin = factories.User()
    police = factories.Organization(agency_kind="police", users=[
        {"name": police_admin["name"], "capacity": "admin"}, {"name": world.officer["name"], "capacity": "member"}])
    _call("ldeco_schedule_create", sysadmin, name="family-cases-schedule", title="Family cases",
          dataset_id=world.dataset["id"], roles=["police-liaison-officer"], purposes=["crime-reduction"],
          gateways=["cda1998-s115"], data_items=COLUMNS, accreditations=["data-protection-training"],
          terms="Use only for the stated purpose.", terms_version="1", max_grant_days=90)
    today = dt.date.today()
    empowerment = _call("ldeco_empowerment_create", police_admin, user_id=world.officer["id"],
                        organization_id=police["id"], role="police-liaison-officer",
                        start_date=(today - dt.timedelta(days=5)).isoformat())
    _call("ldeco_user_accreditation_create", sysadmin, user_id=world.officer["id"],
          accreditation="data-protection-training", awarded=(today - dt.timedelta(days=5)).isoformat(),
          evidence="certificate")

    def grant(items: list[str]) -> dict:
        made = _call("ldeco_access_request_create", world.officer, dataset_id=world.dataset["id"],
                     empowerment_id=empowerment["id"], purpose="crime-reduction", gateway="cda1998-s115",
                     data_items=items, start_date=today.isoformat(),
                     end_date=(today + dt.timedelta(days=30)).isoformat(), accept_terms=True, terms_version="1",
                     justification="Joint work on programme families.")
        decided = _call("ldeco_access_request_decide", world.publisher, id=made["id"], decision="approved",
                        reason="Meets the schedule.")
        return decided["grant"]

    return grant
