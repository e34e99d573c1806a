"""Benchmark: 1,000,000 demo rows into the DataStore by COPY (through
``copy_into_datastore``: datastore_create, COPY into a staging table, one
INSERT with ``_id`` and the full text CKAN's trigger would index, indexes
rebuilt, ANALYZE), against the same CSV into a plain table with COPY, on the
same database in the same run.

    .venv/bin/python bench/load.py [--config ckan.ini] [--rows 1000000]

The configuration defaults to $CKAN_INI, then ckan.ini; point it at a portal
or test configuration of your own (the benchmark makes and removes its own
dataset and table there). Target: DataStore rate >= 0.5 x plain COPY.
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAIN = "ldeco_bench_plain"
NAME = "ldeco-bench-load"


def write_csv(path: Path, rows: int, seed: int) -> list[tuple[str, str]]:
    """The family members of the demo's programme councils, at the scale
    that makes ``rows`` of them (the generator's own shapes and values)."""
    from ckanext.ldeco.demo import catalogue, generator, reference

    ref = reference.read_reference()
    eco = catalogue.build(ref, seed=seed, scale=2)
    councils = eco.programme_councils()
    scale = rows // (len(councils) * 30 * 4) + 1
    written = 0
    fields: list[tuple[str, str]] = []
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        for council in councils:
            members = generator.generate_programme(
                council, ref.wards_of(council["statistical-geography"]), ref.headline_problems,
                ["School"], ["Provider"], seed=seed, scale=scale).members
            if not fields:
                fields = members.fields
                writer.writerow([c for c, _ in fields])
            take = members.rows[: rows - written]
            writer.writerows(take)
            written += len(take)
            print(f"\r  generating rows: {written:,}", end="", file=sys.stderr, flush=True)
            if written >= rows:
                break
    print(file=sys.stderr)
    if written < rows:
        raise SystemExit(f"generated only {written:,} rows")
    return fields


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=os.environ.get("CKAN_INI", str(ROOT / "ckan.ini")))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--fts-index-method", choices=("gist", "gin"),
                        help="Override ckan.datastore.default_fts_index_method for this run")
    args = parser.parse_args()
    if not Path(args.config).exists():
        raise SystemExit(f"{args.config}: no such configuration (pass --config or set CKAN_INI)")

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.config))
    with app._wsgi_app.test_request_context():
        run(args)


def _size(conn, table: str) -> int:
    with conn.cursor() as cur:
        cur.execute("SELECT pg_total_relation_size(%s::regclass)", (f'"{table}"',))
        return cur.fetchone()[0]


def run(args: argparse.Namespace) -> None:
    import ckan.plugins.toolkit as tk

    from ckanext.ldeco.demo import copyload

    if args.fts_index_method:
        tk.config["ckan.datastore.default_fts_index_method"] = args.fts_index_method
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    ctx = lambda: {"user": site, "ignore_auth": True, "use_cache": False}  # noqa: E731

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rows.csv"
        fields = write_csv(path, args.rows, args.seed)
        mb = path.stat().st_size / 1e6
        print(f"CSV: {args.rows:,} rows, {len(fields)} columns, {mb:.0f} MB")
        conn = copyload.write_engine().raw_connection()
        try:
            # baseline: the same CSV into a plain table of the same column types
            with conn.cursor() as cur:
                cur.execute(f'DROP TABLE IF EXISTS "{PLAIN}"')
                cur.execute(f'CREATE TABLE "{PLAIN}" ({", ".join(f"{c} {t}" for c, t in fields)})'
                            .replace(" int)", " int4)"))
                conn.commit()
                started = time.perf_counter()
                with path.open(encoding="utf-8") as f:
                    cur.copy_expert(f'COPY "{PLAIN}" FROM STDIN WITH (FORMAT csv, HEADER true)', f)
                conn.commit()
                plain_s = time.perf_counter() - started
            plain_bytes = _size(conn, PLAIN)

            # the DataStore: a throwaway dataset, table made by CKAN, rows by COPY
            _cleanup(tk, ctx)
            org = tk.get_action("organization_create")(ctx(), {"name": NAME, "title": "Benchmark"})
            pkg = tk.get_action("package_create")(ctx(), {
                "name": NAME, "title": "Benchmark", "owner_org": org["id"], "layer": "operational",
                "notes": "A throwaway dataset of the load benchmark."})
            started = time.perf_counter()
            created = tk.get_action("datastore_create")(ctx(), {
                "resource": {"package_id": pkg["id"], "name": "rows"}, "force": True,
                "fields": [{"id": c, "type": t} for c, t in fields]})
            phases = copyload.Timings()
            with path.open(encoding="utf-8") as f:
                count = copyload.copy_into_datastore(created["resource_id"], [c for c, _ in fields], f,
                                                     timings=phases)
            ds_s = time.perf_counter() - started
            ds_bytes = _size(conn, created["resource_id"])
            total = tk.get_action("datastore_search")(
                ctx(), {"resource_id": created["resource_id"], "limit": 0})["total"]
            assert count == total == args.rows, (count, total)
        finally:
            with conn.cursor() as cur:
                cur.execute(f'DROP TABLE IF EXISTS "{PLAIN}"')
            conn.commit()
            conn.close()
            _cleanup(tk, ctx)

        ds_plan = tk.config.get("ckan.datastore.default_fts_index_method") or "gist"
        ds_types = tk.config.get("ckan.datastore.default_fts_index_field_types")
    plain_rate, ds_rate = args.rows / plain_s, args.rows / ds_s
    # the rows reach the DataStore table, with their full text, only in the
    # INSERT: the COPY alone goes into a temporary table and is no measure
    rows_s = phases.copy + phases.full_text
    rows_rate = args.rows / rows_s
    print(f"plain table COPY          : {plain_s:7.1f} s  {plain_rate:>10,.0f} rows/s  "
          f"{plain_bytes / 1e6:6.0f} MB on disk")
    print(f"DataStore, complete       : {ds_s:7.1f} s  {ds_rate:>10,.0f} rows/s  {ds_bytes / 1e6:6.0f} MB on disk")
    print(f"  rows in, with full text     {rows_s:7.1f} s  {rows_rate:>10,.0f} rows/s")
    print(f"    COPY into staging table   {phases.copy:7.1f} s")
    print(f"    INSERT, _id and full text {phases.full_text:7.1f} s")
    print(f"  CKAN's indexes rebuilt      {phases.indexes:7.1f} s  (full-text index method {ds_plan}; "
          f"per-column indexes on types: {ds_types})")
    print(f"  datastore_create, ANALYZE   {ds_s - phases.total:7.1f} s")
    ratio, rows_ratio = ds_rate / plain_rate, rows_rate / plain_rate
    print(f"ratio DataStore complete / plain COPY         : {ratio:.2f}")
    print(f"ratio DataStore rows with full text / plain COPY: {rows_ratio:.2f}")
    print(f"target >= 0.5: {'met' if ratio >= 0.5 else 'NOT met'} for the complete load, "
          f"{'met' if rows_ratio >= 0.5 else 'NOT met'} for the rows with their full text (no indexes)")


def _cleanup(tk, ctx) -> None:
    try:
        pkg = tk.get_action("package_show")(ctx(), {"id": NAME})
    except tk.ObjectNotFound:
        pkg = None
    if pkg:
        for res in pkg["resources"]:
            try:
                tk.get_action("datastore_delete")(ctx(), {"resource_id": res["id"], "force": True})
            except tk.ObjectNotFound:
                pass
        tk.get_action("dataset_purge")(ctx(), {"id": pkg["id"]})
    try:
        tk.get_action("organization_purge")(ctx(), {"id": NAME})
    except tk.ObjectNotFound:
        pass


if __name__ == "__main__":
    main()
