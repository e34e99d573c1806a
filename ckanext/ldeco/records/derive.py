"""Derived open statistics: a count a publisher defines once (a concept and
one or two of its fixed dimensions) and the portal keeps as an open
DataStore table of a statistical dataset, computed under the same
disclosure control as `ldeco_records_aggregate` (a suppressed count reads
`c`, the official statistics' marker for a confidential figure). The table
conforms to the statistical concept `record-count`, is linked `derived_from`
the datasets it counts, and is derived again by a background job whenever
one of their tables is written."""

from __future__ import annotations

import json
import logging
from typing import Any

import ckan.model as model  # the resources that hold a definition; the toolkit has no door to the rows
import ckan.plugins.toolkit as tk
import sqlalchemy as sa

from ckanext.ldeco.records import aggregate

__all__ = ["CONCEPT", "SUPPRESSED", "create", "derive", "derive_job", "table_written", "definition"]

log = logging.getLogger(__name__)

CONCEPT = "record-count"  # the statistical concept every derived table conforms to
SUPPRESSED = "c"  # the marker of a suppressed count (core's statistical-marker list)
MAX_SOURCES_LINKED = 20  # derived_from links written on the dataset; the rest are named in the description
_KEY = "ldeco_statistic"


def _site() -> dict[str, Any]:
    return {"ignore_auth": True, "user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}


def definition(resource: dict[str, Any]) -> dict[str, Any] | None:
    try:
        value = json.loads(resource.get(_KEY) or "null")
    except ValueError:
        return None
    return value if isinstance(value, dict) and value.get("concept") and value.get("group_by") else None


def _label(concept: str) -> str:
    from ckanext.ldeco.dictionary import queries

    found = queries.concept(concept)
    return found.label if found else concept


def _column(dim: str) -> str:
    return dim.replace(":", "_")


def _column_map(dims: list[aggregate.Dimension]) -> str:
    lines, category = [], False
    for d in dims:
        if d.kind == "organisation":
            lines.append(f"{_column(d.name)} = organisation")
        elif d.kind == "quarter":
            lines.append(f"{_column(d.name)} = period")
        elif not category:  # one code dimension is the table's category; a second stays unmapped
            lines.append(f"{_column(d.name)} = category")
            category = True
    lines.append("count = count")
    return "\n".join(lines)


def _table(answer: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    labels = {d["name"]: d["label"] for d in answer["dimensions"]}
    fields = [{"id": _column(g), "type": "text", "info": {"label": labels[g]}} for g in answer["group_by"]]
    fields.append({"id": "count", "type": "text", "info": {
        "label": tk._("Records"),
        "notes": tk._('A count of records; "{c}" where it is suppressed to protect the people counted.').format(
            c=SUPPRESSED)}})
    records = [{**{_column(g): cell["key"][g] for g in answer["group_by"]},
                "count": SUPPRESSED if cell["suppressed"] else str(cell["count"])} for cell in answer["cells"]]
    return fields, records


def derive(resource_id: str) -> dict[str, Any]:
    """Compute the statistic again and replace the table's rows; returns the answer."""
    site = _site()
    res = tk.get_action("resource_show")(dict(site), {"id": resource_id})
    spec = definition(res)
    if spec is None:
        raise tk.ValidationError({"id": [tk._("This resource is not a derived statistic")]})
    answer = aggregate.run(spec["concept"], spec["group_by"], {})
    fields, records = _table(answer)
    if res.get("datastore_active"):
        tk.get_action("datastore_delete")(dict(site), {"resource_id": resource_id, "force": True})
    tk.get_action("datastore_create")(dict(site), {"resource_id": resource_id, "force": True, "fields": fields,
                                                   "records": records})
    return answer


def derive_job(resource_id: str) -> None:
    try:
        derive(resource_id)
    except (tk.ObjectNotFound, tk.ValidationError) as err:  # gone, or no longer a statistic
        log.info("derived statistic %s not derived again: %s", resource_id, err)


def create(dataset_id: str, concept: str, group_by: list[str], name: str,
           extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The statistic as a new resource of the dataset, derived at once; the
    caller has been authorised (the action) or is the site (the demo)."""
    site = _site()
    pkg = tk.get_action("package_show")(dict(site), {"id": dataset_id})
    if pkg.get("layer") != "statistical":
        raise tk.ValidationError({"dataset_id": [tk._(
            "A derived statistic is published in a statistical dataset; {name} is not one").format(
                name=pkg["name"])]})
    answer = aggregate.run(concept, group_by, {})  # refuses an unknown concept or dimension before anything is written
    dims = {d.name: d for d in aggregate.dimensions(concept)}
    statement = answer["rule"]["statement"]
    res = tk.get_action("resource_create")(dict(site), {
        "package_id": pkg["id"], "name": name, "format": "CSV", "url": "_datastore_only_resource",
        "url_type": "datastore", "access_level": "open", "conforms_to": CONCEPT,
        "column_map": _column_map([dims[g] for g in group_by]),
        "description": tk._("Records of {concept} counted by {dims}, from every agency's conforming data, and derived "
                            "again whenever that data changes. {rule}").format(
                                concept=_label(concept), dims=tk._(" and ").join(dims[g].label for g in group_by),
                                rule=statement),
        _KEY: json.dumps({"concept": concept, "group_by": group_by}),
        **(extra or {}),
    })
    derive(res["id"])
    # the table preview, now that there is a table (it had none when created)
    tk.get_action("resource_create_default_resource_views")(dict(site), {
        "resource": tk.get_action("resource_show")(dict(site), {"id": res["id"]}), "package": pkg,
        "create_datastore_views": True})
    _link_sources(site, pkg, concept)
    return tk.get_action("resource_show")(dict(site), {"id": res["id"]})


def _link_sources(site: dict[str, Any], pkg: dict[str, Any], concept: str) -> None:
    """derived_from links to the datasets counted (operational ones: the thread's rule)."""
    have = {(t.get("role"), t.get("dataset")) for t in pkg.get("thread") or []}
    thread = list(pkg.get("thread") or [])
    names = []
    for source in aggregate.sources(concept):
        if source.dataset_name not in names:
            names.append(source.dataset_name)
    layers = {p.name: p.extras.get("layer") for p in model.Session.query(model.Package).filter(
        model.Package.name.in_(names))} if names else {}
    for name in names[:MAX_SOURCES_LINKED]:
        if layers.get(name) == "operational" and ("derived_from", name) not in have:
            thread.append({"role": "derived_from", "dataset": name})
    if len(thread) != len(pkg.get("thread") or []):
        tk.get_action("package_patch")(dict(site), {"id": pkg["id"], "thread": thread})


_STATISTICS = sa.text("""
    SELECT r.id, r.extras FROM resource r JOIN package p ON p.id = r.package_id
     WHERE r.state = 'active' AND p.state = 'active' AND r.extras LIKE '%ldeco_statistic%'""")


def table_written(resource_id: str, **_: Any) -> None:
    """A DataStore table was written: every statistic that counts it is
    derived again, in the background."""
    counted: dict[str, bool] = {}  # concept -> does it count this table (one sources scan each)
    for row in model.Session.execute(_STATISTICS):
        spec = definition(json.loads(row.extras or "{}"))
        if spec is None or row.id == resource_id:
            continue
        concept = spec["concept"]
        if concept not in counted:
            counted[concept] = resource_id in {s.resource_id for s in aggregate.sources(concept)}
        if counted[concept]:
            tk.enqueue_job(derive_job, [row.id], title=f"ldeco derive statistic {row.id}")
