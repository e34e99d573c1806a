"""Writes are authorised on both ends: the caller must own the record as
stored and, where a write moves it, whatever it moves onto. Each test is a
publisher (or someone else) trying to change what is not theirs."""

from __future__ import annotations

from types import SimpleNamespace

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.ldeco.dictionary import stewards
from ckanext.ldeco.rights import model as m

from .conftest import call, request_data


@pytest.fixture
def bolton(world):
    """A second council with its own admin, restricted dataset and schedule."""
    tom = factories.User(name="tom-publisher", image_url="")
    org = factories.Organization(
        name="bolton-council", agency_kind="council", users=[{"name": tom["name"], "capacity": "admin"}]
    )
    dataset = factories.Dataset(
        name="bolton-family-cases",
        owner_org=org["id"],
        layer="operational",
        access_level="restricted",
        notes="Bolton's cases.",
        resources=[{"name": "Cases", "url": "http://127.0.0.1/bolton.csv"}],
    )
    schedule = call(
        "ldeco_schedule_create", tom, name="bolton-cases-schedule", title="Bolton cases", dataset_id=dataset["id"]
    )
    return SimpleNamespace(tom=tom, org=org, dataset=dataset, schedule=schedule)


def _stored_schedule(name: str) -> dict:
    m.model.Session.remove()
    return m.Schedule.get(name).dictize()


def test_a_publisher_cannot_move_another_publishers_schedule_onto_its_own_dataset(world, bolton, app):
    # the outsider's report: Bolton's admin took over Manchester's schedule
    token = factories.APIToken(user=bolton.tom["name"])["token"]
    res = app.post(
        "/api/3/action/ldeco_schedule_update",
        json={"id": "family-cases-schedule", "dataset_id": bolton.dataset["id"]},
        headers={"Authorization": token},
        status=403,
    )
    assert "schedules" in res.json["error"]["message"]
    stored = _stored_schedule("family-cases-schedule")
    assert (stored["dataset_id"], stored["organization_id"]) == (world.dataset["id"], None)


def test_a_publisher_cannot_change_another_publishers_schedule(world, bolton):
    for change in ({"title": "Ours now"}, {"organization_id": bolton.org["id"], "dataset_id": ""}):
        with pytest.raises(tk.NotAuthorized):
            call("ldeco_schedule_update", bolton.tom, id="family-cases-schedule", **change)
    assert _stored_schedule("family-cases-schedule")["title"] == "Family cases"


def test_a_publisher_cannot_move_its_own_schedule_onto_another_publisher(world, bolton):
    for target in ({"dataset_id": bolton.dataset["id"]}, {"dataset_id": "", "organization_id": bolton.org["id"]}):
        with pytest.raises(tk.NotAuthorized, match="another publisher"):
            call("ldeco_schedule_update", world.publisher_admin, id="family-cases-schedule", **target)
    assert _stored_schedule("family-cases-schedule")["dataset_id"] == world.dataset["id"]
    # its own schedule it keeps as before
    kept = call("ldeco_schedule_update", world.publisher_admin, id="family-cases-schedule", title="Cases")
    assert kept["title"] == "Cases"


def test_a_publisher_cannot_create_a_schedule_for_another_publisher(world, bolton):
    for target in ({"dataset_id": world.dataset["id"]}, {"organization_id": world.council["id"]}):
        with pytest.raises(tk.NotAuthorized):
            call("ldeco_schedule_create", bolton.tom, name="takeover", title="Takeover", **target)
    assert m.Schedule.get("takeover") is None


def test_the_other_registers_are_kept_by_sysadmins_alone(world, bolton):
    for user in (world.publisher_admin, bolton.tom):
        with pytest.raises(tk.NotAuthorized):
            call("ldeco_role_update", user, id="key-worker", title="Anything")
        with pytest.raises(tk.NotAuthorized):
            call("ldeco_legal_gateway_create", user, name="made-up", title="Made up")
    assert m.Role.get("key-worker").title != "Anything"


def test_an_admin_cannot_empower_into_or_withdraw_from_another_organisation(world, bolton):
    with pytest.raises(tk.NotAuthorized):
        call(
            "ldeco_empowerment_create",
            bolton.tom,
            user_id=world.officer["id"],
            organization_id=world.police["id"],
            role="key-worker",
            start_date=world.today.isoformat(),
        )
    # naming its own organisation beside the id changes nothing: the stored one counts
    with pytest.raises(tk.NotAuthorized):
        call(
            "ldeco_empowerment_withdraw",
            bolton.tom,
            id=world.empowerment["id"],
            reason="not mine",
            organization_id=bolton.org["id"],
        )
    assert m.Empowerment.get(world.empowerment["id"]).state == "active"
    # a member of another organisation is not empowered into one's own
    with pytest.raises(tk.ValidationError, match="not a member"):
        call(
            "ldeco_empowerment_create",
            bolton.tom,
            user_id=world.officer["id"],
            organization_id=bolton.org["id"],
            role="key-worker",
            start_date=world.today.isoformat(),
        )


def test_only_sysadmins_record_or_remove_accreditations(world, bolton):
    for user in (world.publisher_admin, world.police_admin, world.officer):
        with pytest.raises(tk.NotAuthorized):
            call(
                "ldeco_user_accreditation_create",
                user,
                user_id=world.officer["id"],
                accreditation="bpss",
                awarded=world.today.isoformat(),
            )
        with pytest.raises(tk.NotAuthorized):
            call("ldeco_user_accreditation_delete", user, id=world.accreditation["id"])
    assert m.UserAccreditation.get(world.accreditation["id"]) is not None


def test_another_publisher_cannot_decide_revoke_submit_or_withdraw(world, bolton):
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    with pytest.raises(tk.NotAuthorized):
        call("ldeco_access_request_decide", bolton.tom, id=made["id"], decision="approved", reason="mine")
    grant = call("ldeco_access_request_decide", world.editor, id=made["id"], decision="approved", reason="ok")[
        "grant"
    ]
    with pytest.raises(tk.NotAuthorized):
        call("ldeco_grant_revoke", bolton.tom, id=grant["id"], reason="mine")
    assert m.Grant.get(grant["id"]).state == "active"
    draft = call(
        "ldeco_access_request_create",
        world.officer,
        **request_data(world, dataset_id=bolton.dataset["id"], data_items=[], terms_version="1"),
        submit=False,
    )
    for verb, extra in (("submit", {"accept_terms": True}), ("withdraw", {"reason": "not yours"})):
        for outsider in (bolton.tom, world.publisher_admin):
            with pytest.raises(tk.NotAuthorized):
                call(f"ldeco_access_request_{verb}", outsider, id=draft["id"], **extra)
    assert m.AccessRequest.get(draft["id"]).state == "draft"


def test_a_request_to_a_moved_dataset_is_not_decided_by_its_old_publisher(world, bolton):
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    tk.get_action("package_patch")(
        {"user": world.sysadmin["name"]}, {"id": world.dataset["id"], "owner_org": bolton.org["id"]}
    )
    # the request was made to Manchester, the dataset is now Bolton's: neither alone decides
    for publisher in (world.editor, world.publisher_admin, bolton.tom):
        with pytest.raises(tk.NotAuthorized):
            call("ldeco_access_request_decide", publisher, id=made["id"], decision="approved", reason="mine")
    assert m.AccessRequest.get(made["id"]).state == "submitted"
    # the grant, once made, follows the dataset: its publisher now revokes it
    decided = call("ldeco_access_request_decide", world.sysadmin, id=made["id"], decision="approved", reason="ok")
    with pytest.raises(tk.NotAuthorized):
        call("ldeco_grant_revoke", world.editor, id=decided["grant"]["id"], reason="old owner")
    assert call("ldeco_grant_revoke", bolton.tom, id=decided["grant"]["id"], reason="new owner")["state"] == (
        "revoked"
    )


def test_a_draft_submitted_after_its_dataset_moved_goes_to_the_new_publisher(world, bolton):
    draft = call(
        "ldeco_access_request_create", world.officer, **request_data(world, accept_terms=False), submit=False
    )
    tk.get_action("package_patch")(
        {"user": world.sysadmin["name"]}, {"id": world.dataset["id"], "owner_org": bolton.org["id"]}
    )
    sent = call("ldeco_access_request_submit", world.officer, id=draft["id"], accept_terms=True, terms_version="2")
    assert sent["publisher_id"] == bolton.org["id"]
    assert [r["id"] for r in call("ldeco_access_request_list", bolton.tom, queue=True)] == [draft["id"]]
    assert call("ldeco_access_request_list", world.editor, queue=True) == []


def test_a_steward_cannot_name_stewards_and_another_publisher_cannot_check_quality(world, bolton):
    stewards.grant(bolton.tom["id"], world.sysadmin["name"])
    with pytest.raises(tk.NotAuthorized):
        tk.get_action("ldeco_steward_grant")({"user": bolton.tom["name"]}, {"user": world.officer["name"]})
    with pytest.raises(tk.NotAuthorized):
        tk.get_action("ldeco_steward_revoke")({"user": bolton.tom["name"]}, {"user": bolton.tom["name"]})
    assert not stewards.is_steward(world.officer["id"]) and stewards.is_steward(bolton.tom["id"])
    with pytest.raises(tk.NotAuthorized):
        call("ldeco_quality_check", bolton.tom, id=world.dataset["resources"][0]["id"])
