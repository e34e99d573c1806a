"""Fill a DataStore table with PostgreSQL COPY instead of row-by-row upserts.

The table is made by ``datastore_create`` (fields, no records), so CKAN owns
its shape, column info and full-text trigger. The rows then go in with COPY
on the DataStore's write connection, with CKAN's per-row full-text trigger
switched off; the full-text column is then filled by one UPDATE with the
same text the trigger would index, which is several times cheaper (the way
ckanext-xloader loads). CKAN's secondary indexes are dropped first and
rebuilt from their own definitions afterwards, because building an index
once is far cheaper than updating it row by row. All of it is one
transaction: a failed load leaves the table as it was.
"""
from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass, field
from typing import IO, Iterable

import sqlalchemy as sa

import ckan.plugins.toolkit as tk

__all__ = ["CopyError", "Timings", "copy_into_datastore", "write_engine"]


@dataclass
class Timings:
    """Seconds spent in each phase of one load."""

    copy: float = 0.0
    full_text: float = 0.0
    indexes: float = 0.0
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


def copy_into_datastore(resource_id: str, columns: Iterable[str], csv_file: IO[str] | str,
                        *, url: str | None = None, timings: Timings | None = None) -> int:
    """Replace the rows of the DataStore table ``resource_id`` with those of a
    CSV (with a header row) whose columns are ``columns``. Returns the number
    of rows now in the table; ``timings``, if given, gets the phases."""
    timings = timings if timings is not None else Timings()
    columns = list(columns)
    if isinstance(csv_file, str):
        csv_file = io.StringIO(csv_file)
    conn = write_engine(url).raw_connection()
    try:
        cur = conn.cursor()
        # CKAN's indexes, and the primary key on _id, are rebuilt after the COPY
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                    "AND tablename = %s AND indexname NOT IN ("
                    "  SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                    (resource_id, _ident(resource_id)))
        indexes = cur.fetchall()
        cur.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'p'", (_ident(resource_id),))
        keys = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f"DROP INDEX {_ident(name)}")
        for name, _ in keys:
            cur.execute(f"ALTER TABLE {_ident(resource_id)} DROP CONSTRAINT {_ident(name)}")
        table = _ident(resource_id)
        cur.execute(f"TRUNCATE {table}")
        cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER zfulltext")
        cols = ", ".join(_ident(c) for c in columns)
        started = time.perf_counter()
        try:
            cur.copy_expert(f"COPY {_ident(resource_id)} ({cols}) FROM STDIN WITH (FORMAT csv, HEADER true)",
                            csv_file)
        except Exception as err:    # psycopg2.DataError and friends: say where
            context = getattr(getattr(err, "diag", None), "context", "") or ""
            match = re.search(r"line (\d+)(?:, column (\w+))?", context)
            primary = getattr(getattr(err, "diag", None), "message_primary", None) or str(err).splitlines()[0]
            raise CopyError(primary, int(match.group(1)) if match else None,
                            (match.group(2) or "") if match else "") from err
        count = cur.rowcount
        timings.copy, started = time.perf_counter() - started, time.perf_counter()
        # what populate_full_text_trigger() indexes: every value but those of
        # the underscore columns, as text, joined by spaces
        text = ", ".join(f"{_ident(c)}::text" for c in columns if not c.startswith("_"))
        cur.execute(f"UPDATE {table} SET _full_text = to_tsvector(concat_ws(' ', {text}))")
        cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER zfulltext")
        timings.full_text, started = time.perf_counter() - started, time.perf_counter()
        for name, definition in keys:
            cur.execute(f"ALTER TABLE {table} ADD CONSTRAINT {_ident(name)} {definition}")
        for _, definition in indexes:
            cur.execute(definition)
        conn.commit()
        timings.indexes, timings.rows = time.perf_counter() - started, count
        # planner statistics, and the row estimate CKAN shows for the table
        cur.execute(f"ANALYZE {_ident(resource_id)}")
        conn.commit()
        return count
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()
