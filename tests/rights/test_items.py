"""Requested data items are checked against the published schedule, never
against the tables: an item outside the schedule gets the same answer
whether or not some table has such a column, so the answer cannot be used
to learn which columns exist."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest

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


def _answer(action, tabled, item, **overrides):
    """The answer, with the item's name taken out, so two answers compare."""
    try:
        result = call(action, tabled.officer, **request_data(tabled, data_items=["case_id", item], **overrides))
    except tk.ValidationError as err:
        return "refused", str(err.error_dict).replace(item, "ITEM")
    return "answered", str(result["elements"]).replace(item, "ITEM")


@pytest.mark.parametrize(
    "action, overrides",
    [
        ("ldeco_handshake_evaluate", {}),
        ("ldeco_access_request_create", {}),
        ("ldeco_access_request_create", {"submit": False}),
    ],
    ids=["evaluate", "submit", "draft"],
)
def test_an_unscheduled_column_and_a_name_no_table_has_are_answered_alike(tabled, action, overrides):
    before = (_count(m.AccessRequest), _count(m.OutboxMessage), _count(m.AccessRequestEvent))
    # postcode is a column of the table, outside the schedule; shoe_size is nothing at all
    column = _answer(action, tabled, "postcode", **overrides)
    nothing = _answer(action, tabled, "shoe_size", **overrides)
    assert column == nothing
    assert "Not in the schedule: ITEM" in column[1]
    assert (_count(m.AccessRequest), _count(m.OutboxMessage), _count(m.AccessRequestEvent)) == before


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


def test_without_a_datastore_table_the_schedule_alone_decides(world):
    result = call("ldeco_handshake_evaluate", world.officer, **request_data(world, data_items=["shoe_size"]))
    items = next(e for e in result["elements"] if e["key"] == "data_items")
    assert not items["met"] and "shoe_size" in items["reason"]
