"""Pages of the records capability.

`/dictionary/<name>/records`: the records of a concept across themes that
the viewer may read (`ldeco_records_search`, so through the gating door and
audited), filtered by the concept's code lists, as a table or CSV; what is
withheld, counted, with the datasets to ask; and for everyone the protected
counts by organisation (`ldeco_records_aggregate`).

A derived statistic as an RDF Data Cube: `/dataset/<id>/resource/<resource_id>/cube.ttl`.

The table becomes a qb:DataSet whose structure is its concept's
(`record-count#structure` in the dictionary's export); each row is a
qb:Observation with its dimensions, the count as its measure, and a
suppressed count marked with the `c` of the statistical-marker code list
instead of a number."""

from __future__ import annotations

import csv
import io
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, request
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, QB, RDF, RDFS, XSD

from ckanext.ldeco.dictionary import queries
from ckanext.ldeco.dictionary.validators import parse_column_map
from ckanext.ldeco.gating import service
from ckanext.ldeco.records import aggregate, derive

__all__ = ["get_blueprints"]

records = Blueprint("ldeco_records", __name__)


def _dictionary() -> str:
    return tk.config.get("ckan.site_url", "").rstrip("/") + "/dictionary"


def _context() -> dict[str, Any]:
    return {"user": getattr(tk.current_user, "name", None) or ""}


def cube(id: str, resource_id: str) -> Response:
    try:
        decision, pkg, stored = service.authorise(_context(), resource_id)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Resource not found"))
    if not decision.allowed:
        return tk.abort(403, decision.reason)
    site = {"ignore_auth": True}
    res = tk.get_action("resource_show")(dict(site), {"id": resource_id})
    if derive.definition(res) is None or id not in (pkg["id"], pkg["name"]):
        return tk.abort(404, tk._("This resource is not a derived statistic"))
    service.record("cube", decision, pkg, stored, _context())
    return Response(_graph(pkg, res, _rows(resource_id)).serialize(format="turtle"), mimetype="text/turtle")


def _rows(resource_id: str) -> list[dict[str, Any]]:
    """Every row of the table, a page at a time (core caps one search)."""
    rows: list[dict[str, Any]] = []
    while True:
        page = tk.get_action("datastore_search")({"ignore_auth": True}, {
            "resource_id": resource_id, "limit": 1000, "offset": len(rows), "sort": "_id"})["records"]
        rows += page
        if len(page) < 1000:
            return rows


def _graph(pkg: dict[str, Any], res: dict[str, Any], rows: list[dict[str, Any]]) -> Graph:
    concept = queries.concept(res.get("conforms_to") or derive.CONCEPT)
    base = URIRef(tk.url_for("resource.read", id=pkg["name"], resource_id=res["id"], _external=True))
    structure = URIRef(f"{concept.uri}#structure") if concept else None
    prop = Namespace(f"{concept.uri}#") if concept else Namespace(f"{_dictionary()}/record-count#")
    mapping: dict[str, str] = {}
    for column, name in parse_column_map(res.get("column_map") or ""):
        mapping.setdefault(column, name)
    g = Graph()
    g.bind("qb", QB)
    g.bind("dct", DCTERMS)
    dataset = URIRef(f"{base}#cube")
    g.add((dataset, RDF.type, QB.DataSet))
    g.add((dataset, RDFS.label, Literal(res.get("name") or res["id"], lang="en")))
    g.add((dataset, DCTERMS.description, Literal(res.get("description") or "", lang="en")))
    if structure is not None:
        g.add((dataset, QB.structure, structure))
    marker = URIRef(f"{_dictionary()}/code-list/statistical-marker/{derive.SUPPRESSED}")
    for i, row in enumerate(rows, 1):
        obs = URIRef(f"{base}#obs-{i}")
        g.add((obs, RDF.type, QB.Observation))
        g.add((obs, QB.dataSet, dataset))
        for column, value in row.items():
            if column.startswith("_"):
                continue
            target = prop[mapping[column]] if column in mapping else URIRef(f"{base}#{column}")
            if column == "count":
                if value == derive.SUPPRESSED:  # no number: the figure's status says why
                    g.add((obs, prop["status"], marker))
                else:
                    g.add((obs, target, Literal(int(value), datatype=XSD.integer)))
            else:
                g.add((obs, target, Literal(value)))
    return g


CSV_MAX = 10_000  # rows in one CSV download; past it, narrow the filters
PAGE = 50


def records_page(name: str) -> Any:
    concept = queries.concept(name)
    if concept is None:
        return tk.abort(404, tk._("No concept {id} in the data dictionary").format(id=name))
    props = queries.effective_properties(name)
    choosable = [p for p in props
                 if p.get("code_list") and queries.code_count(p["code_list"]) <= aggregate.MAX_CODES]
    filters = {p["name"]: request.args.getlist(p["name"]) for p in choosable if request.args.getlist(p["name"])}
    search = tk.get_action("ldeco_records_search")
    try:
        if request.args.get("format") == "csv":
            return _csv(search, name, props, filters)
        found = search(_context(), {"concept": name, "filters": filters, "limit": PAGE,
                                    **({"cursor": request.args["cursor"]} if request.args.get("cursor") else {})})
    except tk.ValidationError as err:
        return tk.abort(409, "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in err.error_dict.items()))
    counts = tk.get_action("ldeco_records_aggregate")(_context(), {"concept": name, "group_by": ["organisation"]})
    largest = max([c["count"] or 0 for c in counts["cells"]] or [0]) or 1
    next_args = {k: v for k, v in request.args.lists()} | {"cursor": found["next_cursor"]}
    # columns that hold something on this page (a theme maps only some of a concept's properties)
    shown = [p for p in props if any(r["values"].get(p["name"]) not in (None, "") for r in found["records"])]
    return tk.render("ldeco/records/records.html", {
        "concept": concept, "props": shown or props, "choosable": choosable, "filters": filters, "found": found,
        "counts": counts, "largest": largest,
        "codes": {p["code_list"]: queries.code_items(p["code_list"]) for p in choosable},
        "next_url": tk.url_for("ldeco_records.records_page", name=name, **next_args) if found["next_cursor"] else None,
        "csv_url": tk.url_for("ldeco_records.records_page", name=name, format="csv",
                              **{k: v for k, v in request.args.lists() if k not in ("cursor", "format")}),
    })


def _csv(search: Any, name: str, props: list[dict[str, Any]], filters: dict[str, list[str]]) -> Response:
    """Exactly the rows the page shows, every page of them (up to CSV_MAX)."""
    out = io.StringIO()
    names = [p["name"] for p in props]
    writer = csv.writer(out)
    writer.writerow([*names, "organisation", "dataset", "concept"])
    cursor, written = None, 0
    while written < CSV_MAX:
        found = search(_context(), {"concept": name, "filters": filters, "limit": min(1000, CSV_MAX - written),
                                    **({"cursor": cursor} if cursor else {})})
        for record in found["records"]:
            prov = record["provenance"]
            writer.writerow([record["values"].get(n, "") for n in names]
                            + [prov["organization"], prov["dataset"], prov["concept"]])
            written += 1
        cursor = found["next_cursor"]
        if not cursor:
            break
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}-records.csv"'})


records.add_url_rule("/dictionary/<name>/records", view_func=records_page)
records.add_url_rule("/dataset/<id>/resource/<resource_id>/cube.ttl", view_func=cube)


def get_blueprints() -> list[Blueprint]:
    return [records]
