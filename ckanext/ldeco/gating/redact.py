"""A second line behind gating/secrets.py, which keeps restricted links out of
core's tables: should one reach them anyway (a row written around the
session), it is still replaced by its gated route in answers and before
indexing. And what package_search may return when a caller names `fl`."""
from __future__ import annotations

import json
from typing import Any

from ckanext.ldeco.gating.secrets import gated_route, is_gated, is_secret

__all__ = ["redact_package", "sanitise_index", "SEARCH_FIELDS"]

# What package_search may return when a caller names `fl`: everything a
# client may legitimately want, nothing the index stores only for searching.
SEARCH_FIELDS = frozenset({
    "id", "name", "title", "notes", "state", "type", "owner_org", "organization", "private",
    "license_id", "license_title", "metadata_created", "metadata_modified", "tags", "groups",
    "num_resources", "num_tags", "res_format", "res_name", "res_description", "layer",
    "access_level", "ldeco_concept", "capacity", "site_id", "index_id", "entity_type",
    "dataset_type", "author", "maintainer", "url", "version", "score",
})


def _escaped(pkg: dict[str, Any], res: dict[str, Any]) -> bool:
    return is_secret(pkg, res) and bool(res.get("url")) and not is_gated(res["url"], res.get("id"))


def redact_package(pkg: dict[str, Any]) -> dict[str, Any]:
    """Replace the location of every restricted link with its gated route (in place)."""
    for res in pkg.get("resources") or []:
        if _escaped(pkg, res):
            res["url"] = gated_route(pkg["id"], res["id"])
    return pkg


def sanitise_index(index_dict: dict[str, Any]) -> dict[str, Any]:
    """What reaches Solr: no restricted link in any field — the stored dataset
    copies, the URL lists and the free text alike."""
    raw = index_dict.get("validated_data_dict")
    if not raw:
        return index_dict
    stored = json.loads(raw)
    swap = {r["url"]: gated_route(stored["id"], r["id"]) for r in stored.get("resources") or [] if _escaped(stored, r)}
    if not swap:
        return index_dict

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            for secret, gated in swap.items():
                value = value.replace(secret, gated)
            return value
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    for key, value in list(index_dict.items()):
        index_dict[key] = clean(value)
    return index_dict
