"""A derived statistic as an RDF Data Cube: `/dataset/<id>/resource/<resource_id>/cube.ttl`.

The table becomes a qb:DataSet whose structure is its concept's
(`record-count#structure` in the dictionary's export); each row is a
qb:Observation with its dimensions, the count as its measure, and a
suppressed count marked with the `c` of the statistical-marker code list
instead of a number."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, QB, RDF, RDFS, XSD

from ckanext.ldeco.dictionary import queries
from ckanext.ldeco.gating import service
from ckanext.ldeco.records import derive

__all__ = ["get_blueprints"]

records = Blueprint("ldeco_records", __name__)


def _dictionary() -> str:
    return tk.config.get("ckan.site_url", "").rstrip("/") + "/dictionary"


def cube(id: str, resource_id: str) -> Response:
    who = {"user": getattr(tk.current_user, "name", None) or ""}
    try:
        decision, pkg, stored = service.authorise(dict(who), resource_id)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Resource not found"))
    if not decision.allowed:
        return tk.abort(403, decision.reason)
    site = {"ignore_auth": True}
    res = tk.get_action("resource_show")(dict(site), {"id": resource_id})
    if derive.definition(res) is None or id not in (pkg["id"], pkg["name"]):
        return tk.abort(404, tk._("This resource is not a derived statistic"))
    rows = tk.get_action("datastore_search")(dict(site), {"resource_id": resource_id, "limit": 32000})
    service.record("cube", decision, pkg, stored, dict(who))
    return Response(_graph(pkg, res, rows).serialize(format="turtle"), mimetype="text/turtle")


def _graph(pkg: dict[str, Any], res: dict[str, Any], rows: dict[str, Any]) -> Graph:
    concept = queries.concept(res.get("conforms_to") or derive.CONCEPT)
    base = URIRef(tk.url_for("resource.read", id=pkg["name"], resource_id=res["id"], _external=True))
    structure = URIRef(f"{concept.uri}#structure") if concept else None
    prop = Namespace(f"{concept.uri}#") if concept else Namespace(f"{_dictionary()}/record-count#")
    mapping = {}
    for line in (res.get("column_map") or "").splitlines():
        column, _, props = line.partition("=")
        mapping[column.strip()] = props.split(",")[0].strip()
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
    for i, row in enumerate(rows["records"], 1):
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


records.add_url_rule("/dataset/<id>/resource/<resource_id>/cube.ttl", view_func=cube)


def get_blueprints() -> list[Blueprint]:
    return [records]
