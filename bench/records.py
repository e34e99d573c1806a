"""Benchmark: records of a concept and protected counts, against hand-written SQL.

On the portal as loaded (load the demo first, e.g. `ckan ldeco demo load --scale 10`):

- `ldeco_records_search` for every Case as a sysadmin, all pages of 1,000,
  against one hand-written `UNION ALL` over the same tables and mapped
  columns (target: <= 1.3);
- `ldeco_records_aggregate` by organisation, against a hand-written
  `GROUP BY` over the same tables: cold (the protection computed, its LP
  audit included) and warm (the pattern cached); target <= 1.5.

Alternating, in the same run; prints medians and ratios. Not a test.

    .venv/bin/python bench/records.py [--ckan-ini ckan.ini] [--concept case] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ckan-ini", default="ckan.ini")
    parser.add_argument("--concept", default="case")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.ckan_ini))
    with app._wsgi_app.test_request_context():  # type: ignore[attr-defined]
        return run(args)


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def run(args: argparse.Namespace) -> int:
    import ckan.plugins.toolkit as tk
    import sqlalchemy as sa
    from ckanext.datastore.backend.postgres import get_read_engine

    from ckanext.ldeco.records import aggregate
    from ckanext.ldeco.records.sources import identifier

    site = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    sources = aggregate.sources(args.concept)
    if not sources:
        print(f"no tables conform to {args.concept}: load the demo first", file=sys.stderr)
        return 1
    props = ["case_id", "opened"] if args.concept == "case" else sorted(sources[0].mapping)[:2]
    usable = [s for s in sources if all(p in s.mapping for p in props)]
    rows = 0  # counted by the search below
    union = " UNION ALL ".join(
        f"SELECT {', '.join(f'{identifier(s.mapping[p])}::text AS {identifier(p)}' for p in props)}, "
        f"'{s.resource_id}' AS source FROM {identifier(s.resource_id)}" for s in usable)
    grouped = " UNION ALL ".join(
        f"SELECT '{s.organization.replace(chr(39), chr(39) * 2)}' AS organisation, count(*) AS n "
        f"FROM {identifier(s.resource_id)}" for s in sources)
    grouped = f"SELECT organisation, sum(n) FROM ({grouped}) t GROUP BY organisation"

    def sql_union() -> None:
        with get_read_engine().connect() as conn:
            conn.execute(sa.text(union)).fetchall()

    def sql_group() -> None:
        with get_read_engine().connect() as conn:
            conn.execute(sa.text(grouped)).fetchall()

    def search() -> None:
        nonlocal rows
        cursor, rows = None, 0
        while True:
            found = tk.get_action("ldeco_records_search")(dict(site), {
                "concept": args.concept, "fields": props, "limit": 1000, **({"cursor": cursor} if cursor else {})})
            rows += len(found["records"])
            cursor = found["next_cursor"]
            if not cursor:
                return

    def counts_cold() -> None:
        aggregate._cache.clear()
        tk.get_action("ldeco_records_aggregate")(dict(site), {"concept": args.concept, "group_by": ["organisation"]})

    def counts_warm() -> None:
        tk.get_action("ldeco_records_aggregate")(dict(site), {"concept": args.concept, "group_by": ["organisation"]})

    search(), sql_union(), counts_cold(), sql_group()  # warm the caches and connections once
    times: dict[str, list[float]] = {k: [] for k in ("search", "union", "cold", "warm", "group")}
    for _ in range(args.runs):
        times["search"].append(_timed(search))
        times["union"].append(_timed(sql_union))
        times["cold"].append(_timed(counts_cold))
        times["warm"].append(_timed(counts_warm))
        times["group"].append(_timed(sql_group))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{args.concept}: {rows:,} records in {len(usable)} of {len(sources)} tables; {args.runs} runs, medians")
    print(f"  ldeco_records_search, all pages   {med['search'] * 1000:9.1f} ms")
    ratio = med["search"] / med["union"]
    print(f"  hand-written UNION ALL            {med['union'] * 1000:9.1f} ms   ratio {ratio:.2f} (target <= 1.3)")
    print(f"  ldeco_records_aggregate, cold     {med['cold'] * 1000:9.1f} ms   ratio {med['cold'] / med['group']:.2f}")
    print(f"  ldeco_records_aggregate, warm     {med['warm'] * 1000:9.1f} ms   ratio {med['warm'] / med['group']:.2f}"
          " (target <= 1.5)")
    print(f"  hand-written GROUP BY             {med['group'] * 1000:9.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
