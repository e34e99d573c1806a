"""The portal's main pages render through the real stack."""
from __future__ import annotations

import re

from ckan.tests import factories


def test_home_search_and_dataset_pages_render(portal):
    org = factories.Organization(title="Bolton Council")
    ds = factories.Dataset(owner_org=org["id"], title="Caseload by headline problem", layer="statistical",
                           notes="Families counted by problem.")
    assert portal.get("/").status_code == 200
    search = portal.get("/dataset/?q=caseload")
    assert search.status_code == 200
    assert "Caseload by headline problem" in search.get_data(as_text=True)
    page = portal.get(f"/dataset/{ds['name']}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Caseload by headline problem" in body
    assert "Statistical" in body  # the layer, shown with its label


def test_home_page_introduces_the_ecosystem_and_links_each_layer(portal):
    org = factories.Organization()
    factories.Dataset(owner_org=org["id"], title="Programme budget", layer="political", notes="Budget lines.")
    factories.Dataset(owner_org=org["id"], title="Ward list", layer="reference", notes="Wards.")
    body = portal.get("/").get_data(as_text=True)
    assert "A local data ecosystem" in body
    assert "Welcome to CKAN" not in body
    for layer in ("operational", "statistical", "analytical", "political", "reference"):
        assert f"/dataset/?layer={layer}" in body
    # the link really narrows the search to that layer
    page = portal.get("/dataset/?layer=political").get_data(as_text=True)
    assert "Programme budget" in page and "Ward list" not in page


def test_the_dataset_page_shows_rows_only_for_fields_with_a_value(portal):
    org = factories.Organization()
    bare = factories.Dataset(owner_org=org["id"], title="Ward list", layer="reference", notes="Wards.")
    body = portal.get(f"/dataset/{bare['name']}").get_data(as_text=True)
    # unfilled repeating fields (and an entry with nothing in it) get no row
    assert "Contact points" not in body and "Temporal coverage" not in body and "Spatial coverage" not in body

    filled = factories.Dataset(owner_org=org["id"], title="Caseload", layer="statistical", notes="Counts.",
                               contact=[{"name": "Programme team", "email": "team@example.org"}],
                               spatial_coverage=[{"uri": "", "text": ""}])
    body = portal.get(f"/dataset/{filled['name']}").get_data(as_text=True)
    assert "Contact points" in body and "Programme team" in body
    assert "Spatial coverage" not in body


def test_the_site_shows_its_own_name_and_mark_not_ckans(portal):
    body = portal.get("/").get_data(as_text=True)
    assert 'class="ldeco-brand"' in body and "/ldeco/logo.svg" in body
    assert "ckan-logo" not in body and "ckan.ico" not in body
    logo = portal.get("/ldeco/logo.svg")
    assert logo.status_code == 200 and b"<svg" in logo.data


def test_the_dictionary_and_about_are_in_the_main_navigation(portal):
    body = portal.get("/").get_data(as_text=True)
    nav = body.split('id="main-navigation-toggle"', 1)[1].split("</ul>", 1)[0]
    assert 'href="/dictionary"' in nav and ">Dictionary<" in nav and 'href="/about"' in nav


def test_the_about_page_describes_the_ecosystem_not_ckan(portal):
    res = portal.get("/about")
    body = res.get_data(as_text=True)
    assert res.status_code == 200
    assert "CKAN is the world" not in body  # CKAN's boilerplate
    for section in ("ldeco-about-layers", "ldeco-about-dictionary", "ldeco-about-handshake", "ldeco-about-standards"):
        assert f'id="{section}"' in body
    for words in ("A person is empowered by their organisation to act in a role", "Local eGovernment Standards Body",
                  "Semantics", "Information governance", "/dictionary", "/dataset/?layer=political"):
        assert words in body


def test_empty_facets_are_left_out(portal):
    org = factories.Organization(title="Bolton Council")
    factories.Dataset(owner_org=org["id"], title="Ward list", layer="reference", notes="Wards.")
    body = portal.get("/dataset/").get_data(as_text=True)
    assert "There are no" not in body  # e.g. "There are no Theme that match this search"
    assert "Bolton Council" in body  # a facet with values still shows


def test_the_home_page_features_the_ecosystems_organisations_by_kind(portal):
    council = factories.Organization(title="Bolton Council", agency_kind="council")
    factories.Organization(title="Greater Manchester Police", agency_kind="police")
    factories.Organization(title="Families First North West", agency_kind="voluntary")
    factories.Dataset(owner_org=council["id"], title="Ward list", layer="reference", notes="Wards.")
    body = portal.get("/").get_data(as_text=True)
    section = body.split('id="ldeco-organisations"', 1)[1].split("</section>", 1)[0]
    kinds = re.findall(r'data-kind="([a-z]+)"', section)
    assert kinds == ["council", "police", "voluntary"]  # in the schema's order, empty kinds left out
    assert "Bolton Council" in section and "(1 dataset)" in section and "Greater Manchester Police" in section
    assert 'id="ldeco-start-here"' in body and "/dictionary" in body
    assert "Popular tags" not in body  # no empty box while no dataset has a tag
    assert "E.g. troubled families" in body
