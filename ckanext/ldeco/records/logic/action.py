"""The records API: the rows of every resource that conforms to a concept."""

from __future__ import annotations

import base64
import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import types

from ckanext.ldeco import inputs
from ckanext.ldeco.records import aggregate, derive, search
from ckanext.ldeco.records.logic import schema

__all__ = ["ldeco_records_search", "ldeco_records_aggregate", "ldeco_statistic_create", "ldeco_statistic_derive"]


def _cursor(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(base64.urlsafe_b64decode(text.encode()).decode())
    except ValueError:
        value = None
    # a cursor comes back from the caller: its fields are checked as any other input
    shapes = {"r": str, "a": int, "o": int}
    if not isinstance(value, dict) or any(k not in shapes or type(v) is not shapes[k] for k, v in value.items()):
        raise tk.ValidationError({"cursor": [tk._("Not a cursor this search gave: start again without one")]})
    return value


@tk.side_effect_free
@inputs.action(schema.records_search)
def ldeco_records_search(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Records of a concept across themes and agencies: the rows of every
    DataStore resource conforming to `concept` or a concept below it, read
    through each resource's column map and cast to the properties' datatypes.
    `filters` (property → value, list of values, or {"from", "to"}), `fields`
    (properties; default all), `sort` ("property" or "property desc"),
    `limit` (default 100, at most 1000), `cursor` (from the previous page).
    Returns `records` (each `values` and its `provenance`: dataset, resource,
    organisation, concept), `fields`, `next_cursor`, `withheld` (what the
    caller may not read, counted, with the datasets to request access to),
    `not_granted` (properties a grant left out, by dataset) and `notes`
    (cells that would not cast, by property). Every read of restricted rows
    is audited."""
    limit = min(data_dict["limit"], schema.MAX_LIMIT)
    return search.run(context, data_dict["concept"], data_dict["filters"], data_dict.get("fields"),
                      data_dict.get("sort"), limit, _cursor(data_dict.get("cursor")))


def encode_cursor(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value, sort_keys=True).encode()).decode()


@tk.side_effect_free
@inputs.action(schema.records_aggregate)
def ldeco_records_aggregate(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Counts of a concept's records (and its descendants') for anyone, over
    every conforming resource of a published dataset, restricted ones
    included, under statistical disclosure control. `group_by`: one or two
    of the concept's fixed dimensions (`organisation`, code-list properties,
    `quarter:<date>`); `filters`: values of a dimension
    grouped by. Returns `cells` (each `key`, `count` — null when suppressed
    — and `suppressed`), `total`, the `dimensions` on offer and the `rule`
    applied, stated."""
    ranged = [k for k, v in data_dict["filters"].items() if isinstance(v, dict)]
    if ranged:
        raise tk.ValidationError({"filters": [tk._("Give values, not ranges, for {names}").format(
            names=", ".join(ranged))]})
    return aggregate.run(data_dict["concept"], data_dict["group_by"], data_dict["filters"])


@inputs.action(schema.statistic_create)
def ldeco_statistic_create(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """A derived open statistic in a statistical dataset (`dataset_id`, which
    the caller publishes): records of `concept` counted by `group_by` (one or
    two of its fixed dimensions, as `ldeco_records_aggregate` takes them)
    under the same disclosure control, as a DataStore resource called
    `name` conforming to `record-count`; linked derived_from the datasets
    counted; derived again in the background whenever their tables change.
    Returns the resource."""
    try:
        tk.get_action("package_show")({"ignore_auth": True}, {"id": data_dict["dataset_id"]})
    except tk.ObjectNotFound:
        raise tk.ObjectNotFound(tk._("No dataset {id}").format(id=data_dict["dataset_id"])) from None
    return derive.create(data_dict["dataset_id"], data_dict["concept"], data_dict["group_by"],
                         data_dict["name"])


@inputs.action(schema.statistic_derive)
def ldeco_statistic_derive(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Derive a statistic (`id`, its resource) again now; returns the counts published."""
    answer = derive.derive(data_dict["id"])
    return {"id": data_dict["id"], "cells": len(answer["cells"]), "total": answer["total"], "rule": answer["rule"]}
