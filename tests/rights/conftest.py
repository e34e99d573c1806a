"""A small ecosystem for the rights tests: a council publishes a restricted
dataset under a schedule; a police officer is empowered to ask for it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.ldeco.rights import loader

PASSWORD = "ldeco-test-pass-1"


def call(action: str, user: dict | None = None, **data):
    context = {"user": user["name"]} if user else {"ignore_auth": True}
    return tk.get_action(action)(context, data)


@pytest.fixture
def world(portal):
    sysadmin = factories.Sysadmin()
    loader.seed(progress=lambda _: None)
    publisher_admin = factories.User(name="pat-publisher", password=PASSWORD, image_url="")
    editor = factories.User(name="ed-editor", password=PASSWORD, image_url="")
    officer = factories.User(name="olu-officer", password=PASSWORD, image_url="")
    police_admin = factories.User(name="pc-admin", password=PASSWORD, image_url="")
    council = factories.Organization(
        name="manchester-city-council",
        agency_kind="council",
        users=[
            {"name": publisher_admin["name"], "capacity": "admin"},
            {"name": editor["name"], "capacity": "editor"},
        ],
    )
    police = factories.Organization(
        name="greater-manchester-police",
        agency_kind="police",
        users=[
            {"name": police_admin["name"], "capacity": "admin"},
            {"name": officer["name"], "capacity": "member"},
        ],
    )
    dataset = factories.Dataset(
        name="family-cases",
        owner_org=council["id"],
        layer="operational",
        access_level="restricted",
        notes="Record-level cases.",
        resources=[{"name": "Cases", "url": "http://127.0.0.1/cases.csv"}],
    )
    schedule = call(
        "ldeco_schedule_create",
        sysadmin,
        name="family-cases-schedule",
        title="Family cases",
        dataset_id=dataset["id"],
        roles=["police-liaison-officer", "key-worker"],
        purposes=["family-support", "crime-reduction"],
        gateways=["cda1998-s115", "ca2004-s10"],
        data_items=["case_id", "family_id", "headline_problems"],
        accreditations=["data-protection-training"],
        terms="Use only for the stated purpose.",
        terms_version="2",
        max_grant_days=180,
    )
    today = dt.date.today()
    empowerment = call(
        "ldeco_empowerment_create",
        police_admin,
        user_id=officer["id"],
        organization_id=police["id"],
        role="police-liaison-officer",
        start_date=(today - dt.timedelta(days=10)).isoformat(),
    )
    accreditation = call(
        "ldeco_user_accreditation_create",
        sysadmin,
        user_id=officer["id"],
        accreditation="data-protection-training",
        awarded=(today - dt.timedelta(days=30)).isoformat(),
        evidence="certificate DP-77",
    )
    return SimpleNamespace(
        sysadmin=sysadmin,
        publisher_admin=publisher_admin,
        editor=editor,
        officer=officer,
        police_admin=police_admin,
        council=council,
        police=police,
        dataset=dataset,
        schedule=schedule,
        empowerment=empowerment,
        accreditation=accreditation,
        today=today,
    )


def request_data(w, **overrides) -> dict:
    data = {
        "dataset_id": w.dataset["id"],
        "empowerment_id": w.empowerment["id"],
        "purpose": "crime-reduction",
        "gateway": "cda1998-s115",
        "data_items": ["case_id", "family_id"],
        "start_date": w.today.isoformat(),
        "end_date": (w.today + dt.timedelta(days=365)).isoformat(),
        "accept_terms": True,
        "terms_version": "2",
        "justification": "Joint work on programme families.",
    }
    data.update(overrides)
    return data
