from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from .conftest import call


def test_org_admin_empowers_a_member_and_withdraws(world):
    mine = call("ldeco_empowerment_list", world.officer)
    assert [(e["role"], e["active"], e["organization_name"]) for e in mine] == [
        ("police-liaison-officer", True, "greater-manchester-police")
    ]
    org_view = call("ldeco_empowerment_list", world.police_admin, organization_id="greater-manchester-police")
    assert [e["user_name"] for e in org_view] == ["olu-officer"]

    withdrawn = call(
        "ldeco_empowerment_withdraw",
        world.police_admin,
        id=world.empowerment["id"],
        reason="moved to another team",
    )
    assert withdrawn["state"] == "withdrawn" and not withdrawn["active"]
    assert withdrawn["withdrawn_by"] == world.police_admin["id"]
    assert call("ldeco_empowerment_list", world.officer, active_only=True) == []
    with pytest.raises(tk.ValidationError, match="already withdrawn"):
        call("ldeco_empowerment_withdraw", world.police_admin, id=world.empowerment["id"], reason="again")


def test_only_org_admins_empower_and_only_members_are_empowered(world):
    # a plain member cannot empower, nor can another organisation's admin
    with pytest.raises(tk.NotAuthorized):
        call(
            "ldeco_empowerment_create",
            world.officer,
            user_id=world.officer["id"],
            organization_id=world.police["id"],
            role="analyst",
            start_date="2026-01-01",
        )
    with pytest.raises(tk.NotAuthorized):
        call(
            "ldeco_empowerment_create",
            world.publisher_admin,
            user_id=world.officer["id"],
            organization_id=world.police["id"],
            role="analyst",
            start_date="2026-01-01",
        )
    with pytest.raises(tk.NotAuthorized):
        call("ldeco_empowerment_withdraw", world.officer, id=world.empowerment["id"], reason="x")
    stranger = factories.User()
    with pytest.raises(tk.ValidationError, match="not a member"):
        call(
            "ldeco_empowerment_create",
            world.police_admin,
            user_id=stranger["id"],
            organization_id=world.police["id"],
            role="analyst",
            start_date="2026-01-01",
        )
    with pytest.raises(tk.NotAuthorized):
        call("ldeco_empowerment_list", world.officer, organization_id="greater-manchester-police")


def test_bad_empowerment_input_names_the_field(world):
    with pytest.raises(tk.ValidationError) as err:
        call(
            "ldeco_empowerment_create",
            world.police_admin,
            user_id=world.officer["id"],
            organization_id=world.police["id"],
            role="wizard",
            start_date="yesterday",
        )
    assert set(err.value.error_dict) == {"role", "start_date"}
    with pytest.raises(tk.ValidationError, match="before the start"):
        call(
            "ldeco_empowerment_create",
            world.police_admin,
            user_id=world.officer["id"],
            organization_id=world.police["id"],
            role="analyst",
            start_date="2026-05-01",
            end_date="2026-04-01",
        )
    assert len(call("ldeco_empowerment_list", world.officer)) == 1
