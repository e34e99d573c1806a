"""The handshake journey in a real browser against a live portal.

Screenshots are kept under tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import login, shot
from tests.rights.conftest import PASSWORD, call, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def live(world, live_server):
    """The shared live portal, once the rights ecosystem is in the database."""
    return live_server


def _login(page, base: str, name: str) -> None:
    login(page, base, name, PASSWORD)


def _shot(page, name: str) -> None:
    shot(page, f"rights-{name}")


def _fill_request(page, world) -> None:
    page.select_option("#field-purpose", "crime-reduction")
    page.select_option("#field-gateway", "cda1998-s115")
    page.check("input[name=data_items][value=case_id]")
    page.check("input[name=data_items][value=family_id]")
    page.check("#field-accept-terms")
    page.click("button[value=check]")
    page.wait_for_load_state()


def test_officer_requests_publisher_approves_officer_sees_grant(world, live, new_page):
    officer = new_page()
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

    publisher = new_page()
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


def test_police_admin_empowers_a_member(world, live, new_page):
    page = new_page()
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


def test_unaccredited_officer_sees_the_failing_element(world, live, new_page):
    call("ldeco_user_accreditation_delete", world.sysadmin, id=world.accreditation["id"])
    page = new_page()
    _login(page, live, "olu-officer")
    page.goto(f"{live}/dataset/{world.dataset['name']}/request-access")
    _fill_request(page, world)
    failing = page.locator("tr.ldeco-element[data-met=false]")
    assert failing.count() == 1
    assert "Not held: Data protection training." in failing.inner_text()  # by its title
    assert page.locator("button[value=submit]").is_disabled()
    _shot(page, "7-unaccredited")
