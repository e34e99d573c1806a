"""Data items the resources do not have are refused, naming them, before
anything is stored; where no DataStore table exists the schedule decides."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.ldeco.rights import model as m

from .conftest import call, request_data


@pytest.fixture
def tabled(world):
    """The cases resource gets a DataStore table with three columns."""
    resource = world.dataset["resources"][0]
    call(
        "datastore_create",
        None,
        resource_id=resource["id"],
        force=True,
        fields=[
            {"id": "case_id", "type": "text"},
            {"id": "family_id", "type": "text"},
            {"id": "postcode", "type": "text"},
        ],
    )
    return world


def _count(model_class) -> int:
    import ckan.model as model

    return model.Session.query(model_class).count()


def test_items_neither_in_schedule_nor_a_column_are_refused_by_name(tabled):
    before = (_count(m.AccessRequest), _count(m.OutboxMessage))
    for action in ("ldeco_handshake_evaluate", "ldeco_access_request_create"):
        with pytest.raises(tk.ValidationError) as err:
            call(
                action,
                tabled.officer,
                **request_data(tabled, data_items=["case_id", "shoe_size", "pet_name"]),
            )
        message = err.value.error_dict["data_items"][0]
        assert "shoe_size, pet_name" in message and "case_id" not in message
    assert (_count(m.AccessRequest), _count(m.OutboxMessage)) == before


def test_a_column_outside_the_schedule_is_the_handshakes_business(tabled):
    result = call("ldeco_handshake_evaluate", tabled.officer, **request_data(tabled, data_items=["postcode"]))
    items = next(e for e in result["elements"] if e["key"] == "data_items")
    assert not items["met"] and "postcode" in items["reason"]


def test_a_scheduled_item_that_is_not_a_column_is_not_refused(tabled):
    # headline_problems is in the schedule (a derived item) but not a column
    result = call(
        "ldeco_handshake_evaluate",
        tabled.officer,
        **request_data(tabled, data_items=["case_id", "headline_problems"]),
    )
    assert result["all_met"]


def test_items_are_checked_against_the_chosen_resources_only(tabled):
    other = factories.Resource(package_id=tabled.dataset["id"], url="http://127.0.0.1/other.csv")
    call(
        "datastore_create", None, resource_id=other["id"], force=True, fields=[{"id": "ward", "type": "text"}]
    )
    cases = tabled.dataset["resources"][0]["id"]
    with pytest.raises(tk.ValidationError, match="ward"):
        call(
            "ldeco_handshake_evaluate",
            tabled.officer,
            **request_data(tabled, data_items=["case_id", "ward"], resource_ids=[cases]),
        )
    # across both tables ward exists: no longer refused, only outside the schedule
    result = call("ldeco_handshake_evaluate", tabled.officer, **request_data(tabled, data_items=["ward"]))
    assert not result["all_met"]


def test_without_a_datastore_table_the_schedule_alone_decides(world):
    result = call("ldeco_handshake_evaluate", world.officer, **request_data(world, data_items=["shoe_size"]))
    items = next(e for e in result["elements"] if e["key"] == "data_items")
    assert not items["met"] and "shoe_size" in items["reason"]
