"""Loading the demo into a real portal: CKAN actions, the DataStore by COPY,
idempotence, and what a failed step leaves behind."""
from __future__ import annotations

import os

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan.lib import uploader

from ckanext.ldeco.demo import catalogue, copyload, loader
from ckanext.ldeco.demo.generator import Table

from .helpers import ecosystem


def _show(action, id_):
    return tk.get_action(action)({"ignore_auth": True}, {"id": id_})


@pytest.mark.usefixtures("portal")
def test_the_demo_loads_whole_and_a_second_run_changes_nothing():
    eco = ecosystem()
    datasets = list(eco.datasets())
    first = loader.load(eco)
    assert len([c for c in first.created if c.startswith("dataset ")]) == len(datasets)
    assert first.rows == sum(d.rows for d in datasets) > 5000

    # organisations with their kind, type and area
    manchester = _show("organization_show", "manchester-city-council")
    assert (manchester["agency_kind"], manchester["area"]) == ("council", "E08000003")
    assert _show("organization_show", "greater-manchester-police")["area"] == "E23000005"

    # people, with their memberships; the sysadmin is one
    assert _show("user_show", "ldeco-admin")["sysadmin"]
    members = tk.get_action("member_list")({"ignore_auth": True}, {"id": "greater-manchester-police",
                                                                   "object_type": "user"})
    assert _show("user_show", "gary-constable")["id"] in {m[0] for m in members}

    # every layer is found through the index
    found = tk.get_action("package_search")({}, {"facet.field": ["layer"], "rows": 0})
    assert {i["name"] for i in found["search_facets"]["layer"]["items"]} == {
        "operational", "statistical", "analytical", "political", "reference"}
    assert found["count"] == len(datasets)

    # operational rows are in the DataStore, searchable in full text (CKAN's
    # trigger ran during COPY and its indexes were rebuilt)
    cases = _show("package_show", "manchester-city-council-troubled-families-cases")
    assert "[family-case](/dictionary/family-case)" in cases["notes"] and "restricted" in cases["notes"]
    members_res = next(r for r in cases["resources"] if r["name"] == "Family members")
    assert members_res["datastore_active"]
    spec = next(d for d in datasets if d.name == cases["name"])
    generated = spec.resources[1].table
    result = tk.get_action("datastore_search")({"ignore_auth": True}, {"resource_id": members_res["id"], "limit": 1})
    assert result["total"] == len(generated.rows)
    given_name = generated.rows[0][2]
    hits = tk.get_action("datastore_search")({"ignore_auth": True}, {"resource_id": members_res["id"], "q": given_name})
    assert hits["total"] >= 1 and any(given_name in (r["given_name"], r["family_name"]) for r in hits["records"])
    with copyload.write_engine().connect() as conn:
        indexes = conn.execute(sa.text("SELECT count(*) FROM pg_indexes WHERE tablename = :t"),
                               {"t": members_res["id"]}).scalar()
        empty_fts = conn.execute(
            sa.text(f'SELECT count(*) FROM "{members_res["id"]}" WHERE _full_text IS NULL')).scalar()
    assert indexes >= 2 and empty_fts == 0

    # the report resource of the analysis is an uploaded file
    analysis = _show("package_show", "manchester-city-council-troubled-families-intervention-outcomes")
    assert analysis["resources"][0]["url_type"] == "upload"

    again = loader.load(eco)
    assert not again.changed and again.rows == 0
    # everything the first run made is reported unchanged (memberships are not listed again)
    assert {c for c in first.created if not c.startswith("membership")} <= set(again.unchanged)


@pytest.mark.usefixtures("portal")
def test_another_seed_replaces_the_generated_datasets_only():
    loader.load(ecosystem(["WYR"], seed=1))
    # Wyre (a district) has no programme: only reference and planning, which
    # do not depend on the seed
    assert not loader.load(ecosystem(["WYR"], seed=2)).changed
    loader.load(ecosystem(["BBD"], seed=1))
    before = _show("package_show", "ecosystem-organisations")["id"]
    report = loader.load(ecosystem(["BBD"], seed=2))
    assert report.updated and all("blackburn" in u for u in report.updated if u.startswith("dataset"))
    assert _show("package_show", "ecosystem-organisations")["id"] == before


@pytest.mark.usefixtures("portal")
def test_a_failed_step_names_the_place_keeps_what_was_loaded_and_a_rerun_continues(monkeypatch):
    eco = ecosystem(["BBD"])
    specs = list(eco.datasets())
    broken_name = "blackburn-with-darwen-borough-council-school-attendance"
    good = next(d for d in specs if d.name == broken_name).resources[0].table
    bad = Table(good.name, good.title, good.fields, list(good.rows))
    bad.rows[4] = (*bad.rows[4][:3], "many", *bad.rows[4][4:])    # sessions_possible is an int

    def datasets():
        for d in specs:
            if d.name == broken_name:
                d = catalogue.DatasetSpec(
                    **{**d.__dict__, "resources": [catalogue.ResourceSpec(d.resources[0].name, bad)]})
            yield d
    monkeypatch.setattr(eco, "datasets", datasets)
    with pytest.raises(loader.DemoError) as caught:
        loader.load(eco)
    message = str(caught.value)
    assert (f"dataset {broken_name}, resource 1 (Attendance by term): table 'attendance', row 6, "
            "field 'sessions_possible': invalid input syntax for type integer") in message
    # what came before is there, the broken dataset is not there at all
    done = [d.name for d in specs[:specs.index(next(d for d in specs if d.name == broken_name))]]
    for name in done:
        assert _show("package_show", name)
    with pytest.raises(tk.ObjectNotFound):
        _show("package_show", broken_name)

    monkeypatch.undo()
    report = loader.load(eco)
    created = {c.removeprefix("dataset ") for c in report.created if c.startswith("dataset ")}
    assert broken_name in created and not created & set(done)


@pytest.mark.usefixtures("portal")
@pytest.mark.ckan_config("ckanext.ldeco.demo_mode", False)
def test_demo_users_need_demo_mode():
    with pytest.raises(loader.DemoError, match="demo mode"):
        loader.load(ecosystem(["WYR"]))


@pytest.mark.usefixtures("portal")
def test_reset_takes_the_demo_away_and_a_load_brings_it_back():
    eco = ecosystem(["WYR"])
    loader.load(eco)
    files = [uploader.get_resource_uploader(dict(r)).get_path(r["id"])
             for d in tk.get_action("package_search")({}, {"rows": 100})["results"]
             for r in d["resources"] if r.get("url_type") == "upload"]
    assert files and all(os.path.exists(f) for f in files)
    report = loader.reset([eco])
    assert report.changed
    assert not any(os.path.exists(f) for f in files)    # CKAN's purge alone would leave them
    with pytest.raises(tk.ObjectNotFound):
        _show("organization_show", "wyre-borough-council")
    assert tk.get_action("package_search")({}, {"rows": 0})["count"] == 0
    assert _show("user_show", "ldeco-admin")["state"] == "deleted"
    again = loader.load(eco)
    assert again.created and _show("user_show", "ldeco-admin")["state"] == "active"
    assert not loader.reset([]).changed


@pytest.mark.usefixtures("portal")
def test_an_invalid_organisation_stops_the_load_with_its_name():
    eco = ecosystem(["WYR"])
    eco.organisations[0]["agency_kind"] = "guild"
    with pytest.raises(loader.DemoError, match=r"organisation wyre-borough-council: Agency kind: Value must be one of"):
        loader.load(eco)
    with pytest.raises(tk.ObjectNotFound):
        _show("organization_show", "wyre-borough-council")
