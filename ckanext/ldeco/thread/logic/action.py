"""The thread API: follow a dataset's links both ways."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import types

from ckanext.ldeco import inputs
from ckanext.ldeco.thread.links import INDEX_FIELD, links_of
from ckanext.ldeco.thread.logic import schema
from ckanext.ldeco.thread.roles import LAYERS, ROLES, layer_label

__all__ = ["ldeco_thread_show"]


def _asking(context: types.Context) -> dict[str, Any]:
    # each look-up is the caller's own: what they may not see stays out
    return {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")}


def _show(context: types.Context, name: str) -> dict[str, Any] | None:
    try:
        return tk.get_action("package_show")(_asking(context), {"id": name})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None


def _linking_to(context: types.Context, name: str) -> list[dict[str, Any]]:
    found = tk.get_action("package_search")(_asking(context), {
        "fq": f'{INDEX_FIELD}:"{name}"', "rows": schema.MAX_DATASETS, "sort": "title_string asc",
        "include_private": True})  # permission labels still decide what the caller sees
    return found["results"]


def _node(pkg: dict[str, Any]) -> dict[str, Any]:
    org = pkg.get("organization") or {}
    return {"name": pkg["name"], "title": pkg.get("title") or pkg["name"], "layer": pkg.get("layer") or "",
            "layer_label": layer_label(pkg.get("layer") or ""), "access_level": pkg.get("access_level") or "",
            "organization": org.get("title") or org.get("name") or ""}


class _Walk:
    """A breadth-first walk over links, up (what a dataset names) and down
    (what names it), a fixed number of steps each way."""

    def __init__(self, context: types.Context, start: dict[str, Any]) -> None:
        self.context = context
        self.found: dict[str, dict[str, Any]] = {start["name"]: start}
        self.links: set[tuple[str, str, str]] = set()
        self.cut = False

    def _add(self, pkg: dict[str, Any], grown: list[dict[str, Any]]) -> None:
        if pkg["name"] in self.found:
            return
        if len(self.found) >= schema.MAX_DATASETS:
            self.cut = True
            return
        self.found[pkg["name"]] = pkg
        grown.append(pkg)

    def step(self, frontier: list[dict[str, Any]]) -> list[dict[str, Any]]:
        grown: list[dict[str, Any]] = []
        for pkg in frontier:
            for role, target in links_of(pkg):
                seen = self.found.get(target) or _show(self.context, target)
                if seen is not None:
                    self.links.add((pkg["name"], seen["name"], role))
                    self._add(seen, grown)
            for other in _linking_to(self.context, pkg["name"]):
                for role, target in links_of(other):
                    if target == pkg["name"]:
                        self.links.add((other["name"], pkg["name"], role))
                self._add(other, grown)
        return grown


@tk.side_effect_free
@inputs.action(schema.thread_show)
def ldeco_thread_show(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """The golden thread through a dataset. `id` (name or id); `depth`, the
    links followed each way (default 3, at most 6). Returns `dataset` (its
    name), `datasets` (name → title, layer, layer_label, access_level,
    organization), `links` (from, to, role, label, inverse_label), `layers`
    (each layer in thread order with the names of its datasets) and `cut`
    (true when the thread was larger than the page shows). Datasets the
    caller may not see are left out with their links."""
    start = _show(context, data_dict["id"])
    if start is None:
        raise tk.ObjectNotFound(tk._("No dataset named {id}").format(id=data_dict["id"]))
    walk = _Walk(context, start)
    frontier = [start]
    for _ in range(data_dict["depth"]):
        frontier = walk.step(frontier)
        if not frontier:
            break
    nodes = {name: _node(pkg) for name, pkg in walk.found.items()}
    links = [{"from": a, "to": b, "role": role, "label": ROLES[role].label,
              "inverse_label": ROLES[role].inverse_label}
             for a, b, role in sorted(walk.links) if a in nodes and b in nodes]
    layers = [{"layer": layer, "label": layer_label(layer),
               "datasets": sorted((n for n in nodes if nodes[n]["layer"] == layer),
                                  key=lambda n: nodes[n]["title"])}
              for layer in LAYERS if any(node["layer"] == layer for node in nodes.values())]
    return {"dataset": start["name"], "datasets": nodes, "links": links, "layers": layers, "cut": walk.cut}
