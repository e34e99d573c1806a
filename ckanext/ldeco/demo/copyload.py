"""Fill a DataStore table with PostgreSQL COPY instead of row-by-row upserts.

The table is made by ``datastore_create`` (fields, no records), so CKAN owns
its shape, column info and full-text trigger. The rows then go in with COPY
on the DataStore's write connection. CKAN's secondary indexes (full-text GIN
indexes) are dropped first and rebuilt from their own definitions
afterwards, because building an index once is far cheaper than updating it
row by row. All of it is one transaction: a failed load leaves the table as
it was.
"""
from __future__ import annotations

import io
import re
from typing import IO, Iterable

import sqlalchemy as sa

import ckan.plugins.toolkit as tk

__all__ = ["CopyError", "copy_into_datastore", "write_engine"]

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
                        *, url: str | None = None) -> int:
    """Replace the rows of the DataStore table ``resource_id`` with those of a
    CSV (with a header row) whose columns are ``columns``. Returns the number
    of rows now in the table."""
    if isinstance(csv_file, str):
        csv_file = io.StringIO(csv_file)
    conn = write_engine(url).raw_connection()
    try:
        cur = conn.cursor()
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                    "AND tablename = %s AND indexname NOT IN ("
                    "  SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                    (resource_id, _ident(resource_id)))
        indexes = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f"DROP INDEX {_ident(name)}")
        cur.execute(f"TRUNCATE {_ident(resource_id)}")
        cols = ", ".join(_ident(c) for c in columns)
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
        for _, definition in indexes:
            cur.execute(definition)
        conn.commit()
        # planner statistics, and the row estimate CKAN shows for the table
        cur.execute(f"ANALYZE {_ident(resource_id)}")
        conn.commit()
        return count
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()
