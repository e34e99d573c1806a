"""A Markdown report shown on its resource page, rendered safely: Markdown
with tables, then cleaned as CKAN cleans Markdown (bleach, CKAN's allowed
tags and attributes, plus those of a table); HTML in the report is
stripped, never rendered. The file
is read from the portal's storage only after the gating door has said yes,
and a restricted report's preview is audited as an access."""

from __future__ import annotations

from typing import Any

import bleach  # type: ignore[import-untyped]
import ckan.lib.helpers as ckan_helpers  # CKAN's Markdown tag list; the toolkit has no door to it
import ckan.plugins as p
import ckan.plugins.toolkit as tk
import markdown  # type: ignore[import-untyped]
from ckan import types
from ckan.lib import uploader
from markupsafe import Markup

from ckanext.ldeco.gating import service

__all__ = ["LdecoMarkdownView", "MAX_BYTES", "FORMATS"]

MAX_BYTES = 1_000_000  # a report larger than this is offered as a download only
FORMATS = {"markdown", "md", "text/markdown"}


def _text(res: dict[str, Any]) -> str | None:
    """The uploaded file's text, or None when it is not a stored upload or too large."""
    if res.get("url_type") != "upload":
        return None
    upload = uploader.get_resource_uploader(res)
    path = upload.get_path(res["id"])
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_BYTES:
        return None
    return data.decode("utf-8", errors="replace")


_TABLE_TAGS = {"table", "thead", "tbody", "tr", "th", "td"}


def render(text: str) -> Markup:
    """TEXT as HTML: Markdown with tables; every tag outside CKAN's Markdown
    list (and a table's) stripped, as are unknown attributes."""
    html = markdown.markdown(text, extensions=["tables"])
    tags = set(ckan_helpers.MARKDOWN_TAGS) | _TABLE_TAGS
    attributes = dict(ckan_helpers.MARKDOWN_ATTRIBUTES, th=["align"], td=["align"])
    return Markup(bleach.clean(html, tags=tags, attributes=attributes, strip=True))


class LdecoMarkdownView(p.SingletonPlugin):
    p.implements(p.IResourceView, inherit=True)

    def info(self) -> dict[str, Any]:
        return {"name": "ldeco_markdown_view", "title": tk._("Report"), "default_title": tk._("Report"),
                "icon": "file-lines", "iframed": False, "always_available": False}

    def can_view(self, data_dict: dict[str, Any]) -> bool:
        res = data_dict["resource"]
        return (res.get("format") or "").lower() in FORMATS or (res.get("url") or "").lower().endswith(".md")

    def setup_template_variables(self, context: types.Context, data_dict: dict[str, Any]) -> dict[str, Any]:
        res = data_dict["resource"]
        # the view's context may name no user: the person is the request's
        who = {"user": context.get("user") or getattr(tk.current_user, "name", None) or ""}
        decision, pkg, stored = service.authorise(dict(who), res["id"])
        if not decision.allowed:
            service.record("preview", decision, pkg, stored, dict(who))
            return {"ldeco_refused": decision.reason, "ldeco_report": None}
        text = _text(res)
        if text is not None:
            service.record("preview", decision, pkg, stored, dict(who))
        return {"ldeco_refused": None, "ldeco_report": render(text) if text else None}

    def view_template(self, context: types.Context, data_dict: dict[str, Any]) -> str:
        return "ldeco/previews/markdown.html"
