"""One request naming datasets of two publishers: each part is decided by its
own publisher; a part that fails keeps the whole bundle from being stored."""

from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.ldeco.rights import model as m

from .conftest import PASSWORD, call, request_data


@pytest.fixture
def two_publishers(world):
    wyre_admin = factories.User(name="wyn-wyre", password=PASSWORD, image_url="")
    wyre = factories.Organization(
        name="wyre-council", agency_kind="council", users=[{"name": wyre_admin["name"], "capacity": "admin"}]
    )
    dataset = factories.Dataset(
        name="wyre-cases",
        owner_org=wyre["id"],
        layer="operational",
        access_level="restricted",
        resources=[{"name": "Cases", "url": "http://127.0.0.1/wyre.csv"}],
    )
    call(
        "ldeco_schedule_create",
        world.sysadmin,
        name="wyre-schedule",
        title="Wyre cases",
        dataset_id=dataset["id"],
        roles=["police-liaison-officer"],
        purposes=["crime-reduction"],
        gateways=["cda1998-s115"],
        data_items=["case_id", "ward"],
        terms="Wyre terms.",
        terms_version="1",
    )
    world.wyre_admin, world.wyre, world.wyre_dataset = wyre_admin, wyre, dataset
    return world


def _bundle(w, **second) -> dict:
    common = {
        k: v for k, v in request_data(w).items() if k not in ("dataset_id", "data_items", "terms_version")
    }
    parts = [
        {"dataset_id": w.dataset["id"], "data_items": ["case_id"], "terms_version": "2"},
        {"dataset_id": w.wyre_dataset["name"], "data_items": ["ward"], "terms_version": "1", **second},
    ]
    return call("ldeco_access_request_bundle_create", w.officer, parts=parts, **common)


def test_each_publisher_decides_its_own_part(two_publishers):
    w = two_publishers
    made = _bundle(w)
    first, second = made["requests"]
    assert {r["bundle_id"] for r in made["requests"]} == {made["bundle_id"]}
    assert (first["publisher_id"], second["publisher_id"]) == (w.council["id"], w.wyre["id"])
    assert first["state"] == second["state"] == "submitted"
    # each publisher's people are told of their own part only
    told = {(r.user_id, r.request_id) for r in model.Session.query(m.OutboxMessage)}
    assert (w.wyre_admin["id"], second["id"]) in told and (w.wyre_admin["id"], first["id"]) not in told
    assert (w.editor["id"], first["id"]) in told and (w.editor["id"], second["id"]) not in told

    with pytest.raises(tk.NotAuthorized):
        call("ldeco_access_request_decide", w.editor, id=second["id"], decision="approved", reason="not ours")
    approved = call("ldeco_access_request_decide", w.editor, id=first["id"], decision="approved", reason="ok")
    rejected = call(
        "ldeco_access_request_decide",
        w.wyre_admin,
        id=second["id"],
        decision="rejected",
        reason="ward is enough from the statistics",
    )
    assert approved["state"] == "approved" and approved["grant"]["data_items"] == ["case_id"]
    assert rejected["state"] == "rejected" and rejected["grant"] is None

    mine = call("ldeco_access_request_list", w.officer, bundle_id=made["bundle_id"])
    assert {r["state"] for r in mine} == {"approved", "rejected"}


def test_a_failing_part_stores_nothing_and_names_its_dataset(two_publishers):
    w = two_publishers
    with pytest.raises(tk.ValidationError) as err:
        _bundle(w, data_items=["postcode"])  # outside Wyre's schedule
    message = err.value.error_dict["parts"][0]
    assert message.startswith("wyre-cases:") and "postcode" in message
    with pytest.raises(tk.ValidationError, match="no-such-dataset"):
        _bundle(w, dataset_id="no-such-dataset")
    model.Session.expire_all()
    assert model.Session.query(m.AccessRequest).count() == 0
    assert model.Session.query(m.OutboxMessage).count() == 0


def test_the_same_dataset_twice_is_a_duplicate(two_publishers):
    w = two_publishers
    with pytest.raises(tk.ValidationError, match="pending request"):
        _bundle(w, dataset_id=w.dataset["id"], data_items=["case_id"], terms_version="2")
    assert model.Session.query(m.AccessRequest).count() == 0


@pytest.mark.parametrize("parts", [None, [], "family-cases", [{"dataset_id": "x"}, "y"]])
def test_parts_must_be_a_list_of_parts(two_publishers, parts):
    with pytest.raises(tk.ValidationError, match="list of parts"):
        call("ldeco_access_request_bundle_create", two_publishers.officer, parts=parts)
