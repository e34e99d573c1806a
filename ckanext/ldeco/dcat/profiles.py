"""The ldeco DCAT profile: runs after ckanext-dcat's ``euro_dcat_ap_3`` and
finishes its graph so that it validates against the DCAT-AP 3.0.1 shapes.

ckanext-dcat writes what the dataset dict holds; several of those values are
codes of ours (a concept id, an LGSL function number, a CKAN format name) that
DCAT-AP wants as typed resources. This profile swaps them for the resources
they name and types what the shapes check, and adds what only we know: the
EU access right of the dataset and the areas it covers.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import DCAT, DCT, FOAF, OWL, RDF, RDFS, SKOS, VCARD, RDFProfile
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

__all__ = ["LdecoDCATAPProfile", "ACCESS_RIGHT", "FILE_TYPE", "file_type", "media_type"]

log = logging.getLogger(__name__)

_DATA = os.path.join(os.path.dirname(__file__), "data")
EU = "http://publications.europa.eu/resource/authority/"
ACCESS_RIGHT = Namespace(EU + "access-right/")
FILE_TYPE = Namespace(EU + "file-type/")
LANGUAGE = Namespace(EU + "language/")
IANA = "https://www.iana.org/assignments/media-types/"
PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
PROV = Namespace("http://www.w3.org/ns/prov#")

# CKAN's two-letter locales -> EU language table codes (the locales the portal ships)
_LANGUAGES = {"en": "ENG", "en_GB": "ENG", "cy": "CYM", "cy_GB": "CYM"}
# Names publishers write for formats whose EU code is spelt otherwise
_FORMAT_ALIASES = {
    "TEXT": "TXT",
    "PLAIN": "TXT",
    "JSONLD": "JSON_LD",
    "TTL": "RDF_TURTLE",
    "TURTLE": "RDF_TURTLE",
    "NT": "RDF_N_TRIPLES",
    "N_TRIPLES": "RDF_N_TRIPLES",
    "SHAPEFILE": "SHP",
    "GEOPACKAGE": "GPKG",
    "JPG": "JPEG",
    "TIF": "TIFF",
    "YML": "YAML",
    "EXCEL": "XLSX",
    "MS_EXCEL": "XLS",
    "WORD": "DOCX",
    "API": "REST",
    "HTM": "HTML",
}
# The ADMS publisher type of each kind of agency where one fits without doubt
_PUBLISHER_TYPES = {
    "council": "LocalAuthority",
    "voluntary": "NonProfitOrganisation",
    "standards": "StandardisationBody",
}


@functools.lru_cache(maxsize=1)
def _file_types() -> frozenset[str]:
    with open(os.path.join(_DATA, "file-types.txt"), encoding="utf-8") as f:
        return frozenset(line.strip() for line in f if line.strip() and not line.startswith("#"))


@functools.lru_cache(maxsize=1)
def _access_rights() -> Graph:
    return Graph().parse(os.path.join(_DATA, "access-right.ttl"), format="turtle")


@functools.lru_cache(maxsize=1)
def _eu_licences() -> dict[str, str]:
    """CKAN licence id -> EU licence authority URI, from the shipped licence list."""
    path = os.path.normpath(os.path.join(_DATA, "..", "..", "rights", "data", "licences.json"))
    with open(path, encoding="utf-8") as f:
        return {lic["id"]: lic["eu_licence_uri"] for lic in json.load(f) if lic.get("eu_licence_uri")}


def file_type(fmt: str) -> URIRef | None:
    """The EU file-type resource for a CKAN format name, or None if the table has none."""
    fmt = (fmt or "").strip()
    if fmt.startswith(str(FILE_TYPE)):
        return URIRef(fmt)
    code = re.sub(r"[\s./\-]+", "_", fmt.lstrip(".").upper()).strip("_")
    code = _FORMAT_ALIASES.get(code, code)
    return FILE_TYPE[code] if code in _file_types() else None


def media_type(value: str) -> URIRef | None:
    """The IANA resource for a media type written as ``type/subtype``."""
    value = (value or "").strip().lower()
    if value.startswith(IANA):
        return URIRef(value)
    if re.fullmatch(r"[a-z0-9][\w.+\-]*/[a-z0-9][\w.+\-]*", value):
        return URIRef(IANA + value)
    return None


def _label_from_iri(uri: URIRef) -> str:
    """A readable label for a concept known only by its IRI, e.g. LocalAuthority -> Local Authority."""
    tail = re.split(r"[/#]", str(uri).rstrip("/#"))[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", tail).replace("-", " ").replace("_", " ")


def _is_iri(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(("http://", "https://"))


def _readable_dataset(name: str) -> dict[str, Any] | None:
    """The dataset as the reader of the export may see it; outside a request
    (a command-line export) as the site sees it."""
    from flask import has_request_context

    if has_request_context():
        user = tk.current_user
        context: dict[str, Any] = {"user": user.name if user.is_authenticated else "", "auth_user_obj": user}
    else:
        context = {"ignore_auth": True}
    try:
        return tk.get_action("package_show")(context, {"id": name})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None


class LdecoDCATAPProfile(RDFProfile):
    """Enable after ``euro_dcat_ap_3``: ``ckanext.dcat.rdf.profiles = euro_dcat_ap_3 ldeco``."""

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> dict[str, Any]:
        # Reading DCAT into datasets (harvesting) is left to euro_dcat_ap_3.
        return dataset_dict

    # -- datasets ---------------------------------------------------------

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        from ckanext.ldeco.dictionary import queries

        g = self.g
        distributions = list(g.objects(dataset_ref, DCAT.distribution))

        self._conforms_to(queries, dataset_ref, dataset_dict.get("conforms_to_version"))
        for dist in distributions:
            self._conforms_to(queries, dist, None)
            self._format(dist)
            self._licence(dist, dataset_dict)
        self._themes(queries, dataset_ref, dataset_dict)
        self._areas(queries, dataset_ref, dataset_dict)
        self._access_right(dataset_ref, dataset_dict)
        self._publisher(dataset_ref, dataset_dict)
        self._thread(dataset_ref, dataset_dict)
        self._languages(dataset_ref)
        for dist in distributions:
            self._languages(dist)
        for contact in g.objects(dataset_ref, DCAT.contactPoint):
            g.add((contact, RDF.type, VCARD.Kind))
        self._concept_types()

    def _conforms_to(self, queries: Any, subject: Node, version: Any) -> None:
        """A concept id becomes the concept's URI, a dct:Standard."""
        g = self.g
        for value in list(g.objects(subject, DCT.conformsTo)):
            if _is_iri(value) and not isinstance(value, Literal):
                g.add((value, RDF.type, DCT.Standard))
                continue
            g.remove((subject, DCT.conformsTo, value))
            concept = queries.concept(str(value))
            if concept is None:
                log.warning("DCAT: %s conforms to unknown concept %r; left out", subject, str(value))
                continue
            uri = URIRef(concept.uri)
            g.add((subject, DCT.conformsTo, uri))
            g.add((uri, RDF.type, DCT.Standard))
            g.add((uri, RDFS.label, Literal(concept.label)))
            g.add((uri, DCT.identifier, Literal(concept.name)))
            if version:
                g.add((uri, OWL.versionInfo, Literal(str(version))))

    def _format(self, dist: Node) -> None:
        g = self.g
        for value in list(g.objects(dist, DCT["format"])):
            g.remove((dist, DCT["format"], value))
            found = file_type(str(value))
            if found is not None:
                g.add((dist, DCT["format"], found))
                g.add((found, RDF.type, DCT.MediaTypeOrExtent))
            elif _is_iri(value):
                g.add((dist, DCT["format"], value))
                g.add((value, RDF.type, DCT.MediaTypeOrExtent))
            else:
                # No EU code (e.g. Markdown): keep the name on a typed node, not a bare literal.
                node = BNode()
                g.add((dist, DCT["format"], node))
                g.add((node, RDF.type, DCT.MediaTypeOrExtent))
                g.add((node, RDFS.label, Literal(str(value))))
        for value in list(g.objects(dist, DCAT.mediaType)):
            g.remove((dist, DCAT.mediaType, value))
            found = media_type(str(value))
            if found is not None:
                g.add((dist, DCAT.mediaType, found))
                g.add((found, RDF.type, DCT.MediaType))

    def _licence(self, dist: Node, dataset_dict: dict[str, Any]) -> None:
        """DCAT-AP puts licences on distributions: give each the dataset's
        licence, as the EU licence table's resource where there is one."""
        g = self.g
        if (dist, DCT.license, None) in g:
            return
        licence = _eu_licences().get(dataset_dict.get("license_id") or "") or dataset_dict.get("license_url")
        if licence and _is_iri(URIRef(licence)):
            g.add((dist, DCT.license, URIRef(licence)))
            g.add((URIRef(licence), RDF.type, DCT.LicenseDocument))
            if dataset_dict.get("license_title"):
                g.add((URIRef(licence), RDFS.label, Literal(dataset_dict["license_title"])))

    def _themes(self, queries: Any, dataset_ref: Node, dataset_dict: dict[str, Any]) -> None:
        """An LGSL function number becomes the function's URI, a skos:Concept;
        the LGSL service is a theme too."""
        g = self.g
        for value in list(g.objects(dataset_ref, DCAT.theme)):
            g.remove((dataset_ref, DCAT.theme, value))
        wanted = [("lgsl-function", dataset_dict.get("theme")), ("lgsl-service", dataset_dict.get("service"))]
        for code_list, value in wanted:
            if not value or not isinstance(value, str):
                continue
            item = queries.find_code(code_list, value)
            uri = URIRef(item.uri) if item is not None and item.uri else None
            if uri is None and _is_iri(URIRef(value)):
                uri = URIRef(value)
            if uri is None:
                continue
            g.add((dataset_ref, DCAT.theme, uri))
            g.add((uri, RDF.type, SKOS.Concept))
            if item is not None:
                g.add((uri, SKOS.prefLabel, Literal(item.label)))
                g.add((uri, SKOS.notation, Literal(item.code)))

    def _areas(self, queries: Any, dataset_ref: Node, dataset_dict: dict[str, Any]) -> None:
        """The GSS codes become the ONS statistical geographies, dct:Locations."""
        g = self.g
        codes = dataset_dict.get("spatial_gss") or ""
        for code in [c.strip() for c in codes.split(",")] if isinstance(codes, str) else []:
            if not code:
                continue
            item = queries.find_code("nw-england-area", code)
            uri = (
                item.uri
                if item is not None and item.uri
                else f"http://statistics.data.gov.uk/id/statistical-geography/{code}"
            )
            g.add((dataset_ref, DCT.spatial, URIRef(uri)))
            g.add((URIRef(uri), RDF.type, DCT.Location))
            if item is not None:
                g.add((URIRef(uri), SKOS.prefLabel, Literal(item.label)))

    def _access_right(self, dataset_ref: Node, dataset_dict: dict[str, Any]) -> None:
        from ckanext.ldeco.rights.access import dataset_level

        g = self.g
        for value in list(g.objects(dataset_ref, DCT.accessRights)):
            g.remove((dataset_ref, DCT.accessRights, value))
        restricted = dataset_level(dataset_dict) == "restricted"
        right = ACCESS_RIGHT.RESTRICTED if restricted else ACCESS_RIGHT.PUBLIC
        g.add((dataset_ref, DCT.accessRights, right))
        g.add((right, RDF.type, DCT.RightsStatement))
        g.add((right, RDF.type, SKOS.Concept))
        vocabulary = _access_rights()
        for predicate in (SKOS.prefLabel, SKOS.inScheme):
            for value in vocabulary.objects(right, predicate):
                g.add((right, predicate, value))

    def _publisher(self, dataset_ref: Node, dataset_dict: dict[str, Any]) -> None:
        """The publisher's ADMS type, from the organisation's kind of agency."""
        import ckan.model as model  # one row's extras: organization_show per dataset tripled catalogue time

        owner = dataset_dict.get("owner_org")
        group = model.Group.get(owner) if owner else None
        if group is None:
            return
        kind = _PUBLISHER_TYPES.get((group.extras or {}).get("agency_kind") or "")
        for agent in self.g.objects(dataset_ref, DCT.publisher):
            if kind and not list(self.g.objects(agent, DCT.type)):
                self.g.add((agent, DCT.type, PUBLISHER_TYPE[kind]))

    def _thread(self, dataset_ref: Node, dataset_dict: dict[str, Any]) -> None:
        """The golden thread as qualified relations (DCAT-AP's dcat:Relationship
        with a dcat:Role), and a derivation also as prov:wasDerivedFrom. A link
        to a dataset the reader may not see is left out with it."""
        from ckanext.dcat.utils import dataset_uri

        from ckanext.ldeco.thread.links import links_of
        from ckanext.ldeco.thread.roles import ROLES, role_iri

        g = self.g
        for role_name, target_name in links_of(dataset_dict):
            target = _readable_dataset(target_name)
            if target is None:
                continue
            role = ROLES[role_name]
            target_ref = URIRef(dataset_uri(target))
            relation = BNode()
            role_ref = URIRef(role_iri(role_name))
            g.add((dataset_ref, DCAT.qualifiedRelation, relation))
            g.add((relation, RDF.type, DCAT.Relationship))
            g.add((relation, DCT.relation, target_ref))
            # the shapes want the related resource typed, and a dataset titled and described
            g.add((target_ref, RDF.type, DCAT.Dataset))
            g.add((target_ref, DCT.title, Literal(target.get("title") or target["name"])))
            g.add((target_ref, DCT.description, Literal(target.get("notes") or target.get("title") or "")))
            g.add((relation, DCAT.hadRole, role_ref))
            g.add((role_ref, RDF.type, DCAT.Role))
            g.add((role_ref, SKOS.prefLabel, Literal(role.label)))
            g.add((role_ref, SKOS.definition, Literal(role.description)))
            if role_name == "derived_from":
                g.add((dataset_ref, PROV.wasDerivedFrom, target_ref))

    def _languages(self, subject: Node) -> None:
        g = self.g
        for value in list(g.objects(subject, DCT.language)):
            if _is_iri(value):
                g.add((value, RDF.type, DCT.LinguisticSystem))
                continue
            g.remove((subject, DCT.language, value))
            code = _LANGUAGES.get(str(value)) or _LANGUAGES.get(str(value).split("_")[0])
            if code:
                g.add((subject, DCT.language, LANGUAGE[code]))
                g.add((LANGUAGE[code], RDF.type, DCT.LinguisticSystem))

    def _concept_types(self) -> None:
        """Types of licences and agents (ADMS licence and publisher types) are
        SKOS concepts; the shapes want every concept to have a label."""
        g = self.g
        for cls in (DCT.LicenseDocument, FOAF.Agent):
            for subject in list(g.subjects(RDF.type, cls)):
                for value in list(g.objects(subject, DCT.type)):
                    if _is_iri(value):
                        g.add((value, RDF.type, SKOS.Concept))
                    else:
                        g.remove((subject, DCT.type, value))
        for concept in list(g.subjects(RDF.type, SKOS.Concept)):
            if isinstance(concept, URIRef) and (concept, SKOS.prefLabel, None) not in g:
                g.add((concept, SKOS.prefLabel, Literal(_label_from_iri(concept), lang="en")))

    # -- the catalogue ----------------------------------------------------

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: Node) -> None:
        g = self.g
        title = tk.config.get("ckan.site_title") or "CKAN"
        if (catalog_ref, DCT.description, None) not in g:
            g.add(
                (
                    catalog_ref,
                    DCT.description,
                    Literal(tk._("The datasets published on {title}.").format(title=title)),
                )
            )
        if (catalog_ref, DCT.publisher, None) not in g:
            site = (tk.config.get("ckan.site_url") or "").rstrip("/")
            publisher = URIRef(f"{site}/#publisher") if site else BNode()
            g.add((catalog_ref, DCT.publisher, publisher))
            g.add((publisher, RDF.type, FOAF.Agent))
            g.add((publisher, FOAF.name, Literal(title)))
        for page in g.objects(catalog_ref, FOAF.homepage):
            g.add((page, RDF.type, FOAF.Document))
        self._languages(catalog_ref)
        self._concept_types()
