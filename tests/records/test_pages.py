"""The records of a concept in the browser: `/dictionary/<concept>/records`
shows the rows the viewer may read (a CSV of exactly those), what is
withheld with the way to ask, and protected counts for everyone."""

from __future__ import annotations

import csv
import io

from ckan.tests import factories

from tests.gating.conftest import handshake
from tests.records.test_search import themes  # noqa: F401 (a fixture)


def _get(app, url, user=None):
    headers = {"Authorization": factories.APIToken(user=user["name"])["token"]} if user else {}
    return app.get(url, headers=headers)


def test_a_citizen_sees_the_open_rows_the_withheld_ones_counted_and_the_counts(app, themes):  # noqa: F811
    answer = _get(app, "/dictionary/case/records")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "BOL/1" in body and "PH-3" in body  # open planning and pothole cases, one table
    assert "KW-7" not in body and "F-1" not in body  # the restricted family case's cells
    assert "Withheld: 1 resources of 1 organisations" in body and "/dataset/family-cases/request-access" in body
    assert "How many, by organisation" in body and "Counts from 1 to 9 are suppressed" in body
    rows = list(csv.reader(io.StringIO(_get(app, "/dictionary/case/records?format=csv").get_data(as_text=True))))
    assert rows[0][:2] == ["case_id", "opened"] and len(rows) == 1 + 8
    assert not any("KW-7" in cell for row in rows for cell in row)


def test_a_grantee_sees_the_granted_rows_and_filters_by_code(app, themes):  # noqa: F811
    officer = factories.UserWithToken()
    handshake(themes["restricted"], [officer])(officer, ["family_id", "ward"])
    body = _get(app, "/dictionary/family-case/records", officer).get_data(as_text=True)
    assert "F-1" in body and "KW-7" not in body  # the grant's items only
    assert "E05011368" in body
    # a filter from a code list the page offers (case status)
    body = _get(app, "/dictionary/case/records?status=closed").get_data(as_text=True)
    assert "BOL/1" not in body and "No records you may read match." in body
    assert _get(app, "/dictionary/no-such-concept/records").status_code == 404
