"""Template helpers: cheap, pure, never raise."""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import is_available

__all__ = ["ldeco_search_available", "ldeco_has_value", "ldeco_ecosystem_organisations"]

log = logging.getLogger(__name__)


def ldeco_search_available() -> bool:
    """Whether the search index answers (asked only when a search has failed)."""
    try:
        return bool(is_available())
    except Exception:  # a helper must never break a page
        return False


def ldeco_has_value(value: Any) -> bool:
    """Whether a field has something to show: not None, blank, or empty, and
    for repeating subfields at least one entry with a value of its own."""
    if isinstance(value, dict):
        return any(ldeco_has_value(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(ldeco_has_value(v) for v in value)
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None


def ldeco_ecosystem_organisations() -> list[dict[str, Any]]:
    """The organisations of the ecosystem by kind of agency, in the order of
    the organisation schema's kinds: [{kind, label, organisations}], each
    organisation with name, title and package_count. Empty kinds are left out."""
    try:
        from ckanext.scheming.helpers import scheming_get_organization_schema

        schema = scheming_get_organization_schema("organization") or {}
        field: dict[str, Any] = next((f for f in schema.get("fields", []) if f["field_name"] == "agency_kind"), {})
        kinds = [(c["value"], c["label"]) for c in field.get("choices", [])]
        orgs = tk.get_action("organization_list")(
            {}, {"all_fields": True, "include_extras": True, "include_dataset_count": True, "limit": 1000}
        )
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for org in orgs:
            by_kind.setdefault(org.get("agency_kind") or "other", []).append(
                {"name": org["name"], "title": org.get("title") or org["name"],
                 "package_count": org.get("package_count", 0)})
        known = {value for value, _label in kinds}
        kinds += [(k, k) for k in sorted(by_kind) if k not in known]
        return [{"kind": value, "label": tk._(label), "organisations": sorted(by_kind[value], key=lambda o: o["title"])}
                for value, label in kinds if by_kind.get(value)]
    except Exception:  # a helper must never break a page
        log.exception("ecosystem organisations")
        return []
