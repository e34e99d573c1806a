"""The portal's main pages render through the real stack."""
from __future__ import annotations

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
