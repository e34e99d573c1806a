"""A real browser on a live portal: the dictionary pages, a publisher
creating a dataset that declares a concept, and a citizen finding it through
the concept facet. Screenshots are kept under tests/artifacts/."""

from __future__ import annotations

import pytest

from ckanext.ldeco.demo import loader
from tests.browser.conftest import shot
from tests.demo.helpers import ecosystem

pytestmark = pytest.mark.browser


@pytest.fixture
def live_portal(portal, live_server):
    """The shared live portal, with the demo of Manchester loaded."""
    loader.load(ecosystem(["MAN"]))
    return live_server


def _shot(page, name: str) -> None:
    shot(page, name)


def _log_in(page, url: str, user: str) -> None:
    page.goto(f"{url}/user/login")
    page.fill("#field-login", user)
    page.fill("#field-password", "ldeco-demo-2026")
    page.click(
        "#field-password >> xpath=ancestor::form//button[@type='submit']"
    )
    page.wait_for_load_state()


def test_dictionary_pages_in_a_browser(live_portal, new_page):
    page = new_page(height=1000)
    page.goto(f"{live_portal}/dictionary")
    assert page.locator("text=Family case").first.is_visible()
    _shot(page, "dictionary-index")
    page.fill("#ldeco-dictionary-q", "pothole")  # live filter, no reload
    assert page.locator("a:has-text('Pothole report')").is_visible()
    assert not page.locator("a:has-text('Family case')").is_visible()
    assert page.locator("a:has-text('Case')").first.is_visible()  # the parent stays
    _shot(page, "dictionary-index-filtered")
    page.goto(f"{live_portal}/dictionary/family-case")
    assert page.locator("text=inherited from").first.is_visible()
    _shot(page, "dictionary-family-case")
    page.goto(f"{live_portal}/dictionary/case")
    assert page.locator("text=Pothole reports, Manchester").is_visible()
    _shot(page, "dictionary-case")


def test_publisher_declares_a_concept_and_citizen_finds_it_by_facet(live_portal, new_page):
    publisher = new_page(height=1000)
    _log_in(publisher, live_portal, "priya-publisher")
    publisher.goto(f"{live_portal}/dataset/new")
    _shot(publisher, "publisher-new")
    publisher.fill("#field-title", "Family cases opened in 2024, Manchester")
    publisher.fill("#field-notes", "Cases opened for families in 2024.")
    publisher.select_option("#field-layer", "operational")
    publisher.select_option("#field-private", "False")
    publisher.select_option("#field-conforms_to", "family-case")
    publisher.fill("#field-spatial_gss", "E08000003")
    publisher.fill("#field-service", "Family support groups")
    _shot(publisher, "publisher-form")
    publisher.click("button[name=save]")
    publisher.wait_for_load_state()
    _shot(publisher, "publisher-after-save")
    # the resource step follows; the dataset exists as a draft until a resource is added
    publisher.click("#resource-link-button")
    publisher.fill("#field-resource-url", "http://127.0.0.1/cases.csv")
    publisher.fill("#field-name", "Cases")
    publisher.click("button[name=save][value=go-metadata]")
    publisher.wait_for_load_state()
    assert publisher.url.endswith("/dataset/family-cases-opened-in-2024-manchester")
    _shot(publisher, "publisher-dataset-page")

    citizen = new_page(height=1000)
    citizen.goto(f"{live_portal}/dataset/")
    citizen.locator("a[href*='ldeco_concept=case']").first.click()
    citizen.wait_for_load_state()
    _shot(citizen, "citizen-concept-facet")
    assert citizen.locator("text=Family cases opened in 2024, Manchester").is_visible()
    assert citizen.locator("text=Pothole reports, Manchester").is_visible()
    citizen.click("text=Family cases opened in 2024, Manchester")
    citizen.wait_for_load_state()
    _shot(citizen, "citizen-dataset-page")
    citizen.click("a.ldeco-concept-link")
    citizen.wait_for_load_state()
    assert citizen.url.endswith("/dictionary/family-case")
