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
