"""Property-based fuzzing of every action this extension registers or
chains, through the real API: no input makes the server fail, and a
refused call writes nothing.

The actions are found at run time (every ``ldeco_*`` action, and every core
action whose chain passes through this extension: ``datastore_search``,
``datastore_info``, ``resource_search``, ``package_show``, the activity
actions, ...), and so are their parameter names (documented, read or
validated; see ``discovery.known_params``). Hypothesis fills those names,
beside the ids of the world's objects and a few names of its own, with
wrong types, lists for scalars, nested objects, NUL bytes, huge strings and
unknown ids, sends them as JSON or as a query string with repeated keys,
as callers from anonymous to sysadmin, and checks each answer:

- never a server error (HTTP 500);
- a refused call (4xx) leaves every ``ldeco_*`` table as it was, but for
  the audit trail, which may gain one record of the refusal itself (the
  gated channels record every refusal) and never a record of an access;
- the audit chain verifies at the end.

Examples are derandomized and no example database is kept, so a run is
the same on every machine; each action gets a bounded number of examples.
Failures are collected over all actions, so one run names them all.
"""
from __future__ import annotations

import json
import time
from contextlib import ExitStack
from typing import Any
from urllib.parse import urlencode

import ckan.model as model
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.gating.answers import OURS, Answer, Caller, calling
from tests.gating.canaries import CanaryWorld, world_fixture
from tests.gating.discovery import actions, known_params, passes_through, writes
from tests.gating.probes import action_values, probes_for

keeper, world = world_fixture()

EXAMPLES = 12  # per action, callers drawn among them: about 850 calls in all
# names any action might read, beside those it documents
COMMON = ["id", "name", "q", "query", "resource_id", "package_id", "dataset_id", "user_id", "organization_id",
          "limit", "offset", "sort", "filters", "fields", "include_data", "object_type", "activity_id",
          "data_items", "queue", "state", "type"]


def targets() -> dict[str, Any]:
    """Every action of this extension, and every core action it chains."""
    return {name: fn for name, fn in actions().items() if name.startswith("ldeco_") or passes_through(fn, OURS)}


# ---- strategies ------------------------------------------------------------------

def _scalars(ids: list[str]) -> st.SearchStrategy:
    return st.one_of(
        st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.none(),
        st.text(max_size=12),
        st.text(max_size=12).map(lambda s: f"{s}\x00{s}"),  # NUL bytes
        st.integers(min_value=5_000, max_value=120_000).map(lambda n: "x" * n),  # huge strings
        st.uuids().map(str),  # unknown ids
        st.sampled_from(ids),  # the world's real ids, so that checks past the lookup are reached
        st.sampled_from(["", " ", "*", "%", "_id", "../", "'; --", "{}", "[]", "null", "true", "2026-02-30",
                         "-1", "1e309", "a:b", "\u202e", "📁"]),
    )


def _values(ids: list[str]) -> st.SearchStrategy:
    scalar = _scalars(ids)
    return st.recursive(scalar, lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)), max_leaves=6)


def _data(names: list[str], ids: list[str], bases: list[dict[str, Any]]) -> st.SearchStrategy:
    """A well-formed call for the action, with some parameters replaced or added."""
    key = st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=10))
    return st.tuples(st.sampled_from(bases), st.dictionaries(key, _values(ids), min_size=1, max_size=4)).map(
        lambda pair: {**pair[0], **pair[1]})


# ---- what a call may change ---------------------------------------------------------

def _tables() -> list[str]:
    with model.meta.engine.connect() as conn:
        return [r[0] for r in conn.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'ldeco\\_%' "
            "ORDER BY tablename"))]


def _counts(tables: list[str]) -> dict[str, int]:
    """Rows of each table, and the audit trail's last sequence number, in one statement."""
    sql = " UNION ALL ".join([*(f"SELECT '{t}', count(*) FROM {t}" for t in tables),
                              "SELECT 'audit seq', coalesce(max(seq), 0) FROM ldeco_audit_event"])
    with model.meta.engine.connect() as conn:
        return dict(conn.execute(sa.text(sql)).fetchall())


def _new_audit(after_seq: int) -> list[str]:
    with model.meta.engine.connect() as conn:
        return [r[0] for r in conn.execute(sa.text(
            "SELECT outcome FROM ldeco_audit_event WHERE seq > :seq"), {"seq": after_seq})]


def _send(caller: Caller, name: str, data: dict[str, Any], as_query: bool) -> tuple[Answer, str]:
    if as_query:
        pairs: list[tuple[str, str]] = []
        for k, v in data.items():
            for item in v if isinstance(v, list) else [v]:  # lists become repeated keys: ?id=a&id=b
                pairs.append((str(k), item if isinstance(item, str) else json.dumps(item)))
        url = f"/api/3/action/{name}?{urlencode(pairs)}"
        return caller.send("GET", url), f"GET {name} {_short(data)} (as a query string)"
    return caller.action(name, data), f"POST {name} {_short(data)}"


def _short(data: dict[str, Any]) -> str:
    """The call, each value cut short: enough to reproduce what matters."""
    return "{" + ", ".join(f"{json.dumps(k)[:40]}: {json.dumps(v, default=str)[:60]}" for k, v in data.items()) + "}"


def _check(answer: Answer, sent: str, before: dict[str, int], tables: list[str]) -> str | None:
    if answer.status >= 500:
        return f"SERVER ERROR {answer.status}: {sent}: {answer.error}"
    if 400 <= answer.status < 500:
        after = _counts(tables)
        changed = {t: (before[t], after[t]) for t in tables if before[t] != after[t] and t != "ldeco_audit_event"}
        if changed:
            return f"REFUSED ({answer.status}) BUT WROTE {changed}: {sent}"
        if after["audit seq"] != before["audit seq"]:
            audit = _new_audit(before["audit seq"])
            if len(audit) > 1 or any(outcome != "refused" for outcome in audit):
                return f"REFUSED ({answer.status}) BUT AUDITED {audit}: {sent}"
    return None


# callers from anonymous to sysadmin: the refusals, and the checks past them
CALLERS = ("anonymous", "no_grant", "partial", "publisher", "sysadmin")


def _headers(w: CanaryWorld, who: str) -> dict[str, str]:
    if who in ("publisher", "sysadmin"):
        return {"Authorization": getattr(w, who)["token"]}
    return w.headers(who)


def _fuzz(name: str, fn: Any, callers: dict[str, Caller], strategy: st.SearchStrategy,
          tables: list[str]) -> tuple[int, list[str]]:
    """Hypothesis's examples for one action: the calls made, and the first few problems."""
    problems: list[str] = []
    calls = 0

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(who=st.sampled_from(CALLERS), data=strategy, as_query=st.booleans())
    def probe(who: str, data: dict[str, Any], as_query: bool) -> None:
        nonlocal calls
        as_query = as_query and not writes(fn)  # core answers a GET to a write with 400
        before = _counts(tables)
        answer, sent = _send(callers[who], name, data, as_query)
        calls += 1
        problem = _check(answer, sent, before, tables)
        if problem and len(problems) < 4:
            problems.append(f"as {who}: {problem}")

    probe()
    return calls, problems


def test_no_input_fails_the_server_or_writes_when_refused(app, world):
    started = time.monotonic()
    values = action_values(world)
    ids = sorted({v for vs in values.values() if isinstance(vs, list) for v in vs}
                 | {r["id"] for r in world.resources} | {world.dataset["id"], world.org["id"]})
    tables = _tables()
    found = targets()
    findings: dict[str, list[str]] = {}
    calls = 0
    with ExitStack() as stack:
        callers = {who: stack.enter_context(calling(app, _headers(world, who))) for who in CALLERS}
        for name, fn in sorted(found.items()):
            names = sorted(set(known_params(name, fn)) | set(COMMON))
            bases = probes_for(world, values, "partial", name, fn)[:4]
            made, problems = _fuzz(name, fn, callers, _data(names, ids, bases), tables)
            calls += made
            if problems:
                findings[name] = problems
        verified = callers["sysadmin"].action("ldeco_audit_verify", {})
    print(f"\nfuzz: {len(found)} actions, {calls} calls, {time.monotonic() - started:.1f} s; "
          f"{len(findings)} actions with findings: {sorted(findings)}")
    assert verified.status == 200 and json.loads(verified.body)["result"]["intact"], verified.body
    assert not findings, f"{sum(map(len, findings.values()))} findings in {len(findings)} actions:\n" + "\n".join(
        line for name in sorted(findings) for line in [f"{name}:", *(f"  {p}" for p in findings[name])])
