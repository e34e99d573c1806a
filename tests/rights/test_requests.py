"""Access requests and grants through the actions, on the real database."""

from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.ldeco.rights import model as m

from .conftest import call, request_data


def test_evaluate_shows_each_element_and_stores_nothing(world):
    result = call("ldeco_handshake_evaluate", world.officer, **request_data(world))
    assert result["all_met"], result
    assert [e["key"] for e in result["elements"]] == [
        "empowerment",
        "role",
        "gateway",
        "accreditations",
        "data_items",
        "terms",
    ]
    assert result["expiry"] == (world.today + dt.timedelta(days=180)).isoformat()
    assert result["schedule"]["terms_version"] == "2"
    assert m.model.Session.query(m.AccessRequest).count() == 0


def test_identity_comes_from_the_account(world):
    # someone else's empowerment is refused, whatever the form says
    other = factories.User()
    with pytest.raises(tk.ValidationError, match="Not one of your empowerments"):
        call("ldeco_handshake_evaluate", other, **request_data(world))
    with pytest.raises(tk.NotAuthorized):
        tk.get_action("ldeco_handshake_evaluate")({"user": ""}, request_data(world))
    made = call("ldeco_access_request_create", world.officer, **request_data(world), user_id=other["id"])
    assert made["user_id"] == world.officer["id"]


def test_request_submitted_then_approved_creates_a_grant_with_derived_expiry(world):
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    assert made["state"] == "submitted"
    assert made["terms_version"] == "2" and made["terms_accepted"]
    assert [(e["from_state"], e["to_state"]) for e in made["events"]] == [
        (None, "draft"),
        ("draft", "submitted"),
    ]
    assert made["grant"] is None

    queue = call("ldeco_access_request_list", world.editor, queue=True)
    assert [r["id"] for r in queue] == [made["id"]]
    assert call("ldeco_access_request_list", world.police_admin, queue=True) == []

    decided = call(
        "ldeco_access_request_decide",
        world.editor,
        id=made["id"],
        decision="approved",
        reason="Joint work agreed at the partnership board",
    )
    assert decided["state"] == "approved"
    assert decided["events"][-1]["actor"] == world.editor["id"]
    assert decided["events"][-1]["reason"] == "Joint work agreed at the partnership board"
    grant = decided["grant"]
    # a year asked for, the schedule allows 180 days
    assert grant["expiry"] == (world.today + dt.timedelta(days=180)).isoformat()
    assert grant["current"] and grant["data_items"] == ["case_id", "family_id"]
    assert (grant["role"], grant["purpose"], grant["gateway"]) == (
        "police-liaison-officer",
        "crime-reduction",
        "cda1998-s115",
    )
    assert grant["organization_id"] == world.police["id"]
    mine = call("ldeco_grant_list", world.officer)
    assert [g["id"] for g in mine] == [grant["id"]]
    with pytest.raises(tk.ValidationError, match="Only a submitted request"):
        call("ldeco_access_request_decide", world.editor, id=made["id"], decision="rejected", reason="late")


def test_only_the_publisher_decides_and_only_the_requester_sees(world):
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    for outsider in (world.police_admin, world.officer):
        with pytest.raises(tk.NotAuthorized):
            call("ldeco_access_request_decide", outsider, id=made["id"], decision="approved", reason="me")
    with pytest.raises(tk.NotAuthorized):
        call("ldeco_access_request_show", factories.User(), id=made["id"])
    assert call("ldeco_access_request_show", world.publisher_admin, id=made["id"])["id"] == made["id"]


def test_rejection_and_conditions_need_reasons(world):
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    with pytest.raises(tk.ValidationError) as err:
        call("ldeco_access_request_decide", world.editor, id=made["id"], decision="maybe", reason="")
    assert set(err.value.error_dict) == {"decision", "reason"}
    with pytest.raises(tk.ValidationError, match="conditions"):
        call(
            "ldeco_access_request_decide",
            world.editor,
            id=made["id"],
            decision="approved_with_conditions",
            reason="ok",
        )
    done = call(
        "ldeco_access_request_decide",
        world.editor,
        id=made["id"],
        decision="approved_with_conditions",
        reason="ok",
        conditions="Delete the extract after the case conference",
    )
    assert done["state"] == "approved_with_conditions"
    assert done["grant"]["conditions"] == "Delete the extract after the case conference"


def test_rejected_request_has_no_grant(world):
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    done = call(
        "ldeco_access_request_decide",
        world.publisher_admin,
        id=made["id"],
        decision="rejected",
        reason="Not proportionate",
    )
    assert done["state"] == "rejected" and done["grant"] is None
    assert call("ldeco_grant_list", world.officer) == []


def test_duplicate_pending_request_is_refused_and_withdrawal_frees_it(world):
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    with pytest.raises(tk.ValidationError, match="already have a pending request"):
        call("ldeco_access_request_create", world.officer, **request_data(world))
    with pytest.raises(tk.NotAuthorized):
        call("ldeco_access_request_withdraw", world.editor, id=made["id"], reason="not yours")
    gone = call("ldeco_access_request_withdraw", world.officer, id=made["id"], reason="no longer needed")
    assert gone["state"] == "withdrawn" and gone["events"][-1]["reason"] == "no longer needed"
    again = call("ldeco_access_request_create", world.officer, **request_data(world))
    assert again["state"] == "submitted"


def test_submission_needs_every_element_and_writes_nothing_otherwise(world):
    with pytest.raises(tk.ValidationError) as err:
        call(
            "ldeco_access_request_create",
            world.officer,
            **request_data(world, data_items=["case_id", "ethnicity"], accept_terms=False),
        )
    assert set(err.value.error_dict) == {"data_items", "terms"}
    assert "ethnicity" in err.value.error_dict["data_items"][0]
    assert m.model.Session.query(m.AccessRequest).count() == 0
    assert m.model.Session.query(m.AccessRequestEvent).count() == 0


def test_a_draft_is_kept_and_submitted_later(world):
    draft = call(
        "ldeco_access_request_create", world.officer, **request_data(world, accept_terms=False), submit=False
    )
    assert draft["state"] == "draft"
    assert not draft["evaluation"]["all_met"]
    with pytest.raises(tk.ValidationError, match="terms"):
        call("ldeco_access_request_submit", world.officer, id=draft["id"])
    sent = call(
        "ldeco_access_request_submit", world.officer, id=draft["id"], accept_terms=True, terms_version="2"
    )
    assert sent["state"] == "submitted" and sent["terms_version"] == "2"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"dataset_id": "no-such-dataset"}, "dataset_id"),
        ({"purpose": "astrology"}, "purpose"),
        ({"gateway": "magna-carta"}, "gateway"),
        ({"start_date": "2026-13-01"}, "start_date"),
        ({"end_date": "2020-01-01"}, "end_date"),
        ({"start_date": "2025-01-01", "end_date": "2025-02-01"}, "start_date"),
        ({"resource_ids": ["not-a-resource"]}, "resource_ids"),
    ],
)
def test_bad_request_input_names_the_field_and_writes_nothing(world, overrides, field):
    with pytest.raises(tk.ValidationError) as err:
        call("ldeco_access_request_create", world.officer, **request_data(world, **overrides))
    assert field in err.value.error_dict
    assert m.model.Session.query(m.AccessRequest).count() == 0


def test_auto_approve_when_every_element_is_met(world):
    call("ldeco_schedule_update", world.publisher_admin, id=world.schedule["id"], auto_approve=True)
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    assert made["state"] == "approved"
    assert made["events"][-1]["actor"] == "system"
    assert made["grant"]["current"]


def test_unaccredited_officer_sees_which_element_fails(world):
    call("ldeco_user_accreditation_delete", world.sysadmin, id=world.accreditation["id"])
    result = call("ldeco_handshake_evaluate", world.officer, **request_data(world))
    failing = [e for e in result["elements"] if not e["met"]]
    assert [(e["key"], e["reason"]) for e in failing] == [
        ("accreditations", "Not held: data-protection-training.")
    ]


def test_grant_lapses_with_its_elements_and_can_be_revoked(world, freezer):
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    grant = call(
        "ldeco_access_request_decide", world.editor, id=made["id"], decision="approved", reason="ok"
    )["grant"]
    # the terms change: the grant asks for re-acceptance
    call("ldeco_schedule_update", world.publisher_admin, id=world.schedule["id"], terms_version="3")
    (now,) = call("ldeco_grant_list", world.officer)
    assert not now["current"] and "terms changed to version 3" in now["lapse_reasons"][0]
    call("ldeco_schedule_update", world.publisher_admin, id=world.schedule["id"], terms_version="2")
    assert call("ldeco_grant_list", world.officer)[0]["current"]
    # time passes beyond the expiry
    freezer.move_to(dt.datetime.fromisoformat(grant["expiry"]) + dt.timedelta(days=1))
    (later,) = call("ldeco_grant_list", world.officer)
    assert not later["current"] and any("expired on" in r for r in later["lapse_reasons"])
    freezer.move_to(dt.datetime.combine(world.today, dt.time(12)))
    # the empowerment is withdrawn
    call("ldeco_empowerment_withdraw", world.police_admin, id=world.empowerment["id"], reason="left")
    assert (
        "the empowerment is no longer active" in call("ldeco_grant_list", world.officer)[0]["lapse_reasons"]
    )
    # the owner revokes it
    with pytest.raises(tk.NotAuthorized):
        call("ldeco_grant_revoke", world.officer, id=grant["id"], reason="mine")
    revoked = call("ldeco_grant_revoke", world.publisher_admin, id=grant["id"], reason="Programme closed")
    assert revoked["state"] == "revoked" and "revoked" in revoked["lapse_reasons"]
    listed = call("ldeco_grant_list", world.editor, dataset_id=world.dataset["id"])
    assert [g["id"] for g in listed] == [grant["id"]]


def test_open_and_private_datasets_are_refused(world):
    open_ = factories.Dataset(owner_org=world.council["id"], layer="statistical", notes="x")
    with pytest.raises(tk.ValidationError, match="This dataset is open"):
        call("ldeco_handshake_evaluate", world.officer, **request_data(world, dataset_id=open_["id"]))
    private = factories.Dataset(
        owner_org=world.council["id"], layer="operational", notes="x", access_level="restricted", private=True
    )
    with pytest.raises(tk.NotAuthorized):
        call("ldeco_handshake_evaluate", world.officer, **request_data(world, dataset_id=private["id"]))


def test_access_that_would_end_before_it_starts_is_refused(world):
    # the officer's empowerment ends in ten days; access asked from day twenty
    call("ldeco_empowerment_withdraw", world.police_admin, id=world.empowerment["id"], reason="re-issued")
    short = call(
        "ldeco_empowerment_create",
        world.police_admin,
        user_id=world.officer["id"],
        organization_id=world.police["id"],
        role="police-liaison-officer",
        start_date=world.today.isoformat(),
        end_date=(world.today + dt.timedelta(days=10)).isoformat(),
    )
    data = request_data(
        world,
        empowerment_id=short["id"],
        start_date=(world.today + dt.timedelta(days=20)).isoformat(),
    )
    with pytest.raises(tk.ValidationError, match="before it starts"):
        call("ldeco_access_request_create", world.officer, **data)
