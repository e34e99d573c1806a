"""Template helpers: cheap, pure, never raise."""
from __future__ import annotations

from ckan.lib.search.common import is_available

__all__ = ["ldeco_search_available"]


def ldeco_search_available() -> bool:
    """Whether the search index answers (asked only when a search has failed)."""
    try:
        return bool(is_available())
    except Exception:  # a helper must never break a page
        return False
