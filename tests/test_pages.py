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
