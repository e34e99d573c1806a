"""The dictionary in the search index.

A dataset that conforms to a concept is indexed with the concept and all its
ancestors in ``vocab_ldeco_concept``: CKAN's stock Solr schema makes every
``vocab_*`` field a multi-valued string, while the catch-all ``*`` (which a
plain ``ldeco_concept`` would land in) is single-valued. Users and the facet
still say ``ldeco_concept``: searches are rewritten to the vocab field before
they reach Solr, and facet results renamed back after. The expansion lives in
the index, so ``fq=ldeco_concept:case`` is one term query.
"""
from __future__ import annotations

import logging
import re
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.ldeco.dictionary import queries

log = logging.getLogger(__name__)

__all__ = ["CONCEPT_FIELD", "INDEX_FIELD", "index_dataset", "before_search", "after_search", "facets",
           "reindex_concepts", "enqueue_reindex"]

CONCEPT_FIELD = "ldeco_concept"
INDEX_FIELD = "vocab_ldeco_concept"
AREA_INDEX_FIELD = "vocab_ldeco_area"
AREA_FIELD = "ldeco_area"
# what users write -> the multi-valued field that holds it in the stock schema
FIELDS = {CONCEPT_FIELD: INDEX_FIELD, AREA_FIELD: AREA_INDEX_FIELD}
_FQ_FIELD = re.compile(r"(^|[\s(+\-!])(ldeco_concept|ldeco_area):")


def index_dataset(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """IPackageController.before_dataset_index: add the concept's ancestry."""
    concept = pkg_dict.get("conforms_to")
    if concept and isinstance(concept, str):
        pkg_dict[INDEX_FIELD] = [concept] + queries.ancestors(concept)
    areas = pkg_dict.get("spatial_gss")
    if areas and isinstance(areas, str):
        pkg_dict[AREA_INDEX_FIELD] = [a for a in areas.split(",") if a]
    return pkg_dict


def _rewrite(value: str) -> str:
    return _FQ_FIELD.sub(lambda m: f"{m.group(1)}{FIELDS[m.group(2)]}:", value)


def before_search(search_params: dict[str, Any]) -> dict[str, Any]:
    for key in ("fq", "q"):
        if isinstance(search_params.get(key), str):
            search_params[key] = _rewrite(search_params[key])
    if isinstance(search_params.get("fq_list"), list):
        search_params["fq_list"] = [_rewrite(f) if isinstance(f, str) else f for f in search_params["fq_list"]]
    fields = search_params.get("facet.field")
    if isinstance(fields, list):
        search_params["facet.field"] = [FIELDS.get(f, f) for f in fields]
    return search_params


def after_search(search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
    for key in ("facets", "search_facets"):
        block = search_results.get(key)
        if isinstance(block, dict):
            for public, indexed in FIELDS.items():
                if indexed in block:
                    block[public] = block.pop(indexed)
    facets_ = search_results.get("search_facets") or {}
    if facets_.get(CONCEPT_FIELD):
        labels = {c.name: c.label for c in queries.concepts()}
        for item in facets_[CONCEPT_FIELD].get("items", []):
            item["display_name"] = labels.get(item["name"], item["name"])
    for field, code_list in (("theme", "lgsl-function"), ("service", "lgsl-service"), (AREA_FIELD, "nw-england-area")):
        for item in (facets_.get(field) or {}).get("items", []):
            found = queries.find_code(code_list, item["name"])
            if found is not None:
                item["display_name"] = found.label
    return search_results


def facets(facets_dict: dict[str, Any]) -> dict[str, Any]:
    facets_dict["layer"] = tk._("Layer")
    facets_dict[CONCEPT_FIELD] = tk._("Concept")
    facets_dict["theme"] = tk._("Theme")
    facets_dict["service"] = tk._("Service")
    facets_dict[AREA_FIELD] = tk._("Area")
    return facets_dict


def reindex_concepts(concepts: list[str]) -> int:
    """Re-index the datasets that declare one of these concepts (job body)."""
    import ckan.model as model  # the session is core's; the toolkit has no door to it
    from ckan.lib.search import rebuild

    if not concepts:
        return 0
    ids = [pid for (pid,) in model.Session.query(model.PackageExtra.package_id).filter(
        model.PackageExtra.key == "conforms_to", model.PackageExtra.value.in_(concepts)).distinct()]
    for n, package_id in enumerate(ids, 1):
        rebuild(package_id)
        if n % 100 == 0:
            log.info("dictionary re-index: %s/%s datasets", n, len(ids))
    log.info("dictionary re-index: %s datasets for %s concepts", len(ids), len(concepts))
    return len(ids)


def enqueue_reindex(concepts: list[str]) -> None:
    if concepts:
        tk.enqueue_job(reindex_concepts, [sorted(concepts)], title="ldeco dictionary re-index",
                       rq_kwargs={"timeout": 3600})
