"""Benchmark: "all Cases" search against the same search on a plain core field.

Creates (once) N datasets over four themes, half of them Case descendants
(family cases, planning applications, pothole reports) and half not, puts the
Case ones in one organisation, indexes them, then times package_search with
fq=ldeco_concept:case against fq=organization:<that organisation> -- the same
result set through a core field -- alternating, in the same run. Prints the
medians and the ratio (target: <= 1.2). Not a test.

    .venv/bin/python bench/search.py [--ckan-ini ckan.ini] [--datasets 10000] [--queries 300] [--cleanup]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid

CASE_CONCEPTS = ["family-case", "planning-application", "pothole-report"]
OTHER_CONCEPTS = ["family", "organisation", "area", "service"]
PREFIX = "ldeco-bench-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ckan-ini", default="ckan.ini")
    parser.add_argument("--datasets", type=int, default=10000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--cleanup", action="store_true", help="remove the benchmark's datasets and stop")
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.ckan_ini))
    with app._wsgi_app.test_request_context():  # type: ignore[attr-defined]
        return run(args)


def _org(name: str, title: str) -> str:
    import ckan.plugins.toolkit as tk

    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    try:
        return tk.get_action("organization_show")({"ignore_auth": True, "user": user}, {"id": name})["id"]
    except tk.ObjectNotFound:
        return tk.get_action("organization_create")({"ignore_auth": True, "user": user},
                                                    {"name": name, "title": title})["id"]


def cleanup() -> None:
    import ckan.model as model
    from ckan.lib.search import clear

    ids = [i for (i,) in model.Session.query(model.Package.id).filter(model.Package.name.like(PREFIX + "%"))]
    for n, package_id in enumerate(ids, 1):
        clear(package_id)
        if n % 1000 == 0:
            print(f"  un-indexed {n}/{len(ids)}", file=sys.stderr)
    model.Session.query(model.PackageExtra).filter(model.PackageExtra.package_id.in_(ids)).delete(
        synchronize_session=False)
    model.Session.query(model.Package).filter(model.Package.id.in_(ids)).delete(synchronize_session=False)
    model.Session.commit()
    print(f"removed {len(ids)} benchmark datasets")


def create(n: int, case_org: str, other_org: str) -> list[str]:
    import ckan.model as model

    have = {name for (name,) in model.Session.query(model.Package.name).filter(model.Package.name.like(PREFIX + "%"))}
    new_ids = []
    packages, extras = [], []
    for i in range(n):
        name = f"{PREFIX}{i:05d}"
        if name in have:
            continue
        is_case = i % 2 == 0
        concept = CASE_CONCEPTS[(i // 2) % 3] if is_case else OTHER_CONCEPTS[(i // 2) % 4]
        pid = str(uuid.uuid4())
        new_ids.append(pid)
        packages.append({"id": pid, "name": name, "title": f"Benchmark {concept} {i}", "type": "dataset",
                         "state": "active", "private": False, "owner_org": case_org if is_case else other_org,
                         "notes": f"Benchmark dataset {i}", "metadata_created": model.package.datetime.datetime.utcnow(),
                         "metadata_modified": model.package.datetime.datetime.utcnow()})
        for key, value in (("conforms_to", concept), ("conforms_to_version", "1"), ("layer", "operational")):
            extras.append({"id": str(uuid.uuid4()), "package_id": pid, "key": key, "value": value, "state": "active"})
    for start in range(0, len(packages), 2000):
        model.Session.bulk_insert_mappings(model.Package, packages[start:start + 2000])
        model.Session.commit()
    for start in range(0, len(extras), 5000):
        model.Session.bulk_insert_mappings(model.PackageExtra, extras[start:start + 5000])
        model.Session.commit()
    return new_ids


def index(ids: list[str]) -> None:
    from ckan.lib.search import commit, rebuild

    started = time.perf_counter()
    for start in range(0, len(ids), 500):
        rebuild(package_ids=ids[start:start + 500], defer_commit=True, quiet=True)
        print(f"  indexed {min(start + 500, len(ids))}/{len(ids)} "
              f"({time.perf_counter() - started:.0f}s)", file=sys.stderr)
    commit()


def run(args) -> int:
    import ckan.plugins.toolkit as tk

    from ckanext.ldeco.dictionary import packs

    if args.cleanup:
        cleanup()
        return 0
    packs.load_shipped()
    case_org = _org(f"{PREFIX}cases", "Benchmark: case datasets")
    other_org = _org(f"{PREFIX}others", "Benchmark: other datasets")
    new_ids = create(args.datasets, case_org, other_org)
    print(f"created {len(new_ids)} datasets ({args.datasets} wanted)", file=sys.stderr)
    if new_ids:
        index(new_ids)

    search = tk.get_action("package_search")
    ctx = {"ignore_auth": True}
    queries = {"concept": {"fq": "ldeco_concept:case"}, "core field": {"fq": f"organization:{PREFIX}cases"}}
    counts = {k: search(dict(ctx), dict(q, rows=0))["count"] for k, q in queries.items()}
    if counts["concept"] != counts["core field"]:
        print(f"the two queries do not find the same datasets: {counts}", file=sys.stderr)
        return 1
    for _ in range(20):  # warm both up
        for q in queries.values():
            search(dict(ctx), dict(q, rows=20))
    timings: dict[str, list[float]] = {k: [] for k in queries}
    for i in range(args.queries):
        order = list(queries.items()) if i % 2 == 0 else list(reversed(queries.items()))
        for key, q in order:
            t = time.perf_counter()
            search(dict(ctx), dict(q, rows=20, start=(i % 10) * 20))
            timings[key].append((time.perf_counter() - t) * 1000)
    med = {k: statistics.median(v) for k, v in timings.items()}
    ratio = med["concept"] / med["core field"]
    print(f"datasets matching: {counts['concept']} of {args.datasets}")
    print(f"package_search fq=ldeco_concept:case           median {med['concept']:.2f} ms")
    print(f"package_search fq=organization:{PREFIX}cases median {med['core field']:.2f} ms")
    print(f"ratio {ratio:.2f} (target <= 1.2) over {args.queries} queries each")
    return 0 if ratio <= 1.2 else 2


if __name__ == "__main__":
    sys.exit(main())
