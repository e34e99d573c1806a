"""The organisation type facet on /dataset.

A dataset is indexed with its organisation's type (an organisation field,
not a dataset one), so that people can narrow the catalogue to, say, county
councils or police forces. When an organisation's type changes, a background
job re-indexes its datasets.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk

__all__ = [
    "ORG_TYPE_FIELD",
    "index_dataset",
    "facets",
    "after_search",
    "organisation_changed",
    "reindex_organisation",
]

log = logging.getLogger(__name__)

ORG_TYPE_FIELD = "ldeco_organisation_type"


def _organisation_type(org_id: str) -> str:
    import ckan.model as model  # the group's extras: the toolkit has no cheaper door at index time

    group = model.Group.get(org_id) if org_id else None
    if group is None:
        return ""
    return (group.extras or {}).get("organisation_type") or ""


def index_dataset(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """IPackageController.before_dataset_index: add the owner's organisation type."""
    org_type = _organisation_type(pkg_dict.get("owner_org") or "")
    if org_type:
        pkg_dict[ORG_TYPE_FIELD] = org_type
    else:
        pkg_dict.pop(ORG_TYPE_FIELD, None)
    return pkg_dict


def facets(facets_dict: dict[str, Any]) -> dict[str, Any]:
    facets_dict[ORG_TYPE_FIELD] = tk._("Organisation type")
    return facets_dict


def after_search(search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
    """Access levels shown as words people read, not stored values."""
    levels = {"open": tk._("Open"), "restricted": tk._("Restricted")}
    for item in ((search_results.get("search_facets") or {}).get("access_level") or {}).get("items", []):
        item["display_name"] = levels.get(item["name"], item["display_name"])
    return search_results


def organisation_changed(org_id: str) -> None:
    """After an organisation is updated: if the index disagrees with its type,
    re-index its datasets in the background."""
    org_type = _organisation_type(org_id)
    fq = f'+owner_org:"{org_id}"'
    if org_type:
        escaped = org_type.replace("\\", "\\\\").replace('"', '\\"')
        fq += f' -{ORG_TYPE_FIELD}:"{escaped}"'
    else:
        fq += f" +{ORG_TYPE_FIELD}:[* TO *]"
    stale = tk.get_action("package_search")(
        {"ignore_auth": True}, {"fq": fq, "rows": 0, "include_private": True}
    )["count"]
    if stale:
        tk.enqueue_job(
            reindex_organisation,
            [org_id, org_type],
            title="ldeco organisation type re-index",
            rq_kwargs={"timeout": 3600},
        )


def reindex_organisation(org_id: str, org_type: str | None = None, wait: float = 30.0) -> int:
    """Re-index every dataset of an organisation (job body). The job is queued
    before the organisation's update commits: wait (a little) to see the type
    it was queued for."""
    import time

    import ckan.model as model
    from ckan.lib.search import rebuild

    deadline = time.monotonic() + wait
    while org_type is not None and _organisation_type(org_id) != org_type and time.monotonic() < deadline:
        model.Session.remove()
        time.sleep(0.5)
    ids = [
        pid
        for (pid,) in model.Session.query(model.Package.id).filter(
            model.Package.owner_org == org_id, model.Package.state != "deleted"
        )
    ]
    for n, package_id in enumerate(ids, 1):
        rebuild(package_id)
        if n % 100 == 0:
            log.info("organisation type re-index: %s/%s datasets", n, len(ids))
    log.info("organisation type re-index: %s datasets of %s", len(ids), org_id)
    return len(ids)
