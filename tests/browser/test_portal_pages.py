"""The portal's own pages as people meet them, in a real browser: its name
and mark, the About page, search without empty facets, the dictionary in the
navigation, the queue for those who decide (labels, not codes), the mail
page, and Welsh through the language menu. Screenshots are kept under
tests/artifacts/ for a person to look at."""

from __future__ import annotations

import pytest
from ckan.tests import factories

from ckanext.ldeco.dictionary import packs
from tests.browser.conftest import login, shot
from tests.rights.conftest import PASSWORD, call, request_data, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

CODES = ("police-liaison-officer", "crime-reduction", "cda1998-s115")


@pytest.fixture
def live(world, live_server):
    packs.load_shipped()
    call("package_patch", world.sysadmin, id=world.dataset["id"], conforms_to="family-case")
    factories.Dataset(owner_org=world.council["id"], title="Caseload by headline problem", layer="statistical",
                      notes="Families in the programme, by headline problem.")
    call("ldeco_access_request_create", world.officer, **request_data(world))
    return live_server


def _login(page, base: str, name: str) -> None:
    login(page, base, name, PASSWORD)


def test_a_citizen_meets_the_portal_not_ckan(live, page):
    page.goto(f"{live}/")
    assert page.locator(".ldeco-brand-title").inner_text().startswith("Local Data Ecosystem")
    assert page.locator("img[src*=ckan-logo]").count() == 0
    kinds = page.locator("#ldeco-organisations .ldeco-kind h3").all_inner_texts()
    assert kinds == ["Council", "Police"]
    shot(page, "portal-home")

    page.locator("#main-navigation-toggle a", has_text="About").click()
    page.wait_for_load_state()
    assert page.locator("h1.page-heading").inner_text() == "About the local data ecosystem"
    assert page.locator("#ldeco-about-handshake blockquote").inner_text().startswith("A person is empowered")
    shot(page, "portal-about")

    page.goto(f"{live}/dataset/")
    assert page.locator("text=There are no").count() == 0
    assert page.locator(".dataset-heading a", has_text="Caseload by headline problem").count() == 1
    shot(page, "portal-search")

    page.locator("#main-navigation-toggle a", has_text="Dictionary").click()
    page.wait_for_load_state()
    assert page.url.endswith("/dictionary")
    assert page.locator("#main-navigation-toggle li.active a").inner_text() == "Dictionary"
    shot(page, "portal-dictionary")


def test_the_queue_is_for_those_who_decide_and_speaks_in_labels(world, live, new_page):
    editor = new_page()
    _login(editor, live, world.editor["name"])
    link = editor.locator("#ldeco-header-queue")
    assert link.get_attribute("title") == "Requests to decide (1)"
    assert link.locator(".badge").inner_text() == "1"  # the count shows beside the icon
    link.click()
    editor.wait_for_load_state()
    row = editor.locator("tr.ldeco-request").first
    assert "Police liaison officer" in row.inner_text()
    assert "Reducing crime and anti-social behaviour" in row.inner_text()
    assert not [c for c in CODES if c in editor.locator("section.module").first.inner_text()]
    shot(editor, "portal-queue")
    row.locator("a").click()
    editor.wait_for_load_state()
    details = editor.locator("dl").first.inner_text()
    assert "Crime and Disorder Act 1998, section 115" in details and "Case reference, Family identifier" in details
    shot(editor, "portal-request-for-the-publisher")

    officer = new_page()
    _login(officer, live, world.officer["name"])
    assert officer.locator("#ldeco-header-queue").count() == 0
    officer.goto(f"{live}/access/queue")
    # a refusal that says what to do next
    assert officer.locator("#ldeco-queue-none a[href$='/access/my']").count() == 1
    shot(officer, "portal-queue-officer")


def test_sysadmins_see_that_mail_waits(world, live, new_page):
    factories.Sysadmin(name="ada-admin", password=PASSWORD)
    admin = new_page()
    _login(admin, live, "ada-admin")
    admin.goto(f"{live}/access/mail")
    # test.ini names no mail server that answers
    assert admin.locator("#ldeco-mail-status").get_attribute("data-sending") == "false"
    assert admin.locator("article.ldeco-mail[data-state=pending]").count() == 2
    shot(admin, "portal-mail")


def test_welsh_from_the_language_menu(live, page):
    page.goto(f"{live}/")
    # select2 hides the native menu; choosing in it fires the same change event
    page.select_option("#field-lang-select", label="Cymraeg", force=True)
    page.wait_for_url(f"{live}/cy/**")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("h1.page-heading").inner_text() == "Ecosystem data lleol"
    assert page.locator("#main-navigation-toggle a", has_text="Geiriadur").count() == 1
    shot(page, "portal-cy-home")
    page.locator("#main-navigation-toggle a", has_text="Ynghylch").click()
    page.wait_for_load_state()
    assert page.url.endswith("/cy/about")
    assert page.locator("#ldeco-about-layers h2").inner_text() == "Pum haen o ddata"
    shot(page, "portal-cy-about")
