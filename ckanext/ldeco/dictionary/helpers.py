"""Template helpers of the dictionary: cheap, never raise, no HTML."""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.ldeco.dictionary import queries
from ckanext.ldeco.dictionary.validators import AREA_LIST, FUNCTION_LIST, SERVICE_LIST

log = logging.getLogger(__name__)

__all__ = ["get_helpers"]


def ldeco_concept_choices(field: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """Choices for the conforms-to select: every concept, sub-concepts indented
    under their parent."""
    try:
        rows = queries.concepts()
    except Exception:  # a helper must never break a page
        log.exception("concept choices")
        return []
    tree = {c.name: c.parent for c in rows}
    out = []
    for c in sorted(rows, key=lambda c: [a for a in reversed(queries.ancestors(c.name, tree))] + [c.name]):
        depth = len(queries.ancestors(c.name, tree))
        out.append({"value": c.name, "label": f"{'— ' * depth}{c.label} ({c.name})"})
    return out


def ldeco_function_choices(field: dict[str, Any] | None = None) -> list[dict[str, str]]:
    try:
        items = queries.code_items(FUNCTION_LIST)
    except Exception:  # a helper must never break a page
        log.exception("function choices")
        return []
    return [{"value": i.uri or i.code, "label": f"{'— ' if i.broader else ''}{i.label}"} for i in items]


def ldeco_concept_label(name: str | None) -> str:
    try:
        c = queries.concept(name) if name else None
        return c.label if c else (name or "")
    except Exception:  # a helper must never break a page
        return name or ""


def ldeco_code_label(field_name: str, value: str | None) -> str:
    """The label of a stored theme, service or area value."""
    lists = {"theme": FUNCTION_LIST, "service": SERVICE_LIST, "spatial_gss": AREA_LIST, "area": AREA_LIST}
    try:
        item = queries.find_code(lists.get(field_name, ""), value or "")
        return item.label if item else (value or "")
    except Exception:  # a helper must never break a page
        return value or ""


def ldeco_area_labels(value: str | None) -> list[dict[str, str]]:
    out = []
    for code in (value or "").split(","):
        if code:
            out.append({"code": code, "label": ldeco_code_label("area", code)})
    return out


def ldeco_concept_properties(name: str | None) -> list[dict[str, Any]]:
    """The concept's own and inherited properties ([] for no or an unknown concept)."""
    try:
        return queries.effective_properties(name) if name and queries.concept(name) else []
    except Exception:  # a helper must never break a page
        log.exception("concept properties")
        return []


def ldeco_quality_report(resource_id: str | None) -> dict[str, Any] | None:
    """The quality report of a resource as the current user may see it
    (through ldeco_quality_show), or None."""
    if not resource_id:
        return None
    try:
        context = {"user": tk.current_user.name, "auth_user_obj": tk.current_user}
        return tk.get_action("ldeco_quality_show")(context, {"id": resource_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    except Exception:  # a helper must never break a page
        log.exception("quality report")
        return None


def ldeco_dataset_concept(package_id: str | None) -> str:
    """The concept a dataset (name or id) declares, or ""."""
    import ckan.model as model  # the session is core's; the toolkit has no door to it

    try:
        pkg = model.Package.get(package_id) if package_id else None
        return (pkg.extras.get("conforms_to") or "") if pkg else ""
    except Exception:  # a helper must never break a page
        log.exception("dataset concept")
        return ""


def get_helpers() -> dict[str, Any]:
    return {
        f.__name__: f
        for f in (
            ldeco_dataset_concept,
            ldeco_quality_report,
            ldeco_concept_properties,
            ldeco_concept_choices,
            ldeco_function_choices,
            ldeco_concept_label,
            ldeco_code_label,
            ldeco_area_labels,
        )
    }
