"""Template helpers of the dictionary: cheap, never raise, no HTML."""
from __future__ import annotations

import logging
from typing import Any

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


def get_helpers() -> dict[str, Any]:
    return {f.__name__: f for f in (ldeco_concept_choices, ldeco_function_choices, ldeco_concept_label,
                                     ldeco_code_label, ldeco_area_labels)}
