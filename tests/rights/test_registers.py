from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.ldeco.rights import loader
from ckanext.ldeco.rights import model as m

from .conftest import call


@pytest.mark.usefixtures("portal")
def test_seed_loads_the_registers_and_a_second_run_changes_nothing():
    first = loader.seed(progress=lambda _: None)
    assert len([c for c in first.created if c.startswith("legal_gateway ")]) == 23
    again = loader.seed(progress=lambda _: None)
    assert not again.created and not again.updated
    gateway = call("ldeco_legal_gateway_show", None, id="cda1998-s115")
    assert gateway["legislation_url"] == "https://www.legislation.gov.uk/ukpga/1998/37/section/115"
    assert gateway["statute"] == "Crime and Disorder Act 1998"
    assert "police" in gateway["disclosers"] and "council" in gateway["recipients"]
    purpose = call("ldeco_purpose_show", None, id="family-support")
    assert purpose["dpv_purpose"] == "https://w3id.org/dpv#ServiceProvision"


@pytest.mark.usefixtures("portal")
def test_anyone_may_read_registers_only_sysadmins_write():
    loader.seed(progress=lambda _: None)
    anon = tk.get_action("ldeco_role_list")({"user": ""}, {})
    assert {"key-worker", "analyst"} <= {r["name"] for r in anon}
    user = factories.User()
    with pytest.raises(tk.NotAuthorized):
        call("ldeco_role_create", user, name="spy", title="Spy")
    sysadmin = factories.Sysadmin()
    created = call("ldeco_role_create", sysadmin, name="housing-officer", title="Housing officer")
    updated = call("ldeco_role_update", sysadmin, id=created["id"], title="Housing officer (tenancy)")
    assert updated["title"] == "Housing officer (tenancy)" and updated["name"] == "housing-officer"


@pytest.mark.usefixtures("portal")
def test_bad_register_input_names_the_field_and_writes_nothing():
    loader.seed(progress=lambda _: None)
    sysadmin = factories.Sysadmin()
    with pytest.raises(tk.ValidationError) as err:
        call("ldeco_legal_gateway_create", sysadmin, name="made-up", title="Made up", disclosers=["wizards"])
    assert "disclosers" in err.value.error_dict and "wizards" in str(err.value.error_dict)
    assert m.LegalGateway.get("made-up") is None
    with pytest.raises(tk.ValidationError) as err:
        call(
            "ldeco_schedule_create",
            sysadmin,
            name="s1",
            title="S",
            organization_id="no-such-org",
            purposes=["astrology"],
        )
    assert set(err.value.error_dict) == {"organization_id", "purposes"}
    with pytest.raises(tk.ValidationError, match="already exists"):
        call("ldeco_role_create", sysadmin, name="analyst", title="Another")
    with pytest.raises(tk.ValidationError, match="cannot change"):
        call("ldeco_role_update", sysadmin, id="analyst", name="renamed")
    with pytest.raises(tk.ObjectNotFound):
        call("ldeco_purpose_show", None, id="nothing-here")


@pytest.mark.usefixtures("portal")
def test_schedule_needs_exactly_one_target():
    loader.seed(progress=lambda _: None)
    sysadmin = factories.Sysadmin()
    with pytest.raises(tk.ValidationError, match="exactly one dataset or one publisher"):
        call("ldeco_schedule_create", sysadmin, name="nowhere", title="Nowhere")


@pytest.mark.usefixtures("portal")
def test_yaml_and_csv_files_load(tmp_path):
    (tmp_path / "r.yaml").write_text("roles:\n- name: health-visitor\n  title: Health visitor\n")
    report = loader.load_file(tmp_path / "r.yaml", progress=lambda _: None)
    assert report.created == ["role health-visitor"]
    (tmp_path / "p.csv").write_text(
        "name,title,dpv_purpose\nhousing,Housing,https://w3id.org/dpv#ServiceProvision\n"
    )
    loader.load_file(tmp_path / "p.csv", "purpose", progress=lambda _: None)
    assert call("ldeco_purpose_show", None, id="housing")["title"] == "Housing"
    (tmp_path / "bad.yaml").write_text(
        "roles:\n- name: ok-role\n  title: OK\n- name: Bad Name!\n  title: x\n"
    )
    with pytest.raises(
        loader.LoadError, match=r"bad.yaml:roles\[2\] \(Bad Name!\): Name: Must be purely lowercase"
    ):
        loader.load_file(tmp_path / "bad.yaml", progress=lambda _: None)
    assert m.Role.get("ok-role") is not None  # what was stored before the bad entry stays
    with pytest.raises(loader.LoadError, match="say which register"):
        loader.load_file(tmp_path / "p.csv", progress=lambda _: None)


@pytest.mark.usefixtures("portal")
def test_uk_licences_come_through_ckans_licence_mechanism():
    licences = {lic["id"]: lic for lic in tk.get_action("license_list")({}, {})}
    assert licences["uk-ogl"]["title"] == "Open Government Licence v3.0"
    assert licences["uk-ogl"]["url"].endswith("/open-government-licence/version/3/")
    assert {"OGL-UK-2.0", "OGL-NC-2.0", "CC-BY-4.0", "other-closed"} <= set(licences)
    assert tk.config["licenses_group_url"].startswith("file://")


@pytest.mark.usefixtures("portal")
def test_user_accreditations(world):
    held = call("ldeco_user_accreditation_list", world.officer)
    assert [h["accreditation"] for h in held] == ["data-protection-training"]
    assert held[0]["recorded_by"] == world.sysadmin["id"]
    assert held[0]["expires"]  # from the accreditation's validity
    with pytest.raises(tk.NotAuthorized):
        call("ldeco_user_accreditation_list", world.editor, user_id=world.officer["id"])
    with pytest.raises(tk.ValidationError, match="before the award"):
        call(
            "ldeco_user_accreditation_create",
            world.sysadmin,
            user_id=world.officer["id"],
            accreditation="bpss",
            awarded="2026-01-10",
            expires="2025-01-01",
        )


@pytest.mark.usefixtures("portal")
def test_unknown_fields_are_ignored_not_stored():
    sysadmin = factories.Sysadmin()
    role = call("ldeco_role_create", sysadmin, name="clerk", title="Clerk", colour="blue", _csrf_token="x")
    assert "colour" not in role and role["title"] == "Clerk"
