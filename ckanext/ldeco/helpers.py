"""Template helpers: cheap, pure, never raise."""
from __future__ import annotations

from typing import Any

from ckan.lib.search.common import is_available

__all__ = ["ldeco_search_available", "ldeco_has_value"]


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
