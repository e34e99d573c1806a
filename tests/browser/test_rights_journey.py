"""The handshake journey in a real browser against a live portal.

Screenshots are kept under tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


from tests.rights.conftest import PASSWORD, call, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live(world, request):
    """A CKAN web server on loopback over the same test database."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    ini = request.config.getoption("--ckan-ini")
    port = _free_port()
    ckan = Path(sys.executable).with_name("ckan")
    proc = subprocess.Popen(
        [str(ckan), "-c", ini, "run", "--host", "127.0.0.1", "--port", str(port), "--disable-reloader"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # links and redirects must point back at this server
        env={**os.environ, "CKAN_SITE_URL": f"http://127.0.0.1:{port}"},
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("the CKAN server stopped while starting")
                time.sleep(0.3)
        else:
            pytest.fail("the CKAN server did not start within 60 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is in requirements-dev")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _login(page, base: str, name: str) -> None:
    page.goto(f"{base}/user/login")
    page.fill("#field-login", name)
    page.fill("#field-password", PASSWORD)
    page.press("#field-password", "Enter")
    page.wait_for_load_state()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"rights-{name}.png"), full_page=True)


def _fill_request(page, world) -> None:
    page.select_option("#field-purpose", "crime-reduction")
    page.select_option("#field-gateway", "cda1998-s115")
    page.check("input[name=data_items][value=case_id]")
    page.check("input[name=data_items][value=family_id]")
    page.check("#field-accept-terms")
    page.click("button[value=check]")
    page.wait_for_load_state()


def test_officer_requests_publisher_approves_officer_sees_grant(world, live, browser):
    officer = browser.new_context().new_page()
    _login(officer, live, "olu-officer")
    officer.goto(f"{live}/dataset/{world.dataset['name']}")
    _shot(officer, "1-restricted-dataset")
    officer.click("a.ldeco-request-access")
    _fill_request(officer, world)
    met = officer.locator("tr.ldeco-element[data-met=true]")
    assert met.count() == 6
    _shot(officer, "2-handshake-all-met")
    # the evaluation follows the form without pressing "Check"
    officer.uncheck("#field-accept-terms")
    officer.wait_for_selector("tr.ldeco-element-terms[data-met=false]")
    assert officer.locator("button[value=submit]").is_disabled()
    _shot(officer, "2b-live-terms-not-accepted")
    officer.check("#field-accept-terms")
    officer.wait_for_selector("tr.ldeco-element-terms[data-met=true]")
    assert officer.locator("button[value=submit]").is_enabled()
    officer.click("button[value=submit]")
    officer.wait_for_load_state()
    assert officer.locator("strong[data-state=submitted]").count() == 1
    _shot(officer, "3-request-submitted")

    publisher = browser.new_context().new_page()
    _login(publisher, live, "ed-editor")
    publisher.goto(f"{live}/access/queue")
    _shot(publisher, "4-publisher-queue")
    publisher.click("table.ldeco-requests a")
    publisher.fill("#field-reason", "Agreed at the partnership board")
    publisher.click("button[value=decide]")
    publisher.wait_for_load_state()
    assert publisher.locator("strong[data-state=approved]").count() == 1
    _shot(publisher, "5-approved")

    officer.goto(f"{live}/access/my")
    assert officer.locator("tr.ldeco-grant[data-current=true]").count() == 1
    _shot(officer, "6-my-access")


def test_police_admin_empowers_a_member(world, live, browser):
    page = browser.new_context().new_page()
    _login(page, live, "pc-admin")
    page.goto(f"{live}/access/my")
    page.click("ul.ldeco-admin-orgs a")
    assert page.locator("#field-user option").count() == 2  # the members, not the site's own user
    page.select_option("#field-user", world.officer["id"])
    page.select_option("#field-role", "analyst")
    page.click("form.ldeco-empower-form button[type=submit]")
    page.wait_for_load_state()
    _shot(page, "8-empowerments")
    assert page.locator("tr.ldeco-empowerment[data-active=true]").count() == 2


def test_unaccredited_officer_sees_the_failing_element(world, live, browser):
    call("ldeco_user_accreditation_delete", world.sysadmin, id=world.accreditation["id"])
    page = browser.new_context().new_page()
    _login(page, live, "olu-officer")
    page.goto(f"{live}/dataset/{world.dataset['name']}/request-access")
    _fill_request(page, world)
    failing = page.locator("tr.ldeco-element[data-met=false]")
    assert failing.count() == 1
    assert "Not held: data-protection-training." in failing.inner_text()
    assert page.locator("button[value=submit]").is_disabled()
    _shot(page, "7-unaccredited")
