"""Reading a dataset's links, as stored by the dataset schema's ``thread`` field."""

from __future__ import annotations

from typing import Any

from ckanext.ldeco.thread.roles import ROLES

__all__ = ["FIELD", "INDEX_FIELD", "links_of"]

FIELD = "thread"
# every dataset a link names, so that the datasets linking *to* one are one
# term query away (a vocab_* field is multi-valued in CKAN's stock schema)
INDEX_FIELD = "vocab_ldeco_thread_target"


def links_of(pkg_dict: dict[str, Any]) -> list[tuple[str, str]]:
    """The dataset's (role, target name) pairs; anything malformed is skipped."""
    value = pkg_dict.get(FIELD)
    if not isinstance(value, list):
        return []
    out = []
    for item in value:
        if not isinstance(item, dict):
            continue
        role, target = item.get("role"), item.get("dataset")
        if role in ROLES and isinstance(target, str) and target:
            out.append((role, target))
    return out
