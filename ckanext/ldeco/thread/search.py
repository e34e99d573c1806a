"""The thread in the search index: the names a dataset's links point at."""

from __future__ import annotations

from typing import Any

from ckanext.ldeco.thread.links import INDEX_FIELD, links_of

__all__ = ["index_dataset"]


def index_dataset(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """IPackageController.before_dataset_index: index the link targets."""
    targets = sorted({target for _role, target in links_of(pkg_dict)})
    if targets:
        pkg_dict[INDEX_FIELD] = targets
    return pkg_dict
