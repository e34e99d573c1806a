"""A real browser on a live portal: the dictionary pages, a publisher
creating a dataset that declares a concept, and a citizen finding it through
the concept facet. Screenshots are kept under tests/artifacts/."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ckanext.ldeco.demo import loader

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is in requirements-dev")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_portal(portal, request, tmp_path):
    loader.load(loader.read_demo("small"), progress=lambda _: None)
    port = _free_port()
    # the tests' configuration, with the live address as site URL so that redirects stay on loopback
    source = Path(request.config.getoption("--ckan-ini")).resolve()
    text = source.read_text().replace("%(here)s", str(source.parent))
    text = re.sub(r"(?m)^ckan\.site_url\s*=.*$", f"ckan.site_url = http://127.0.0.1:{port}", text)
    ini = tmp_path / "live.ini"
    ini.write_text(text)
    ckan = Path(sys.executable).with_name("ckan")
    proc = subprocess.Popen([str(ckan), "-c", str(ini), "run", "--host", "127.0.0.1", "--port", str(port),
                             "--disable-reloader"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/api/3/action/status_show", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the portal did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    with playwright.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _new_page(browser):
    """A page in a fresh context (its own cookies) that reaches loopback only."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        ("http://127.0.0.1", "data:", "blob:")) else route.abort())
    return context.new_page()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _log_in(page, url: str, user: str) -> None:
    page.goto(f"{url}/user/login")
    page.fill("#field-login", user)
    page.fill("#field-password", "ldeco-demo-2026")
    page.click("form.form-horizontal button[type=submit], #field-password >> xpath=ancestor::form//button[@type='submit']")
    page.wait_for_load_state()


def test_dictionary_pages_in_a_browser(live_portal, browser):
    page = _new_page(browser)
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
    assert page.locator("text=Pothole reports, Bolton").is_visible()
    _shot(page, "dictionary-case")


def test_publisher_declares_a_concept_and_citizen_finds_it_by_facet(live_portal, browser):
    publisher = _new_page(browser)
    _log_in(publisher, live_portal, "pat-publisher")
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

    citizen = _new_page(browser)
    citizen.goto(f"{live_portal}/dataset/")
    citizen.locator("a[href*='ldeco_concept=case']").first.click()
    citizen.wait_for_load_state()
    _shot(citizen, "citizen-concept-facet")
    assert citizen.locator("text=Family cases opened in 2024, Manchester").is_visible()
    assert citizen.locator("text=Pothole reports, Bolton").is_visible()
    citizen.click("text=Family cases opened in 2024, Manchester")
    citizen.wait_for_load_state()
    _shot(citizen, "citizen-dataset-page")
    citizen.click("a.ldeco-concept-link")
    citizen.wait_for_load_state()
    assert citizen.url.endswith("/dictionary/family-case")
