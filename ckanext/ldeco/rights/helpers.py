"""Template helpers of the rights capability: cheap, pure, never raise."""

from __future__ import annotations

from typing import Any

from ckanext.ldeco.rights import access

__all__ = ["ldeco_has_restricted", "ldeco_resource_access_level", "get_helpers"]


def ldeco_has_restricted(pkg_dict: dict[str, Any]) -> bool:
    """Whether the dataset or any of its resources is restricted."""
    try:
        return access.dataset_level(pkg_dict) == "restricted" or any(
            access.resource_level(pkg_dict, r) == "restricted" for r in pkg_dict.get("resources") or []
        )
    except Exception:  # a helper must never break a page
        return False


def ldeco_resource_access_level(pkg_dict: dict[str, Any], resource: dict[str, Any]) -> str:
    try:
        return access.resource_level(pkg_dict, resource)
    except Exception:
        return "open"


def get_helpers() -> dict[str, Any]:
    return {
        "ldeco_has_restricted": ldeco_has_restricted,
        "ldeco_resource_access_level": ldeco_resource_access_level,
    }
