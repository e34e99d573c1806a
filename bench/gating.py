"""Benchmark: what gating costs.

1. Downloading a restricted resource (decision + audit record) against an
   open resource of the same size, by the same officer, interleaved.
2. package_search as an officer holding many grants against anonymous.

Runs in-process through CKAN's WSGI app against the real PostgreSQL, Solr and
Redis named by the ini file (default: test.ini, the test databases), makes
its own data under a unique prefix and purges it afterwards.
Targets: gated/open <= 1.15; officer/anonymous search <= 1.2.

    .venv/bin/python bench/gating.py [--ini test.ini] [--rounds 200] [--grants 100]
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", default=str(ROOT / "test.ini"))
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--grants", type=int, default=100)
    parser.add_argument("--size-kb", type=int, default=256)
    parser.add_argument("--show-queries", action="store_true", help="print each request's SQL to stderr")
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.ini))
    flask_app = app._wsgi_app if hasattr(app, "_wsgi_app") else app
    return run(flask_app, args)


def run(flask_app, args) -> int:
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from werkzeug.datastructures import FileStorage

    from ckanext.ldeco.rights import loader
    from ckanext.ldeco.rights import model as rights_model

    # Setting up needs a request context (uploads); the measured requests
    # make their own, as in production.
    setup_ctx = flask_app.test_request_context()
    setup_ctx.push()
    site = {"ignore_auth": True, "user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}

    def act(action, context=None, **data):
        return tk.get_action(action)(dict(context or site), data)

    tag = uuid.uuid4().hex[:8]
    print(f"bench/gating: preparing data (prefix bench-{tag})", file=sys.stderr)
    loader.seed(progress=lambda _: None)
    publisher = act("user_create", name=f"bench-{tag}-pub", email=f"pub-{tag}@example.org", password="bench-pass-1")
    officer = act("user_create", name=f"bench-{tag}-off", email=f"off-{tag}@example.org", password="bench-pass-1")
    police_admin = act("user_create", name=f"bench-{tag}-padm", email=f"padm-{tag}@example.org",
                       password="bench-pass-1")
    council = act("organization_create", name=f"bench-{tag}-council", agency_kind="council",
                  users=[{"name": publisher["name"], "capacity": "editor"}])
    police = act("organization_create", name=f"bench-{tag}-police", agency_kind="police",
                 users=[{"name": police_admin["name"], "capacity": "admin"},
                        {"name": officer["name"], "capacity": "member"}])
    body = (b"family_id,ward,headline_problem\n" + b"F-0001,E05011368,crime\n" * (args.size_kb * 1024 // 23))

    def dataset(level: str, name: str) -> tuple[dict, dict]:
        pkg = act("package_create", name=name, owner_org=council["id"], layer="operational", notes="bench",
                  access_level=level)
        res = act("resource_create", package_id=pkg["id"], name="rows", format="CSV", url="",
                  upload=FileStorage(io.BytesIO(body), filename="rows.csv", content_type="text/csv"))
        return pkg, res

    open_pkg, open_res = dataset("open", f"bench-{tag}-open")
    gated_pkg, gated_res = dataset("restricted", f"bench-{tag}-gated")
    act("ldeco_schedule_create", name=f"bench-{tag}-schedule", title="bench", organization_id=council["id"],
        roles=["police-liaison-officer"], purposes=["crime-reduction"], gateways=["cda1998-s115"],
        data_items=["family_id", "ward", "headline_problem"], terms="bench", terms_version="1",
        max_grant_days=90)
    today = dt.date.today()
    empowerment = act("ldeco_empowerment_create", {"user": police_admin["name"]}, user_id=officer["id"],
                      organization_id=police["id"], role="police-liaison-officer",
                      start_date=today.isoformat())

    def grant(pkg_id: str) -> None:
        made = act("ldeco_access_request_create", {"user": officer["name"]}, dataset_id=pkg_id,
                   empowerment_id=empowerment["id"], purpose="crime-reduction", gateway="cda1998-s115",
                   data_items=["family_id", "ward", "headline_problem"], start_date=today.isoformat(),
                   end_date=(today + dt.timedelta(days=30)).isoformat(), accept_terms=True, terms_version="1",
                   justification="bench")
        act("ldeco_access_request_decide", {"user": publisher["name"]}, id=made["id"], decision="approved",
            reason="bench")

    grant(gated_pkg["id"])
    extra = []
    for i in range(args.grants - 1):
        pkg = act("package_create", name=f"bench-{tag}-g{i}", owner_org=council["id"], layer="operational",
                  notes="bench", access_level="restricted")
        extra.append(pkg["id"])
        grant(pkg["id"])
    token = act("api_token_create", {"user": officer["name"]}, user=officer["name"], name="bench")["token"]
    officer_headers = {"Authorization": token}
    # the same kind of signed-in caller with no grant: what signing in costs by itself
    bystander = act("user_create", name=f"bench-{tag}-bys", email=f"bys-{tag}@example.org",
                    password="bench-pass-1")
    act("organization_member_create", id=police["id"], username=bystander["name"], role="member")
    bystander_headers = {"Authorization": act("api_token_create", {"user": bystander["name"]},
                                              user=bystander["name"], name="bench")["token"]}
    model.Session.remove()
    setup_ctx.pop()
    client = flask_app.test_client()
    # The officer as a browser is signed in: by the session cookie that the
    # log-in form sets (flask-login's user id), the way officers search the portal.
    browser = flask_app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = officer["id"]
        session["_fresh"] = True
    assert browser.get("/api/3/action/ldeco_grant_list").get_json()["result"], \
        "the officer's session cookie did not sign them in"

    def url(pkg, res):
        return f"/dataset/{pkg['id']}/resource/{res['id']}/download/rows.csv"

    for u in (url(open_pkg, open_res), url(gated_pkg, gated_res)):  # warm up, and check it works
        r = client.get(u, headers=officer_headers)
        assert r.status_code == 200 and len(r.data) == len(body), (u, r.status_code)

    print(f"bench/gating: {args.rounds} downloads of {len(body) // 1024} KiB each way", file=sys.stderr)
    open_t, gated_t = [], []
    for _ in range(args.rounds):
        for target, samples in ((url(open_pkg, open_res), open_t), (url(gated_pkg, gated_res), gated_t)):
            start = time.perf_counter()
            r = client.get(target, headers=officer_headers)
            r.get_data()
            samples.append(time.perf_counter() - start)
            assert r.status_code == 200

    print(f"bench/gating: {args.rounds} searches each way", file=sys.stderr)
    anon_t, officer_t, token_t, bystander_t = [], [], [], []
    query = "/api/3/action/package_search?q=bench&rows=20"
    for _ in range(args.rounds):
        for caller, headers, samples in ((client, {}, anon_t), (browser, {}, officer_t),
                                         (client, officer_headers, token_t), (client, bystander_headers, bystander_t)):
            start = time.perf_counter()
            r = caller.get(query, headers=headers)
            r.get_data()
            samples.append(time.perf_counter() - start)
            assert r.status_code == 200

    # The same search as the portal's search page asks it: with the page's
    # facets (core's and every plugin's) and private datasets included.
    import json

    from ckan.plugins import PluginImplementations
    from ckan.plugins.interfaces import IFacets

    facets: dict = {"organization": "", "groups": "", "tags": "", "res_format": "", "license_id": ""}
    for plugin in PluginImplementations(IFacets):
        facets = plugin.dataset_facets(facets, "dataset")
    page_query = (f"/api/3/action/package_search?q=bench&rows=20&include_private=true"
                  f"&facet.field={json.dumps(list(facets))}")
    anon_page_t, officer_page_t = [], []
    for _ in range(args.rounds):
        for caller, samples in ((client, anon_page_t), (browser, officer_page_t)):
            start = time.perf_counter()
            r = caller.get(page_query)
            r.get_data()
            samples.append(time.perf_counter() - start)
            assert r.status_code == 200 and r.get_json()["result"]["search_facets"]

    # What each kind of request asks the database: the figures that explain
    # the times. Counted at the driver, on connections made afresh, so that
    # statements sent below SQLAlchemy and the pool's liveness pings count too.
    import psycopg2.extensions
    import sqlalchemy as sa

    statements: list[str] = []

    class Counting(psycopg2.extensions.cursor):
        def execute(self, query, params=None):
            statements.append(query if isinstance(query, str) else query.decode())
            return super().execute(query, params)

    def counting(dbapi_connection, *_):
        dbapi_connection.cursor_factory = Counting

    model.Session.remove()
    model.meta.engine.dispose()
    sa.event.listen(model.meta.engine, "connect", counting)
    queries = {}
    for label, caller, target, headers in (
            ("download open", client, url(open_pkg, open_res), officer_headers),
            ("download gated", client, url(gated_pkg, gated_res), officer_headers),
            ("search anonymous", client, query, {}),
            ("search officer (session)", browser, query, {}),
            ("search officer (token)", client, query, officer_headers),
            ("search no grant (token)", client, query, bystander_headers)):
        caller.get(target, headers=headers).get_data()  # a warm connection, as in the timed rounds
        statements.clear()
        caller.get(target, headers=headers).get_data()
        queries[label] = len(statements)
        if args.show_queries:
            print(f"--- {label}", *statements, sep="\n", file=sys.stderr)
    sa.event.remove(model.meta.engine, "connect", counting)
    model.Session.remove()
    model.meta.engine.dispose()

    setup_ctx.push()
    grants_held = model.Session.query(rights_model.Grant).filter(rights_model.Grant.user_id == officer["id"]).count()
    d_open, d_gated = _median_ms(open_t), _median_ms(gated_t)
    s_anon, s_officer = _median_ms(anon_t), _median_ms(officer_t)
    s_token, s_bystander = _median_ms(token_t), _median_ms(bystander_t)
    print(f"download open     median {d_open:8.2f} ms")
    print(f"download gated    median {d_gated:8.2f} ms  (decision + audit record)")
    print(f"ratio gated/open         {d_gated / d_open:8.3f}  (target <= 1.15)")
    print(f"search anonymous  median {s_anon:8.2f} ms")
    print(f"search officer    median {s_officer:8.2f} ms  ({grants_held} grants held; signed in, session cookie)")
    print(f"ratio officer/anonymous  {s_officer / s_anon:8.3f}  (target <= 1.2)")
    p_anon, p_officer = _median_ms(anon_page_t), _median_ms(officer_page_t)
    print(f"search page's query ({len(facets)} facets), anonymous median {p_anon:8.2f} ms")
    print(f"search page's query, officer (session)   median {p_officer:8.2f} ms")
    print(f"ratio officer/anonymous, search page's query {p_officer / p_anon:8.3f}  (target <= 1.2)")
    print(f"search officer, API token           median {s_token:8.2f} ms  (ratio to anonymous {s_token / s_anon:.3f})")
    print(f"search signed in, no grant, API token median {s_bystander:8.2f} ms")
    print(f"ratio officer/no-grant, both by token {s_token / s_bystander:8.3f}  (what grants add to search)")

    print("database statements per request: " + ", ".join(f"{k} {v}" for k, v in queries.items()))

    print("bench/gating: cleaning up", file=sys.stderr)
    for pkg_id in [open_pkg["id"], gated_pkg["id"], *extra]:
        act("dataset_purge", id=pkg_id)
    model.Session.query(rights_model.Grant).filter(rights_model.Grant.user_id == officer["id"]).delete()
    model.Session.commit()
    setup_ctx.pop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
