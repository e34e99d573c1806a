"""Fill a DataStore table with PostgreSQL COPY instead of row-by-row upserts.

The table is made by ``datastore_create`` (fields, no records), so CKAN owns
its shape, column info and full-text trigger. The rows are COPYed into a
temporary staging table, then written into the DataStore table once, by one
INSERT ... SELECT that also numbers them (``_id``) and computes the
full-text column with the same text CKAN's trigger would index (the
trigger, which would do it row by row in PL/pgSQL, is off meanwhile).
CKAN's secondary indexes and primary key are dropped first and rebuilt from
their own definitions afterwards, with more memory for the sort, because
building an index once is far cheaper than updating it row by row. All of it
is one transaction: a failed load leaves the table as it was.
"""
from __future__ import annotations

import io
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa

__all__ = ["CopyError", "Timings", "copy_into_datastore", "full_text_expression", "write_engine"]


@dataclass
class Timings:
    """Seconds spent in each phase of one load."""

    copy: float = 0.0           # the COPY into the staging table
    full_text: float = 0.0      # the INSERT into the DataStore table, full text included
    indexes: float = 0.0        # primary key and CKAN's indexes rebuilt
    rows: int = 0
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return self.copy + self.full_text + self.indexes

_engines: dict[str, sa.engine.Engine] = {}


class CopyError(Exception):
    """COPY refused the data; ``line`` (1 = header) and ``column`` say where."""

    def __init__(self, message: str, line: int | None, column: str):
        super().__init__(message)
        self.line, self.column = line, column


def write_engine(url: str | None = None) -> sa.engine.Engine:
    url = url or tk.config["ckan.datastore.write_url"]
    if url not in _engines:
        _engines[url] = sa.create_engine(url, pool_pre_ping=True)
    return _engines[url]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def full_text_expression(types: dict[str, str], columns: Iterable[str]) -> str:
    """SQL for what populate_full_text_trigger() indexes: the values of the
    row's columns but the underscore ones, in table order, each as
    row_to_json/json_each_text spells it (text as is, everything else as its
    JSON text, so dates and timestamps read the same), joined by spaces;
    NULLs are left out and a row of only NULLs gets NULL, as there."""
    wanted = set(columns)
    parts = [_ident(c) if t in ("text", "character varying") else f"to_json({_ident(c)}) #>> '{{}}'"
             for c, t in types.items() if c in wanted and not c.startswith("_")]
    if not parts:
        return "NULL::tsvector"
    present = " OR ".join(f"{_ident(c)} IS NOT NULL" for c in types if c in wanted and not c.startswith("_"))
    return f"CASE WHEN {present} THEN to_tsvector(concat_ws(' ', {', '.join(parts)})) END"


def copy_into_datastore(resource_id: str, columns: Iterable[str], csv_file: IO[str] | str,
                        *, url: str | None = None, timings: Timings | None = None) -> int:
    """Replace the rows of the DataStore table ``resource_id`` with those of a
    CSV (with a header row) whose columns are ``columns``. Returns the number
    of rows now in the table; ``timings``, if given, gets the phases."""
    timings = timings if timings is not None else Timings()
    columns = list(columns)
    if isinstance(csv_file, str):
        csv_file = io.StringIO(csv_file)
    # psycopg2's own connection and cursor: COPY has no SQLAlchemy form
    conn: Any = write_engine(url).raw_connection()
    try:
        cur = conn.cursor()
        table = _ident(resource_id)
        # CKAN's indexes, and the primary key on _id, are rebuilt after the rows
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                    "AND tablename = %s AND indexname NOT IN ("
                    "  SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                    (resource_id, table))
        indexes = cur.fetchall()
        cur.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'p'", (table,))
        keys = cur.fetchall()
        cur.execute("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                    "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
                    (table,))
        types = dict(cur.fetchall())
        unknown = [c for c in columns if c not in types]
        if unknown:
            raise CopyError(f"no such column in the table: {', '.join(unknown)}", 1, unknown[0])
        for name, _ in indexes:
            cur.execute(f"DROP INDEX {_ident(name)}")
        for name, _ in keys:
            cur.execute(f"ALTER TABLE {table} DROP CONSTRAINT {_ident(name)}")
        cur.execute(f"TRUNCATE {table}")
        cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER zfulltext")
        # GIN builds go several times faster when their sort fits in memory
        cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cols = ", ".join(_ident(c) for c in columns)
        cur.execute(f"CREATE TEMP TABLE ldeco_copy_rows ({', '.join(f'{_ident(c)} {types[c]}' for c in columns)}) "
                    "ON COMMIT DROP")
        started = time.perf_counter()
        try:
            cur.copy_expert(f"COPY ldeco_copy_rows ({cols}) FROM STDIN WITH (FORMAT csv, HEADER true)", csv_file)
        except Exception as err:    # psycopg2.DataError and friends: say where
            context = getattr(getattr(err, "diag", None), "context", "") or ""
            match = re.search(r"line (\d+)(?:, column (\w+))?", context)
            primary = getattr(getattr(err, "diag", None), "message_primary", None) or str(err).splitlines()[0]
            raise CopyError(primary, int(match.group(1)) if match else None,
                            (match.group(2) or "") if match else "") from err
        count = cur.rowcount
        timings.copy, started = time.perf_counter() - started, time.perf_counter()
        # numbered in file order, as the sequence would have done, which then
        # carries on after the last row for later upserts
        cur.execute(f"INSERT INTO {table} (_id, {cols}, _full_text) "
                    f"SELECT row_number() OVER (), {cols}, {full_text_expression(types, columns)} FROM ldeco_copy_rows")
        cur.execute("SELECT setval(pg_get_serial_sequence(%s, '_id'), %s, %s)", (table, max(count, 1), count > 0))
        cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER zfulltext")
        cur.execute("DROP TABLE ldeco_copy_rows")
        timings.full_text, started = time.perf_counter() - started, time.perf_counter()
        for name, definition in keys:
            cur.execute(f"ALTER TABLE {table} ADD CONSTRAINT {_ident(name)} {definition}")
        for _, definition in indexes:
            cur.execute(definition)
        conn.commit()
        timings.indexes, timings.rows = time.perf_counter() - started, count
        # planner statistics, and the row estimate CKAN shows for the table
        cur.execute(f"ANALYZE {table}")
        conn.commit()
        return count
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()
