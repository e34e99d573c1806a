"""Template helpers: cheap, pure, never raise."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import is_available

__all__ = ["ldeco_search_available", "ldeco_has_value", "ldeco_ecosystem_organisations", "get_available_locales",
           "ldeco_locale_url"]

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


@tk.chained_helper
def get_available_locales(next_helper: Any) -> list[Any]:
    """CKAN's language menu, plus the offered locales that only this
    extension translates (Welsh: CKAN itself ships no cy catalogue, and
    lists only the locales of its own i18n folder)."""
    locales = list(next_helper())
    try:
        import ckanext.ldeco.i18n as catalogues
        from babel import Locale

        have = {str(getattr(loc, "short_name", loc)) for loc in locales}
        folder = Path(catalogues.__path__[0])
        for code in tk.config.get("ckan.locales_offered") or []:
            if code not in have and (folder / code / "LC_MESSAGES" / "ckanext-ldeco.mo").exists():
                locale = Locale.parse(code)
                locale.short_name = code  # type: ignore[attr-defined]  # what CKAN's menu reads
                locale.identifier = code  # type: ignore[attr-defined]
                locales.append(locale)
    except Exception:  # a helper must never break a page
        log.exception("available locales")
    return locales


def ldeco_locale_url(code: str) -> str:
    """This page in locale CODE. CKAN's url_for drops a locale it has no
    catalogue of its own for (cy), so those get their prefix here."""
    from ckan.lib import i18n  # the toolkit has no door to CKAN's own locale list

    try:
        if code in i18n.get_locales():
            return tk.h.url_for(tk.h.current_url(), locale=code)
        plain = tk.h.url_for(tk.h.current_url(), locale="default")
        root = tk.request.script_root or ""
        rest = plain[len(root):] if root and plain.startswith(root) else plain
        return f"{root}/{code}{rest if rest.startswith('/') else '/' + rest}"
    except Exception:  # a helper must never break a page
        log.exception("locale url")
        return f"/{code}/"
