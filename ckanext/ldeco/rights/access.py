"""Access levels: what the index and the facets learn about gating.

Only the level itself is indexed ("open" or "restricted"); who may read a
restricted resource lives in our grant tables, never in dataset or resource
fields, which the index stores and returns.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk

__all__ = ["LEVELS", "dataset_level", "resource_level", "before_dataset_index", "dataset_facets"]

LEVELS = ("open", "restricted")


def dataset_level(pkg: dict[str, Any]) -> str:
    level = pkg.get("access_level")
    return level if level in LEVELS else "open"


def resource_level(pkg: dict[str, Any], resource: dict[str, Any]) -> str:
    """A resource's own level when it sets one, else its dataset's."""
    level = resource.get("access_level")
    return level if level in LEVELS else dataset_level(pkg)


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Index the dataset's access level (open when unset), and whether any of
    its resources is restricted, so that search can filter on both."""
    try:
        validated = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    except ValueError:
        validated = {}
    level = dataset_level(validated or pkg_dict)
    pkg_dict["access_level"] = level
    resources = validated.get("resources") or []
    pkg_dict["ldeco_has_restricted"] = str(
        level == "restricted" or any(resource_level(validated, r) == "restricted" for r in resources)
    ).lower()
    return pkg_dict


def dataset_facets(facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
    facets_dict["access_level"] = tk._("Access")
    return facets_dict
