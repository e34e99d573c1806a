"""Reading one source's rows: the query built from quoted catalogue names,
filters pushed to SQL where the table's own types allow it, and every value
cast to its property's datatype (a cell that will not cast becomes null and
is noted, never an error)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ckanext.datastore.backend.postgres import get_read_engine

from ckanext.ldeco.records.cast import Uncastable, cast
from ckanext.ldeco.records.sources import Source, identifier

__all__ = ["Filter", "rows_of", "BATCH"]

BATCH = 500
# table types in which a property of the datatype compares natively in SQL
_NATIVE = {
    "date": {"date", "timestamp without time zone", "timestamp with time zone"},
    "integer": {"integer", "bigint", "smallint", "numeric", "double precision", "real"},
    "decimal": {"integer", "bigint", "smallint", "numeric", "double precision", "real"},
    "number": {"integer", "bigint", "smallint", "numeric", "double precision", "real"},
}


@dataclass
class Filter:
    prop: str
    datatype: str | None
    values: list[Any] | None = None  # any of these
    low: Any = None  # a range, either end open
    high: Any = None

    def holds(self, value: Any) -> bool:
        if value is None:
            return False
        if self.values is not None:
            return value in self.values
        if self.low is not None and value < self.low:
            return False
        return not (self.high is not None and value > self.high)


def _conditions(source: Source, filters: list[Filter]) -> tuple[list[str], dict[str, Any]]:
    """What SQL can decide exactly: equality on the text of a cell, and ranges
    on columns the table already types as the property is typed. The rest is
    decided in Python, after the cast (and the SQL ones again, harmlessly)."""
    where, params = [], {}
    for i, f in enumerate(filters):
        column = identifier(source.mapping[f.prop])
        if f.values is not None and (f.datatype or "string") in ("string", "uri"):
            where.append(f"{column}::text = ANY(:v{i})")
            params[f"v{i}"] = [str(v) for v in f.values]
        elif f.values is None and source.columns.get(source.mapping[f.prop]) in _NATIVE.get(f.datatype or "", ()):
            if f.low is not None:
                where.append(f"{column} >= :lo{i}")
                params[f"lo{i}"] = f.low
            if f.high is not None:
                where.append(f"{column} <= :hi{i}")
                params[f"hi{i}"] = f.high
    return where, params


def rows_of(source: Source, props: list[tuple[str, str | None]], filters: list[Filter],
            after: int, notes: dict[str, int]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(_id, values) of the source's matching rows after the row id ``after``,
    in row order. props: the (property, datatype) pairs to read; notes counts
    the cells that would not cast, by property."""
    wanted = {p for p, _ in props} | {f.prop for f in filters}
    read = [(p, dt) for p, dt in props] + [(f.prop, f.datatype) for f in filters if f.prop not in dict(props)]
    selected = "".join(f", {identifier(source.mapping[p])}" for p, _ in read if p in wanted)
    where, params = _conditions(source, filters)
    table = identifier(source.resource_id)
    clause = " AND ".join(['"_id" > :after', *where])
    statement = sa.text(f'SELECT "_id"{selected} FROM {table} WHERE {clause} ORDER BY "_id" LIMIT :batch')
    while True:
        with get_read_engine().connect() as conn:
            batch = conn.execute(statement, {**params, "after": after, "batch": BATCH}).fetchall()
        for row in batch:
            after = row[0]
            values: dict[str, Any] = {}
            for (prop, datatype), cell in zip(read, row[1:], strict=True):
                try:
                    values[prop] = cast(cell, datatype)
                except Uncastable:
                    values[prop] = None
                    notes[prop] = notes.get(prop, 0) + 1
            if all(f.holds(values.get(f.prop)) for f in filters):
                yield after, {p: values[p] for p, _ in props}
        if len(batch) < BATCH:
            return
