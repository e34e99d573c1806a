"""An officer with a grant for some data items downloads only those; a
citizen, and an officer whose grant has expired, are refused with a reason."""
from __future__ import annotations

import datetime as dt

import ckan.model as model
import pytest

from tests.browser.conftest import shot
from tests.gating.conftest import SECRET_URL, grant_for, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def _log_in(page, base, user):
    page.goto(base + "/user/login")
    page.fill("#field-login", user["name"])
    page.fill("#field-password", "correct123")
    page.press("#field-password", "Enter")
    page.wait_for_load_state()


def test_officer_downloads_only_granted_items_and_others_are_refused(live_server, page, world, grant_for):
    grant = grant_for(["family_id", "ward"])
    table_download = f"{live_server}/dataset/{world.dataset['name']}/resource/{world.table['id']}/download"
    link_download = f"{live_server}/dataset/{world.dataset['name']}/resource/{world.link['id']}/download"

    # a citizen: the description is open, the data is not
    page.goto(f"{live_server}/dataset/{world.dataset['name']}")
    assert SECRET_URL not in page.content()
    shot(page, "gating-citizen-dataset")
    page.goto(table_download)
    assert "sign in and request access" in page.locator("#ldeco-refusal-reason").inner_text()
    shot(page, "gating-citizen-refused")

    # the officer, granted family_id and ward
    _log_in(page, live_server, world.officer)
    answer = page.request.get(table_download)
    body = answer.text()
    shot(page, "gating-officer-logged-in")
    header = body.lstrip("\ufeff").splitlines()[0]
    assert header == "_id,family_id,ward"
    assert "KW-7" not in body
    page.goto(link_download)
    assert "only some data items" in page.locator("#ldeco-refusal-reason").inner_text()
    shot(page, "gating-officer-partial-file-refused")

    # time passes: the grant's end date is behind us
    from ckanext.ldeco.rights import model as rights_model

    row = model.Session.get(rights_model.Grant, grant["id"])
    row.expiry = dt.date.today() - dt.timedelta(days=1)
    row.start_date = row.expiry - dt.timedelta(days=30)
    model.Session.commit()
    page.goto(table_download)
    reason = page.locator("#ldeco-refusal-reason").inner_text()
    assert "expired on" in reason
    shot(page, "gating-officer-expired-refused")
