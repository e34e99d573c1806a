"""Which DataStore tables hold records of a concept, and their columns.

A source is a resource with a DataStore table and a column map whose concept
(its own, else its dataset's) is the concept asked for or one below it. Table
and column names reach SQL only from the DataStore's own catalogue, quoted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import ckan.model as model  # core's tables, read in one statement; the toolkit has no door to them
import sqlalchemy as sa
from ckanext.datastore.backend.postgres import get_read_engine, identifier

from ckanext.ldeco.dictionary.validators import parse_column_map

__all__ = ["Source", "find", "table_columns", "identifier"]

# A pre-filter on the stored extras keeps the scan to mapped resources.
_CANDIDATES = sa.text("""
    SELECT r.id, r.name, r.extras, r.position, p.id AS pkg_id, p.name AS pkg_name, p.title AS pkg_title,
           p.private AS pkg_private,
           g.title AS org_title, g.name AS org_name,
           (SELECT e.value FROM package_extra e
             WHERE e.package_id = p.id AND e.key = 'conforms_to' AND e.state = 'active' LIMIT 1) AS pkg_concept
      FROM resource r JOIN package p ON p.id = r.package_id
      LEFT JOIN "group" g ON g.id = p.owner_org
     WHERE r.state = 'active' AND p.state = 'active' AND p.type = 'dataset'
       AND r.extras LIKE '%column_map%' AND r.extras LIKE '%datastore_active%'
     ORDER BY g.title, p.name, r.position""")

_COLUMNS = sa.text("""
    SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = ANY(:ids) ORDER BY table_name, ordinal_position""")


@dataclass
class Source:
    resource_id: str
    resource_name: str
    dataset_id: str
    dataset_name: str
    dataset_title: str
    organization: str
    concept: str
    mapping: dict[str, str]  # property -> column
    columns: dict[str, str] = field(default_factory=dict)  # column -> the table's type
    private: bool = False  # a dataset its publisher has not published

    def provenance(self) -> dict[str, Any]:
        return {"dataset": self.dataset_name, "dataset_title": self.dataset_title,
                "resource_id": self.resource_id, "resource": self.resource_name,
                "organization": self.organization, "concept": self.concept}


def find(concepts: list[str]) -> list[Source]:
    """The sources of these concepts, in a stable order (organisation, dataset,
    resource), each with the columns its table really has."""
    wanted = set(concepts)
    found = []
    for row in model.Session.execute(_CANDIDATES):
        extras = json.loads(row.extras) if row.extras else {}
        concept = extras.get("conforms_to") or row.pkg_concept
        if concept not in wanted or not extras.get("datastore_active"):
            continue
        mapping: dict[str, str] = {}
        for column, prop in parse_column_map(extras.get("column_map") or ""):
            mapping.setdefault(prop, column)
        if mapping:
            found.append(Source(row.id, row.name or row.id, row.pkg_id, row.pkg_name, row.pkg_title or row.pkg_name,
                                row.org_title or row.org_name or "", concept, mapping,
                                private=bool(row.pkg_private)))
    columns = table_columns([s.resource_id for s in found])
    for source in found:
        source.columns = columns.get(source.resource_id, {})
    return [s for s in found if s.columns]  # a table that is gone holds no records


def table_columns(resource_ids: list[str]) -> dict[str, dict[str, str]]:
    if not resource_ids:
        return {}
    out: dict[str, dict[str, str]] = {}
    with get_read_engine().connect() as conn:
        for table, column, kind in conn.execute(_COLUMNS, {"ids": resource_ids}):
            out.setdefault(table, {})[column] = kind
    return out
