"""The dictionary in standard shapes: SKOS + RDFS/OWL + SHACL (one graph,
serialised as Turtle or JSON-LD), and per concept a JSON Schema and a
Frictionless Table Schema."""

from __future__ import annotations

from typing import Any

import ckan.model as model  # the session is core's; the toolkit has no door to it
import ckan.plugins.toolkit as tk
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, QB, RDF, RDFS, SH, SKOS, XSD

from ckanext.ldeco.dictionary import model as dm
from ckanext.ldeco.dictionary import queries

__all__ = ["graph", "json_schema", "table_schema"]

XSD_TYPES = {
    "string": XSD.string,
    "integer": XSD.integer,
    "decimal": XSD.decimal,
    "boolean": XSD.boolean,
    "date": XSD.date,
    "datetime": XSD.dateTime,
    "uri": XSD.anyURI,
}


def _base() -> str:
    return tk.config.get("ckan.site_url", "").rstrip("/") + "/dictionary"


def _list_uri(code_list: str) -> URIRef:
    return URIRef(f"{_base()}/code-list/{code_list}")


def _item_uri(item: dm.CodeItem) -> URIRef:
    return URIRef(item.uri or f"{_base()}/code-list/{item.code_list}/{item.code}")


def _property_uri(concept_uri: str, name: str) -> URIRef:
    return URIRef(f"{concept_uri}#{name}")


def graph() -> Graph:
    g = Graph()
    ldeco = Namespace(_base() + "#")
    g.bind("skos", SKOS)
    g.bind("sh", SH)
    g.bind("owl", OWL)
    g.bind("dct", DCTERMS)
    g.bind("ldeco", ldeco)
    scheme = URIRef(_base())
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, DCTERMS.title, Literal(tk._("Data dictionary of the local data ecosystem"), lang="en")))
    concepts = {c.name: c for c in queries.concepts()}
    for c in concepts.values():
        node = URIRef(c.uri)
        for t in (OWL.Class, RDFS.Class, SKOS.Concept):
            g.add((node, RDF.type, t))
        g.add((node, SKOS.prefLabel, Literal(c.label, lang="en")))
        g.add((node, RDFS.label, Literal(c.label, lang="en")))
        g.add((node, SKOS.notation, Literal(c.name)))
        if c.definition:
            g.add((node, SKOS.definition, Literal(c.definition, lang="en")))
        g.add((node, SKOS.inScheme, scheme))
        g.add((node, ldeco.layer, Literal(c.layer)))
        g.add((node, ldeco.pack, Literal(c.pack)))
        g.add((node, OWL.versionInfo, Literal(str(c.version))))
        if c.parent and c.parent in concepts:
            parent = URIRef(concepts[c.parent].uri)
            g.add((node, RDFS.subClassOf, parent))
            g.add((node, SKOS.broader, parent))
        else:
            g.add((node, SKOS.topConceptOf, scheme))
        shape = URIRef(f"{c.uri}#shape")
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, SH.targetClass, node))
        for p in queries.effective_properties(c.name):
            declared = concepts.get(p["declared_on"])
            prop = _property_uri(declared.uri if declared else c.uri, p["name"])
            if p["declared_on"] == c.name:
                kind = OWL.ObjectProperty if (p["range_concept"] or p["code_list"]) else OWL.DatatypeProperty
                g.add((prop, RDF.type, kind))
                g.add((prop, RDFS.label, Literal(p["label"], lang="en")))
                if p["definition"]:
                    g.add((prop, SKOS.definition, Literal(p["definition"], lang="en")))
                g.add((prop, RDFS.domain, node))
            ps = BNode()
            g.add((shape, SH.property, ps))
            g.add((ps, SH.path, prop))
            g.add((ps, SH.name, Literal(p["label"], lang="en")))
            g.add((ps, SH.maxCount, Literal(1)))
            if p["required"]:
                g.add((ps, SH.minCount, Literal(1)))
            if p["datatype"]:
                g.add((ps, SH.datatype, XSD_TYPES.get(p["datatype"], XSD.string)))
                if p["declared_on"] == c.name:
                    g.add((prop, RDFS.range, XSD_TYPES.get(p["datatype"], XSD.string)))
            elif p["range_concept"] and p["range_concept"] in concepts:
                target = URIRef(concepts[p["range_concept"]].uri)
                g.add((ps, SH["class"], target))
                if p["declared_on"] == c.name:
                    g.add((prop, RDFS.range, target))
            elif p["code_list"]:
                # a value is an item of the code list (a SKOS concept in that scheme)
                g.add((ps, SH.nodeKind, SH.IRI))
                g.add((ps, SH["class"], SKOS.Concept))
                g.add((ps, SH.node, URIRef(f"{_list_uri(p['code_list'])}#shape")))
            if p["identifier_scheme"]:
                g.add(
                    (ps, RDFS.comment, Literal(tk._("Identifier scheme: {0}").format(p["identifier_scheme"])))
                )
            if p.get("component"):
                _cube_component(g, c, prop, p, declared_here=p["declared_on"] == c.name)
    for r in model.Session.query(dm.ConceptRelation):
        if r.subject in concepts and r.object in concepts:
            prop = URIRef(f"{concepts[r.subject].uri}#{r.predicate}")
            g.add((prop, RDF.type, OWL.ObjectProperty))
            g.add((prop, RDFS.domain, URIRef(concepts[r.subject].uri)))
            g.add((prop, RDFS.range, URIRef(concepts[r.object].uri)))
            if r.label:
                g.add((prop, RDFS.label, Literal(r.label, lang="en")))
    for cl in model.Session.query(dm.CodeList):
        node = _list_uri(cl.name)
        g.add((node, RDF.type, SKOS.ConceptScheme))
        g.add((node, SKOS.prefLabel, Literal(cl.label, lang="en")))
        if cl.definition:
            g.add((node, SKOS.definition, Literal(cl.definition, lang="en")))
        if cl.source:
            g.add((node, DCTERMS.source, Literal(cl.source)))
        if cl.uri:
            g.add((node, SKOS.exactMatch, URIRef(cl.uri)))
        shape = URIRef(f"{node}#shape")
        g.add((shape, RDF.type, SH.NodeShape))
        member = BNode()
        g.add((shape, SH.property, member))
        g.add((member, SH.path, SKOS.inScheme))
        g.add((member, SH.hasValue, node))
    items = model.Session.query(dm.CodeItem).order_by(dm.CodeItem.code_list, dm.CodeItem.position).all()
    uris = {(i.code_list, i.code): _item_uri(i) for i in items}
    broader_lists = _broader_lists()
    for i in items:
        node = uris[(i.code_list, i.code)]
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.prefLabel, Literal(i.label, lang="en")))
        g.add((node, SKOS.notation, Literal(i.code)))
        g.add((node, SKOS.inScheme, _list_uri(i.code_list)))
        if i.broader:
            broader = uris.get((broader_lists.get(i.code_list, i.code_list), i.broader))
            if broader is not None:
                g.add((node, SKOS.broader, broader))
    return g


def _broader_lists() -> dict[str, str]:
    import yaml

    out = {}
    for pack in model.Session.query(dm.Pack):
        for cl in (yaml.safe_load(pack.source or "") or {}).get("code_lists") or []:
            if isinstance(cl, dict) and cl.get("broader_list"):
                out[str(cl["id"])] = str(cl["broader_list"])
    return out


_JSON_TYPES = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "uri": {"type": "string", "format": "uri"},
}
_TABLE_TYPES = {
    "string": ("string", None),
    "integer": ("integer", None),
    "decimal": ("number", None),
    "boolean": ("boolean", None),
    "date": ("date", None),
    "datetime": ("datetime", None),
    "uri": ("string", "uri"),
}


def _concept_or_404(name: str) -> dm.Concept:
    c = queries.concept(name)
    if c is None:
        raise tk.ObjectNotFound(tk._('No concept "{0}" in the dictionary').format(name))
    return c


_CUBE = {"dimension": (QB.dimension, QB.DimensionProperty), "measure": (QB.measure, QB.MeasureProperty),
         "attribute": (QB.attribute, QB.AttributeProperty)}


def _cube_component(g: Graph, c: Any, prop: URIRef, p: dict[str, Any], declared_here: bool) -> None:
    """A statistical concept is also an RDF Data Cube structure definition,
    each component property typed as a dimension, measure or attribute."""
    structure = URIRef(f"{c.uri}#structure")
    g.add((structure, RDF.type, QB.DataStructureDefinition))
    g.add((structure, RDFS.label, Literal(c.label, lang="en")))
    role, kind = _CUBE[p["component"]]
    spec = BNode()
    g.add((structure, QB.component, spec))
    g.add((spec, RDF.type, QB.ComponentSpecification))
    g.add((spec, role, prop))
    if not p["required"] and p["component"] != "measure":
        g.add((spec, QB.componentRequired, Literal(False)))
    if declared_here:
        g.add((prop, RDF.type, kind))
        if p.get("code_list"):
            g.add((prop, QB.codeList, URIRef(_list_uri(p["code_list"]))))
        if p.get("unit"):
            g.add((prop, RDFS.comment, Literal(tk._("Unit: {0}").format(p["unit"]), lang="en")))


def json_schema(name: str) -> dict[str, Any]:
    """A JSON Schema (2020-12) for one record of the concept."""
    c = _concept_or_404(name)
    props: dict[str, Any] = {}
    required = []
    for p in queries.effective_properties(c.name):
        spec: dict[str, Any] = {"title": p["label"]}
        if p["definition"]:
            spec["description"] = p["definition"]
        if p["datatype"]:
            spec.update(_JSON_TYPES.get(p["datatype"], {"type": "string"}))
        elif p["code_list"]:
            spec["type"] = "string"
            spec["enum"] = [i.code for i in queries.code_items(p["code_list"])]
        else:
            spec["type"] = "string"
            spec["description"] = (
                spec.get("description", "") + " " + tk._("Identifier of a {0}.").format(p["range_concept"])
            ).strip()
        if p.get("markers"):
            # a published marker (c, x, z …) may stand in for the number
            marker = {"type": "string", "enum": [i.code for i in queries.code_items(p["markers"])]}
            number = {k: spec.pop(k) for k in ("type", "format") if k in spec}
            spec["anyOf"] = [number, marker]
        for key in ("component", "unit"):
            if p.get(key):
                spec[f"x-{key}"] = p[key]
        if p["inherited_from"]:
            spec["x-inherited-from"] = p["inherited_from"]
        props[p["name"]] = spec
        if p["required"]:
            required.append(p["name"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{c.uri}.schema.json",
        "title": c.label,
        "description": c.definition,
        "type": "object",
        "properties": props,
        "required": required,
        "x-concept": c.name,
        "x-version": c.version,
    }


def table_schema(name: str) -> dict[str, Any]:
    """A Frictionless Table Schema: one column per property of the concept."""
    c = _concept_or_404(name)
    fields = []
    markers: set[str] = set()
    for p in queries.effective_properties(c.name):
        kind, fmt = _TABLE_TYPES.get(p["datatype"] or "string", ("string", None))
        field: dict[str, Any] = {"name": p["name"], "title": p["label"], "type": kind}
        if fmt:
            field["format"] = fmt
        if p["definition"]:
            field["description"] = p["definition"]
        constraints: dict[str, Any] = {}
        if p["required"]:
            constraints["required"] = True
        if p["code_list"]:
            constraints["enum"] = [i.code for i in queries.code_items(p["code_list"])]
        if constraints:
            field["constraints"] = constraints
        for key in ("component", "unit"):
            if p.get(key):
                field[f"x-{key}"] = p[key]
        if p.get("markers"):
            markers.update(i.code for i in queries.code_items(p["markers"]))
        fields.append(field)
    # markers read as missing values, the way Frictionless reads official statistics
    return {"fields": fields, "missingValues": ["", *sorted(markers)], "title": c.label, "description": c.definition}
