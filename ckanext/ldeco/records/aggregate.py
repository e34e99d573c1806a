"""Counts of a concept's records for everyone, under disclosure control.

The public asks over fixed dimensions: the owning organisation, each
property whose code list is short enough to count by (at most
MAX_CODES codes), and the quarter of each required date. An
answer groups by one or two of them; a filter may only pick values of a
dimension the answer groups by (it selects rows of a published table,
never a new sum). Every published table is then a slice of one set of
linked tables over all the dimensions, protected once (protection.py), so
two overlapping answers cannot be subtracted to a small count: their cells
are cells of the same protected set.

Counts cover every conforming resource of a published dataset, restricted
ones included; the rows themselves never leave this module.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.ldeco import config
from ckanext.ldeco.dictionary import queries
from ckanext.ldeco.records import protection
from ckanext.ldeco.records import sources as found_sources
from ckanext.ldeco.records.read import rows_of

__all__ = ["Dimension", "dimensions", "sources", "run", "table_written", "MAX_CODES", "NOT_GIVEN"]

MAX_CODES = 60  # a code list longer than this (wards, services) is too fine to count the public by
NOT_GIVEN = "(not given)"
_CACHE_SIZE = 32


@dataclass(frozen=True)
class Dimension:
    name: str  # as asked: "organisation", a property, "quarter:<date>"
    label: str
    kind: str  # organisation | code | quarter
    prop: str | None = None
    code_list: str | None = None


def dimensions(concept: str) -> list[Dimension]:
    out = [Dimension("organisation", tk._("Organisation"), "organisation")]
    for p in queries.effective_properties(concept):
        label = p.get("label") or p["name"]
        if p.get("code_list") and queries.code_count(p["code_list"]) <= MAX_CODES:
            out.append(Dimension(p["name"], label, "code", p["name"], p["code_list"]))
        elif p.get("datatype") == "date" and p.get("required"):
            # quarters, not months: months split the counts of a local ecosystem
            # so finely that protecting them would hide most of every table
            out.append(Dimension(f"quarter:{p['name']}", tk._("{label}, quarter").format(label=label), "quarter",
                                 p["name"]))
    return out


def _value(dim: Dimension, source: found_sources.Source, values: dict[str, Any]) -> str:
    if dim.kind == "organisation":
        return source.organization or NOT_GIVEN
    raw = values.get(dim.prop or "")
    if raw in (None, ""):
        return NOT_GIVEN
    if dim.kind == "code":
        codes = sorted({c.strip() for c in str(raw).split(";") if c.strip()})
        return ";".join(codes) or NOT_GIVEN  # a cell of several codes is its own combination
    day = dt.date.fromisoformat(str(raw)[:10])
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def sources(concept: str) -> list[found_sources.Source]:
    """The tables counted: every conforming resource of a published dataset."""
    return [s for s in found_sources.find([concept, *queries.descendants(concept)]) if not s.private]


# Every DataStore write anywhere moves this counter (shared by all workers,
# in Redis): a cached pattern stands while it stays where it was.
GENERATION_KEY = "ckanext.ldeco.records.generation"


def table_written(resource_id: str, **_: Any) -> None:
    from ckan.lib.redis import connect_to_redis

    connect_to_redis().incr(GENERATION_KEY)


def _version(concept: str, dims: list[Dimension], tables: list[found_sources.Source], rule: dict[str, Any]) -> str:
    from ckan.lib.redis import connect_to_redis

    generation = connect_to_redis().get(GENERATION_KEY) or b"0"
    text = repr((concept, [d.name for d in dims], [(s.resource_id, sorted(s.mapping.items())) for s in tables],
                 generation, sorted(rule.items())))
    return hashlib.sha256(text.encode()).hexdigest()


def _cube(dims: list[Dimension], tables: list[found_sources.Source]) -> dict[tuple[str, ...], int]:
    cube: dict[tuple[str, ...], int] = {}
    for source in tables:
        # each mapped property a dimension needs, read once (dates cast, codes as text)
        props: list[tuple[str, str | None]] = list(dict.fromkeys(
            (d.prop, "date" if d.kind == "quarter" else "string")
            for d in dims if d.prop and d.prop in source.mapping))
        notes: dict[str, int] = {}
        for _row_id, values in rows_of(source, props, [], 0, notes):
            key = tuple(_value(d, source, values) for d in dims)
            cube[key] = cube.get(key, 0) + 1
    return cube


_cache: OrderedDict[str, protection.Pattern] = OrderedDict()
_lock = threading.Lock()


def _pattern(concept: str, dims: list[Dimension], rule: dict[str, Any]) -> protection.Pattern:
    tables = sources(concept)
    version = _version(concept, dims, tables, rule)
    with _lock:
        if version in _cache:
            _cache.move_to_end(version)
            return _cache[version]
    pattern = protection.protect(_cube(dims, tables), len(dims), rule["threshold"], rule["protection"],
                                 rule["rounding"])
    with _lock:
        _cache[version] = pattern
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return pattern


def rule() -> dict[str, Any]:
    return {"threshold": config.records_sdc_threshold(), "protection": config.records_sdc_protection(),
            "rounding": config.records_sdc_rounding()}


def statement(r: dict[str, Any]) -> str:
    text = tk._("Counts from 1 to {t} are suppressed, and further cells so that no suppressed count can be "
                "worked out to within {p} from this or any other answer.").format(t=r["threshold"] - 1,
                                                                                 p=r["protection"])
    if r["rounding"]:
        text += " " + tk._("Counts are rounded to the nearest {b}.").format(b=r["rounding"])
    return text


def run(concept: str, group_by: list[str], filters: dict[str, Any]) -> dict[str, Any]:
    if queries.concept(concept) is None:
        raise tk.ObjectNotFound(tk._("No concept {id} in the data dictionary").format(id=concept))
    dims = dimensions(concept)
    by_name = {d.name: i for i, d in enumerate(dims)}
    choices = ", ".join(by_name)
    errors: dict[str, list[str]] = {}
    unknown = [g for g in group_by if g not in by_name]
    if unknown or not group_by or len(group_by) > 2 or len(set(group_by)) != len(group_by):
        errors["group_by"] = [tk._("Group by one or two of the concept's dimensions: {choices}").format(
            choices=choices)]
    outside = [f for f in filters if f not in group_by]
    if outside:
        errors["filters"] = [tk._("Counts for everyone are given over fixed dimensions: a filter may only pick "
                                  "values of a dimension you group by ({names} is not one)").format(
                                      names=", ".join(outside))]
    if errors:
        raise tk.ValidationError(errors)
    r = rule()
    pattern = _pattern(concept, dims, r)
    table = tuple(sorted(by_name[g] for g in group_by))
    order = [table.index(by_name[g]) for g in group_by]  # the table's key, in the order asked
    wanted = {g: {str(v) for v in (vals if isinstance(vals, list) else [vals])} for g, vals in filters.items()}
    cells = []
    for cell in sorted((c for c in pattern.cells if c.table == table), key=lambda c: [c.key[i] for i in order]):
        key = [cell.key[i] for i in order]
        if any(key[group_by.index(g)] not in vals for g, vals in wanted.items()):
            continue
        cells.append({"key": dict(zip(group_by, key, strict=True)), "count": pattern.published(cell),
                      "suppressed": cell in pattern.suppressed})
    total = pattern.published(protection.Cell((), ())) if pattern.cube else 0
    return {"concept": concept, "group_by": group_by,
            "dimensions": [{"name": d.name, "label": d.label} for d in dims],
            "cells": cells, "total": total, "rule": {**r, "statement": statement(r)},
            "sources": len(sources(concept))}
