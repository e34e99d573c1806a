"""What the demo would load, before anything is loaded: organisations,
people, datasets in five layers, determinism and scale."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import ckanext.ldeco.schemas as schemas
import yaml

from ckanext.ldeco.demo import catalogue, reference

from .helpers import ecosystem


def _shipped_concepts() -> set[str]:
    """The concept names of the dictionary packs the portal ships."""
    packs = Path(schemas.__path__[0], "dictionary").glob("*.yaml")
    return {c["id"] for pack in packs for c in yaml.safe_load(pack.read_text(encoding="utf-8")).get("concepts", [])}


def test_organisations_are_real_with_their_codes_kind_type_and_area():
    eco = ecosystem()
    orgs = {o["name"]: o for o in eco.organisations}
    assert orgs["manchester-city-council"]["area"] == "E08000003"
    assert orgs["manchester-city-council"]["organisation_type"] == "Metropolitan District"
    assert orgs["bolton-metropolitan-borough-council"]["area"] == "E08000001"
    assert orgs["blackburn-with-darwen-borough-council"]["area"] == "E06000008"
    assert orgs["lancashire-county-council"]["organisation_type"] == "County"
    assert {orgs["preston-city-council"]["area"], orgs["wyre-borough-council"]["area"]} == {"E07000123", "E07000128"}
    assert orgs["greater-manchester-police"]["area"] == "E23000005"
    assert "R0A" in orgs["manchester-university-nhs-ft"]["notes"]
    kinds = Counter(o["agency_kind"] for o in eco.organisations)
    assert kinds["council"] == 6 and kinds["police"] == 2 and kinds["health"] == 1
    assert kinds["education"] >= 3 and kinds["voluntary"] == 1 and kinds["standards"] == 1
    assert all(o.get("area") and o.get("organisation_type") for o in eco.organisations)
    types = {o["organisation_type"] for o in eco.organisations if o["agency_kind"] == "education"}
    assert {"Multi-academy trust", "Academy", "Community school"} <= types


def test_people_cover_every_persona():
    personas = {u["persona"] for u in ecosystem().users}
    assert {"sysadmin", "dictionary steward", "publisher", "council officer", "police officer",
            "health officer", "citizen"} <= personas


def test_datasets_cover_five_layers_and_several_themes_with_concepts():
    datasets = list(ecosystem().datasets())
    assert {d.layer for d in datasets} == {"operational", "statistical", "analytical", "political", "reference"}
    themes = {d.theme for d in datasets}
    assert {"troubled-families", "community-safety", "education", "planning", "highways"} <= themes
    concepts = {d.concept for d in datasets}
    assert {"family-case", "planning-application", "pothole-report", "organisation", "service", "area"} <= concepts
    shipped = _shipped_concepts()
    for d in datasets:
        # a description names only a concept the dictionary has, the one the dataset declares
        named = re.findall(r"dictionary concept \[([^]]+)\]\(/dictionary/([^)]+)\)", d.full_notes())
        assert named == [(d.package_fields()["conforms_to"],) * 2], d.name
        assert named[0][0] in shipped, d.name
    restricted = {d.name for d in datasets if d.restricted}
    operational = {d.name for d in datasets if d.layer == "operational" and d.theme != "planning"}
    assert restricted == operational            # published planning registers are public
    assert all(d.license_id == "other-closed" for d in datasets if d.restricted)
    assert all(d.license_id == "uk-ogl" for d in datasets if not d.restricted)
    by_name = {d.name: d for d in datasets}
    # the planning applications are the real MHCLG records, mapped to the LGA columns
    planning = by_name["manchester-city-council-planning-applications"].resources[0].table
    assert [f for f, _ in planning.fields][:3] == ["CaseReference", "OrganisationURI", "CaseDate"]
    assert "132900/LPL/2022" in {r[0] for r in planning.rows}


def test_statistics_are_aggregated_from_the_operational_records():
    by_name = {d.name: d for d in ecosystem(["MAN"]).datasets()}
    cases = by_name["manchester-city-council-troubled-families-cases"]
    families = cases.resources[0].table
    by_ward = by_name["manchester-city-council-troubled-families-caseload"].resources[2].table
    assert sum(r[-1] for r in by_ward.rows) == len(families.rows)
    ward_codes = {w["WD25CD"] for w in reference.read_reference().wards_of("E08000003")}
    assert {r[0] for r in by_ward.rows} <= ward_codes
    incidents = by_name["greater-manchester-police-asb-incidents-manchester-city-council"].resources[0].table
    members = {r[0] for r in cases.resources[1].table.rows}
    involved = {r[4] for r in incidents.rows if r[4]}
    assert involved and involved <= members     # incidents name programme family members
    analysis = by_name["manchester-city-council-troubled-families-intervention-outcomes"]
    assert analysis.resources[0].format == "Markdown" and "improved outcome" in analysis.resources[0].text
    # the generator gives key workers the biggest lift; the analysis should see it near the top
    top = [r[0] for r in analysis.resources[1].table.rows[:3]]
    assert "Family key worker" in top


def test_same_seed_same_demo_other_seed_other_demo():
    same = catalogue.plan_json(ecosystem(["MAN", "WYR"], seed=42))
    assert same == catalogue.plan_json(ecosystem(["MAN", "WYR"], seed=42))
    assert same != catalogue.plan_json(ecosystem(["MAN", "WYR"], seed=7))


def test_scale_grows_organisations_datasets_and_rows():
    small = ecosystem()
    big = ecosystem(scale=3)
    small_sets, big_sets = list(small.datasets()), list(big.datasets())
    assert len(big.organisations) > 3 * len(small.organisations)
    assert len(big_sets) > 10 * len(small_sets)
    rows = lambda sets: sum(d.rows for d in sets if d.layer == "operational")  # noqa: E731
    assert rows(big_sets) > 10 * rows(small_sets)
    assert {d.theme for d in big_sets if d.name.endswith("-q1")} == {
        "troubled-families", "community-safety", "education", "highways"}
