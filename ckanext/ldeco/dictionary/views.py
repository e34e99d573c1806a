"""Pages and exports of the data dictionary."""
from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response

import ckan.plugins.toolkit as tk

from ckanext.ldeco.dictionary import exports
from ckanext.ldeco.dictionary.packs import LAYERS

__all__ = ["get_blueprints"]

dictionary = Blueprint("ldeco_dictionary", __name__)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _layer_labels() -> dict[str, str]:
    return {"operational": tk._("Operational"), "statistical": tk._("Statistical"),
            "analytical": tk._("Analytical"), "political": tk._("Political"), "reference": tk._("Reference")}


def index() -> str:
    q = (tk.request.args.get("q") or "").strip()
    concepts = tk.get_action("ldeco_concept_list")(_context(), {"q": q} if q else {})
    by_name = {c["id"]: c for c in concepts}
    children: dict[str | None, list[dict]] = {}
    for c in concepts:
        # a concept whose parent is filtered out is shown at the top of its group
        parent = c["parent"] if c["parent"] in by_name else None
        children.setdefault(parent, []).append(c)
    groups = []
    for layer in LAYERS:
        themes: dict[str, list[dict]] = {}
        for c in children.get(None, []):
            if c["layer"] == layer:
                themes.setdefault(c["theme"], []).append(c)
        if themes:
            groups.append({"layer": layer, "label": _layer_labels()[layer], "themes": sorted(themes.items())})
    packs = tk.get_action("ldeco_pack_list")(_context(), {})
    return tk.render("ldeco/dictionary/index.html", extra_vars={
        "groups": groups, "children": children, "q": q, "count": len(concepts), "packs": packs})


def concept(name: str) -> str:
    try:
        data = tk.get_action("ldeco_concept_show")(_context(), {"id": name})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._('No concept "{0}" in the dictionary').format(name))
    return tk.render("ldeco/dictionary/concept.html", extra_vars={"concept": data})


def code_list(name: str) -> str:
    try:
        data = tk.get_action("ldeco_code_list_show")(_context(), {"id": name})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._('No code list "{0}" in the dictionary').format(name))
    return tk.render("ldeco/dictionary/code_list.html", extra_vars={"code_list": data})


def _json(payload: dict[str, Any], mimetype: str = "application/json") -> Response:
    return Response(json.dumps(payload, indent=2, ensure_ascii=False), mimetype=mimetype)


def concept_json_schema(name: str) -> Response:
    try:
        return _json(exports.json_schema(name), "application/schema+json")
    except tk.ObjectNotFound as err:
        return tk.abort(404, str(err))


def concept_table_schema(name: str) -> Response:
    try:
        return _json(exports.table_schema(name))
    except tk.ObjectNotFound as err:
        return tk.abort(404, str(err))


def turtle() -> Response:
    return Response(exports.graph().serialize(format="turtle"), mimetype="text/turtle")


def jsonld() -> Response:
    return Response(exports.graph().serialize(format="json-ld"), mimetype="application/ld+json")


dictionary.add_url_rule("/dictionary", view_func=index)
dictionary.add_url_rule("/dictionary.ttl", view_func=turtle)
dictionary.add_url_rule("/dictionary.jsonld", view_func=jsonld)
dictionary.add_url_rule("/dictionary/code-list/<name>", view_func=code_list)
dictionary.add_url_rule("/dictionary/<name>.schema.json", view_func=concept_json_schema)
dictionary.add_url_rule("/dictionary/<name>.tableschema.json", view_func=concept_table_schema)
dictionary.add_url_rule("/dictionary/<name>", view_func=concept)


def get_blueprints() -> list[Blueprint]:
    return [dictionary]
