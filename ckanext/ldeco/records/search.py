"""One records search: the concept's sources, each asked through the gating
door, read in a stable order a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.ldeco.dictionary import queries
from ckanext.ldeco.gating import service
from ckanext.ldeco.records import sources as found_sources
from ckanext.ldeco.records.cast import RANGED, Uncastable, cast
from ckanext.ldeco.records.read import Filter, rows_of

__all__ = ["run", "MAX_SORTED"]

MAX_SORTED = 100_000  # records gathered to sort one answer; past it, narrow the filters


@dataclass
class _Readable:
    source: found_sources.Source
    props: list[tuple[str, str | None]]  # what is read of it: granted, mapped, asked for


def _datatype(prop: dict[str, Any]) -> str:
    return prop.get("datatype") or "string"


def _filters(raw: dict[str, Any], props: dict[str, dict[str, Any]]) -> list[Filter]:
    out, errors = [], []
    for name, given in raw.items():
        if name not in props:
            errors.append(tk._("{name} is not a property of the concept").format(name=name))
            continue
        datatype = _datatype(props[name])
        try:
            if isinstance(given, dict):
                if datatype not in RANGED:
                    errors.append(tk._("{name} is not a date or a number: give values, not a range").format(
                        name=name))
                    continue
                out.append(Filter(name, datatype, low=cast(given.get("from"), datatype),
                                  high=cast(given.get("to"), datatype)))
            else:
                values = given if isinstance(given, list) else [given]
                out.append(Filter(name, datatype, values=[cast(v, datatype) for v in values]))
        except Uncastable as err:
            errors.append(tk._("{name}: {value!r} is not a {datatype}").format(
                name=name, value=str(err), datatype=datatype))
    if errors:
        raise tk.ValidationError({"filters": errors})
    return out


def _sort(sort: str | None, props: dict[str, dict[str, Any]]) -> tuple[str | None, bool]:
    if not sort:
        return None, False
    name, _, order = sort.strip().partition(" ")
    if name not in props or order.strip().lower() not in ("", "asc", "desc"):
        raise tk.ValidationError({"sort": [tk._('Give a property of the concept, optionally followed by '
                                                 '"asc" or "desc"')]})
    return name, order.strip().lower() == "desc"


def _withheld(sources: list[found_sources.Source]) -> dict[str, Any]:
    datasets = {s.dataset_name: {"name": s.dataset_name, "title": s.dataset_title, "organization": s.organization}
                for s in sources}
    organisations = {s.organization for s in sources}
    message = ""
    if sources:
        message = tk._("Withheld: {resources} resources of {organisations} organisations; request access "
                       "on each dataset's page.").format(resources=len(sources), organisations=len(organisations))
    return {"resources": len(sources), "organizations": len(organisations), "datasets": list(datasets.values()),
            "message": message}


def _decide(context: dict[str, Any], concept: str, fields: list[str], filters: list[Filter],
            props: dict[str, dict[str, Any]]) -> tuple[list[_Readable], list[found_sources.Source],
                                                       dict[str, list[str]], dict[str, Any]]:
    readable, withheld, not_granted, decided = [], [], {}, {}
    for source in found_sources.find([concept, *queries.descendants(concept)]):
        decision, pkg, res = service.authorise(context, source.resource_id)
        if decision.basis == "hidden":
            continue  # a private dataset's resources are not there for this caller
        if not decision.allowed:
            service.record("records", decision, pkg, res, context, concept=concept)
            withheld.append(source)
            continue
        mapped = {p: c for p, c in source.mapping.items() if c in source.columns and p in props}
        granted = {p for p, c in mapped.items() if decision.items is None or c in decision.items}
        if any(f.prop not in mapped for f in filters):
            continue  # it cannot say whether its rows match: none of them is an answer
        if any(f.prop not in granted for f in filters):
            withheld.append(source)  # filtering on a hidden column would tell its values
            continue
        kept: list[tuple[str, str | None]] = [(p, _datatype(props[p])) for p in fields if p in granted]
        hidden = [p for p in fields if p in mapped and p not in granted]
        if hidden:
            not_granted[source.dataset_name] = hidden
        readable.append(_Readable(source, kept))
        decided[source.resource_id] = (decision, pkg, res)
    return readable, withheld, not_granted, decided


def run(context: dict[str, Any], concept: str, raw_filters: dict[str, Any], fields: list[str] | None,
        sort: str | None, limit: int, cursor: dict[str, Any]) -> dict[str, Any]:
    from ckanext.ldeco.records.logic.action import encode_cursor

    if queries.concept(concept) is None:
        raise tk.ObjectNotFound(tk._("No concept {id} in the data dictionary").format(id=concept))
    props = {p["name"]: p for p in queries.effective_properties(concept)}
    fields = fields or list(props)
    unknown = [f for f in fields if f not in props]
    if unknown:
        raise tk.ValidationError({"fields": [tk._("Not properties of {concept}: {names}").format(
            concept=concept, names=", ".join(unknown))]})
    filters = _filters(raw_filters, props)
    sort_prop, descending = _sort(sort, props)

    readable, withheld, not_granted, decided = _decide(context, concept, fields, filters, props)
    notes: dict[str, int] = {}
    records: list[dict[str, Any]] = []
    next_cursor = None
    read_from: set[str] = set()
    if sort_prop is None:
        start = cursor.get("r")
        started = start is None
        for item in readable:
            if not started:
                if item.source.resource_id != start:
                    continue
                started = True
            last = int(cursor.get("a", 0)) if item.source.resource_id == start else 0
            read_from.add(item.source.resource_id)
            for row_id, values in rows_of(item.source, item.props, filters, last, notes):
                if len(records) == limit:
                    # there is more: the next page starts after the last row given, in this source
                    next_cursor = encode_cursor({"r": item.source.resource_id, "a": last})
                    break
                records.append({"values": values, "provenance": item.source.provenance()})
                last = row_id
            if next_cursor:
                break
    else:
        everything = []
        for item in readable:
            read_from.add(item.source.resource_id)
            for _row_id, values in rows_of(item.source, item.props, filters, 0, notes):
                everything.append({"values": values, "provenance": item.source.provenance()})
                if len(everything) > MAX_SORTED:
                    raise tk.ValidationError({"sort": [tk._(
                        "More than {n} records match: narrow the filters to sort them, or leave sort out").format(
                        n=MAX_SORTED)]})
        present = [r for r in everything if r["values"].get(sort_prop) is not None]
        present.sort(key=lambda r: r["values"][sort_prop], reverse=descending)
        ordered = present + [r for r in everything if r["values"].get(sort_prop) is None]
        offset = int(cursor.get("o", 0))
        records = ordered[offset:offset + limit]
        if offset + limit < len(ordered):
            next_cursor = encode_cursor({"o": offset + limit})

    for resource_id in read_from:
        decision, pkg, res = decided[resource_id]
        service.record("records", decision, pkg, res, context, concept=concept)
    return {"concept": concept, "fields": fields, "records": records, "next_cursor": next_cursor,
            "withheld": _withheld(withheld), "not_granted": not_granted,
            "notes": [{"property": p, "cells": n, "note": tk._("{n} cells of {prop} are not of its datatype and "
                                                                "are given as null").format(n=n, prop=p)}
                      for p, n in sorted(notes.items())]}
