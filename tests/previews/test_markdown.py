"""A Markdown report is shown on its page: tables rendered, any HTML in it
stripped, and a restricted report only behind the door."""

from __future__ import annotations

import io

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from werkzeug.datastructures import FileStorage

from ckanext.ldeco.previews.markdown import render

REPORT = """# Outcomes

| intervention | share |
|---|---|
| Parenting programme | 67% |

<script>alert("x")</script><img src=x onerror=alert(1)>
"""


def test_render_keeps_tables_and_strips_html():
    html = str(render(REPORT))
    assert "<table>" in html and "<td>Parenting programme</td>" in html and "<h1>Outcomes</h1>" in html
    assert "<script" not in html and "onerror" not in html


def _report(org, user, **fields):
    ds = factories.Dataset(owner_org=org["id"], notes="x", **fields)
    upload = FileStorage(io.BytesIO(REPORT.encode()), filename="report.md", content_type="text/markdown")
    res = tk.get_action("resource_create")({"user": user["name"]}, {
        "package_id": ds["id"], "name": "Report", "format": "Markdown", "url": "", "upload": upload})
    views = tk.get_action("resource_view_list")({"user": user["name"]}, {"id": res["id"]})
    return ds, res, views


@pytest.mark.usefixtures("portal")
def test_the_report_page_shows_it_rendered_and_a_restricted_one_only_to_readers(app):
    user = factories.User()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "admin"}])
    ds, res, views = _report(org, user, layer="analytical")
    assert [v["view_type"] for v in views] == ["ldeco_markdown_view"]  # made by default
    body = app.get(f"/dataset/{ds['name']}/resource/{res['id']}").get_data(as_text=True)
    assert "<td>Parenting programme</td>" in body and "<script>alert" not in body and "onerror" not in body

    ds, res, views = _report(org, user, layer="analytical", access_level="restricted")
    view_page = f"/dataset/{ds['name']}/resource/{res['id']}/view/{views[0]['id']}"
    outsider = {"Authorization": factories.APIToken(user=factories.User()["name"])["token"]}
    for headers in ({}, outsider):
        assert "Parenting programme" not in app.get(view_page, headers=headers).get_data(as_text=True)
    owner = {"Authorization": factories.APIToken(user=user["name"])["token"]}
    assert "<td>Parenting programme</td>" in app.get(view_page, headers=owner).get_data(as_text=True)
