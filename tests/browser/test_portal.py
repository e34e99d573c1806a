"""A citizen's first visit: the home page leads by layer to open statistics."""
from __future__ import annotations

import pytest
from ckan.tests import factories

from tests.browser.conftest import shot

pytestmark = pytest.mark.browser


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_citizen_finds_statistics_from_the_home_page(live_server, page):
    org = factories.Organization(title="Bolton Council")
    factories.Dataset(owner_org=org["id"], name="caseload-by-problem", title="Caseload by headline problem",
                      layer="statistical", notes="Families in the programme, by problem.")
    factories.Dataset(owner_org=org["id"], title="Programme budget", layer="political", notes="Budget lines.")

    page.goto(live_server + "/")
    assert page.locator("h1.page-heading").inner_text() == "A local data ecosystem"
    shot(page, "portal-home")

    page.locator("#ldeco-layers a", has_text="Statistical").click()
    page.wait_for_load_state()
    titles = page.locator(".dataset-heading a").all_inner_texts()
    assert titles == ["Caseload by headline problem"]
    shot(page, "portal-search-statistical")

    page.locator(".dataset-heading a").first.click()
    page.wait_for_load_state()
    assert "/dataset/caseload-by-problem" in page.url
    assert page.locator("text=Statistical — aggregated, shareable").count() == 1
    shot(page, "portal-dataset")
