"""A DataStore table's columns described from the dictionary: each column a
resource maps to a property gets that property's label and definition in
the DataStore data dictionary (`info`), so previews and the data dictionary
page show "Sessions possible", not `t_sess_possible`. A publisher's own
label or description is never overwritten."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.ldeco.dictionary import queries
from ckanext.ldeco.dictionary.validators import parse_column_map

__all__ = ["describe", "for_resource"]


def describe(fields: list[Any], concept: str | None, column_map: str) -> list[Any]:
    """FIELDS (datastore_create's) with `info` filled where the column maps
    to a property; fields of other shapes are passed on untouched."""
    if not concept or queries.concept(concept) is None:
        return fields
    props = {p["name"]: p for p in queries.effective_properties(concept)}
    served: dict[str, list[dict[str, Any]]] = {}
    for column, prop in parse_column_map(column_map or ""):
        if prop in props:
            served.setdefault(column, []).append(props[prop])
    out = []
    for field in fields:
        if not isinstance(field, dict) or not isinstance(field.get("id"), str) or field["id"] not in served:
            out.append(field)
            continue
        info = dict(field.get("info") or {}) if isinstance(field.get("info") or {}, dict) else None
        if info is None:
            out.append(field)
            continue
        first = served[field["id"]]
        info.setdefault("label", first[0]["label"] or first[0]["name"])
        notes = " ".join(p["definition"] for p in first if p.get("definition"))
        if notes:
            info.setdefault("notes", notes)
        out.append({**field, "info": info})
    return out


def for_resource(data_dict: dict[str, Any]) -> tuple[str | None, str]:
    """The concept and column map of the resource a datastore_create writes:
    the new resource it creates, or the stored one."""
    site = {"ignore_auth": True}
    res = data_dict.get("resource") if isinstance(data_dict.get("resource"), dict) else None
    if res is None:
        try:
            res = tk.get_action("resource_show")(dict(site), {"id": data_dict.get("resource_id")})
        except (tk.ObjectNotFound, tk.ValidationError):
            return None, ""
    concept = res.get("conforms_to")
    if not concept and res.get("package_id"):
        try:
            concept = tk.get_action("package_show")(dict(site), {"id": res["package_id"]}).get("conforms_to")
        except (tk.ObjectNotFound, tk.ValidationError):
            concept = None
    return concept, str(res.get("column_map") or "")
