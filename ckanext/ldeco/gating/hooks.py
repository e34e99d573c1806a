"""The access capability's part of the dataset lifecycle hooks."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.ldeco.gating.decision import may_edit
from ckanext.ldeco.gating.redact import SEARCH_FIELDS, redact_package, sanitise_index

__all__ = ["after_dataset_show", "before_dataset_index", "before_dataset_search"]


def after_dataset_show(context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
    # Never for someone who may update the dataset, nor for internal calls
    # (ignore_auth): update flows read the dataset through package_show and
    # would write the redacted link back. What internal calls hand on to the
    # index is cleaned in before_dataset_index.
    if context.get("ignore_auth") or may_edit(context.get("user") or None, pkg_dict):
        return
    redact_package(pkg_dict)


def before_dataset_index(index_dict: dict[str, Any]) -> dict[str, Any]:
    return sanitise_index(index_dict)


def before_dataset_search(search_params: dict[str, Any]) -> dict[str, Any]:
    fl = search_params.get("fl")
    if fl:
        asked = fl.split() if isinstance(fl, str) else list(fl)
        asked = [f for part in asked for f in part.split(",") if f]
        refused = [f for f in asked if f not in SEARCH_FIELDS]
        if refused:
            raise tk.ValidationError({"fl": [tk._("These fields cannot be requested: {fields}").format(
                fields=", ".join(refused))]})
    return search_params
