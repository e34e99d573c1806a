"""A Markdown report shown on its resource page, rendered safely: CKAN's own
`render_markdown`, which strips every HTML tag the report carries. The file
is read from the portal's storage only after the gating door has said yes,
and a restricted report's preview is audited as an access."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import types
from ckan.lib import uploader

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
        decision, pkg, stored = service.authorise({"user": context.get("user")}, res["id"])
        if not decision.allowed:
            service.record("preview", decision, pkg, stored, {"user": context.get("user")})
            return {"ldeco_refused": decision.reason, "ldeco_report": None}
        text = _text(res)
        if text is not None:
            service.record("preview", decision, pkg, stored, {"user": context.get("user")})
        return {"ldeco_refused": None, "ldeco_report": tk.h.render_markdown(text, auto_link=False) if text else None}

    def view_template(self, context: types.Context, data_dict: dict[str, Any]) -> str:
        return "ldeco/previews/markdown.html"
