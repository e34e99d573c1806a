"""The canary crawler: every route and every action, as every caller who
must not see the canaries, and not one canary in any answer.

Nothing here lists the routes or the actions: the routes come from Flask's
URL map and the actions from CKAN's registry, so a route or an action
added by anyone is walked by the next run. What is listed is how to fill
a route's arguments (``_fillers``), by argument name: a rule with an
argument nobody knows how to fill fails ``test_every_rule_is_filled``
until it is given a filler or an entry in ``UNFILLED`` with the reason.

For each caller state (anonymous, signed in without a grant, another
publisher's admin, expired grant, revoked grant, partial grant):

- every GET rule, with every combination of known values for its
  arguments, then HEAD for the same URLs;
- every rule without arguments again with ``q``, ``incomplete`` and
  ``query`` set to a true and to a false prefix of a canary;
- every action through the API, with the ids of the objects its name is
  about under every common parameter name, with the ids of the caller's
  own objects beside the world's (a write authorised on one end only),
  and with queries built from true and false prefixes of the canaries
  for every action that takes a query, filter, sort or item list.

Each answer (body and headers, Location too) must carry no canary the
request did not itself carry; an answer to a true prefix must not differ
from the answer to a false one in status or in any count; no answer may
be a server error; and the world must be as it was after each caller's
writes. Failures are collected, so one run names every finding.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from werkzeug.routing import IntegerConverter, Rule

from tests.gating.canaries import STATES, CanaryWorld, fingerprint, world_fixture
from tests.gating.discovery import actions, known_params, writes

keeper, world = world_fixture()

# Rules the crawler does not fill, each with its reason. Keep it short.
UNFILLED = {
    "api.action": "the action crawl calls every registered action through this route",
}
FORMATS = ["csv", "json", "ttl", "jsonld", "xml", "rdf", "n3"]
# Routes whose server errors come from code outside this extension, on
# input that makes no sense there: still crawled for canaries, and their
# 500s reported here rather than as findings. Each with the reason.
SERVER_ERRORS_OUTSIDE_LDECO = {
    "api.snippet": "core renders an ajax snippet with the query string as its variables; asked without "
                   "them, the template raises UndefinedError",
    "activity.package_changes_multiple": "core's activity plugin raises NotFound without new_id/old_id",
    "activity.organization_changes_multiple": "core's activity plugin raises NotFound without new_id/old_id",
    "activity.group_changes_multiple": "core's activity plugin raises NotFound without new_id/old_id",
    "dcat.read_dataset": "ckanext-dcat raises PluginException for a format it has no serializer for (csv, json)",
    "dcat.read_catalog": "ckanext-dcat raises PluginException for a format it has no serializer for (csv, json)",
    "dcat.read_dataset_series": "ckanext-dcat raises PluginException for a format it has no serializer for",
}


@dataclass
class Answer:
    status: int
    body: str
    headers: str

    def headers_of(self, name: str) -> str:
        for line in self.headers.splitlines():
            key, _, value = line.partition(": ")
            if key.lower() == name.lower():
                return value
        return ""


def _answer(res) -> Answer:
    headers = "\n".join(f"{k}: {v}" for k, v in res.headers.items())
    return Answer(res.status_code, res.get_data(as_text=True), headers)


def _send(client, method: str, url: str, headers: dict[str, str], body: Any = None) -> Answer:
    try:
        if body is None:
            res = client.open(url, method=method, headers=headers, follow_redirects=False)
        else:
            res = client.open(url, method=method, headers=headers, json=body, follow_redirects=False)
    except Exception as err:  # raised through the test client: what a real caller sees as a 500
        model.Session.rollback()
        return Answer(500, f"{type(err).__name__}: {err}", "")
    model.Session.remove()  # as at the end of a real request: the next one reads afresh
    return _answer(res)


class Findings:
    def __init__(self, state: str, secrets: dict[str, str]) -> None:
        self.state = state
        self.secrets = secrets
        self.lines: list[str] = []

    def leaks(self, where: str, sent: str, answer: Answer, endpoint: str = "") -> None:
        for name, secret in self.secrets.items():
            if secret in sent:
                continue  # the caller's own words echoed back are no leak
            if secret in answer.body:
                self.lines.append(f"LEAK {name} in body: {where} -> {answer.status}")
            elif secret in answer.headers:
                self.lines.append(f"LEAK {name} in headers: {where} -> {answer.status}")
        if answer.status >= 500 and endpoint not in SERVER_ERRORS_OUTSIDE_LDECO:
            self.lines.append(f"SERVER ERROR {answer.status}: {where}: {answer.body[:200]!r}")

    def oracle(self, where: str, true_sig: Any, false_sig: Any) -> None:
        if true_sig != false_sig:
            self.lines.append(f"ORACLE {where}: true prefix {true_sig} vs false prefix {false_sig}")

    def check(self) -> None:
        assert not self.lines, f"{self.state}: {len(self.lines)} findings\n" + "\n".join(self.lines)


# ---- values the world offers ------------------------------------------------

def _values(w: CanaryWorld) -> dict[str, list[str]]:
    """Known values by kind of object, read as a sysadmin."""
    site = {"user": w.sysadmin["name"]}
    act = tk.get_action
    org_acts = act("organization_activity_list")(dict(site), {"id": w.org["id"], "limit": 3})
    group_acts = act("group_activity_list")(dict(site), {"id": w.group["id"], "limit": 3})
    views = [v["id"] for r in w.resources for v in act("resource_view_list")(dict(site), {"id": r["id"]})]
    requests = [r["id"] for r in act("ldeco_access_request_list")(dict(site), {"dataset_id": w.dataset["id"]})]
    # the newest activities hold every resource; the oldest hold the first links
    activities = list(dict.fromkeys(w.activities[:2] + w.activities[-1:] + [a["id"] for a in org_acts[:1]]
                                    + [a["id"] for a in group_acts[:1]]))
    concept = w.table.get("conforms_to") or "family-case"
    code_lists = [p["code_list"] for p in act("ldeco_concept_show")(dict(site), {"id": concept})["properties"]
                  if p.get("code_list")]
    return {
        "dataset": [w.dataset["name"], w.dataset["id"]],
        "resource": [r["id"] for r in w.resources],
        "activity": activities,
        "organization": [w.org["name"], w.org["id"]],
        "group": [w.group["name"]],
        "tag": ["families"],
        "user": [w.publisher["name"], w.users["partial"]["name"]],
        "request": requests,
        "grant": [g["id"] for g in w.grants.values()],
        "view": views or ["no-such-view"],
        "concept": [concept, *code_lists[:1]],
    }


# The kind of object a rule's `id` names, by the rule's leading path (longest first).
ID_BY_PREFIX = [
    ("/dataset/changes/", "activity"), ("/organization/changes/", "activity"), ("/group/changes/", "activity"),
    ("/feeds/organization/", "organization"), ("/feeds/group/", "group"), ("/feeds/tag/", "tag"),
    ("/dataset", "dataset"), ("/organization/", "organization"), ("/group/", "group"), ("/user/", "user"),
    ("/access/request/", "request"), ("/access/grant/", "grant"),
]


def _fillers(app, w: CanaryWorld, values: dict[str, list[str]]) -> dict[str, Any]:
    """How to fill each argument name: a list of values, or a function of the rule."""
    from ckanext.ldeco.rights import model as rights_model

    def id_for(rule: Rule) -> list[str]:
        for prefix, kind in ID_BY_PREFIX:
            if rule.rule.startswith(prefix):
                return values[kind]
        return [v for vs in values.values() for v in vs]

    def ver_for(rule: Rule) -> list[str]:
        conv = rule._converters.get("ver")
        if isinstance(conv, IntegerConverter) and conv.min is not None and conv.max is not None:
            return [str(conv.max)]  # the versions of a route are one view
        return ["3"]

    def snippets(rule: Rule) -> list[str]:
        names = [t.removeprefix("ajax_snippets/") for t in app.flask_app.jinja_env.list_templates()
                 if t.startswith("ajax_snippets/")]
        return names or ["follow_button.html"]

    return {
        "id": id_for,
        "_id": values["dataset"],
        "resource_id": values["resource"],
        "activity_id": values["activity"],
        "view_id": values["view"],
        "filename": ["cases.csv"],
        "_format": FORMATS, "fmt": FORMATS, "format": FORMATS,
        "name": values["concept"],
        "register": list(rights_model.REGISTERS),
        "lang": ["en_GB"],
        "ver": ver_for,
        "snippet_path": snippets,
        # the locale redirects and the asset routes take any path: give them
        # the dataset's and the uploads' storage layout
        "path": [f"dataset/{w.dataset['name']}", f"resources/{w.upload['id'][:3]}/{w.upload['id'][3:6]}"],
        "jti": ["no-such-token"],
    }


def _fill(rule: Rule, fillers: dict[str, Any]) -> list[dict[str, str]] | None:
    """Values for the rule's arguments, each value of each argument at least
    once (the others at their first value: the full product would multiply
    the crawl's length, not what it can find); None if an argument has no filler."""
    names = sorted(a for a in rule.arguments if a not in (rule.defaults or {}))
    choices: dict[str, list[str]] = {}
    for name in names:
        filler = fillers.get(name)
        if filler is None:
            return None
        choices[name] = filler(rule) if callable(filler) else filler
    first = {name: vals[0] for name, vals in choices.items() if vals}
    if len(first) < len(names):
        return []
    combos = [first]
    for name, vals in choices.items():
        combos += [{**first, name: v} for v in vals[1:]]
    return combos


def _rules(app) -> list[Rule]:
    return [r for r in app.flask_app.url_map.iter_rules() if "GET" in (r.methods or ()) or "POST" in (r.methods or ())]


def _urls(app, w: CanaryWorld) -> tuple[list[tuple[str, str, bool]], dict[str, str]]:
    """(endpoint, URL, whether the rule takes arguments) for every filled
    rule, and the rules that could not be filled."""
    fillers = _fillers(app, w, _values(w))
    urls: dict[str, tuple[str, bool]] = {}
    unfilled: dict[str, str] = {}
    for rule in _rules(app):
        if rule.endpoint in UNFILLED:
            continue
        combos = _fill(rule, fillers)
        if combos is None:
            unfilled[rule.endpoint] = rule.rule
            continue
        for args in combos:
            try:
                _domain, path = rule.build(args, append_unknown=False) or ("", "")
            except Exception:  # a value its converter refuses
                continue
            urls.setdefault(path, (rule.endpoint, bool(args)))
    return [(e, u, a) for u, (e, a) in urls.items()], unfilled


# ---- true and false prefixes ---------------------------------------------------

def _false(secret: str) -> str:
    """The same text with its last character changed: a prefix that matches nothing."""
    return secret[:-1] + ("0" if secret[-1] != "0" else "1")


def _prefix(secret: str) -> str:
    return secret[: len(secret) - 6]  # the word and most of its random part


def _signature(answer: Answer, sent: str) -> Any:
    """What may not depend on the truth of a prefix: the status, every count
    and list length in a JSON answer, and the error with the words sent
    taken out; in a page, the numbers it shows."""
    body = answer.body.replace(sent, "<SENT>")
    try:
        data = json.loads(body)
    except ValueError:
        # a page: its visible numbers ("3 datasets found"), not its markup (CSRF tokens change)
        text = re.sub(r"<script.*?</script>|<[^>]*>", " ", body, flags=re.S)
        return answer.status, re.findall(r"\b\d+\b", text)
    counts: list[Any] = []

    def walk(obj: Any, path: str) -> None:
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k in ("count", "total") and not isinstance(v, (dict, list)):
                    counts.append((f"{path}.{k}", v))
                walk(v, f"{path}.{k}")
        elif isinstance(obj, list):
            counts.append((f"{path}[]", len(obj)))
            for v in obj:
                walk(v, f"{path}[]")

    walk(data.get("result") if isinstance(data, dict) else data, "result")
    error = data.get("error") if isinstance(data, dict) else None
    return answer.status, sorted(map(str, counts)), json.dumps(error, sort_keys=True)


# ---- the route crawl --------------------------------------------------------------

def test_every_rule_is_filled_or_excluded_with_a_reason(app, world):
    _urls_found, unfilled = _urls(app, world)
    assert not unfilled, ("rules with arguments the crawler cannot fill: give them a filler in _fillers, or an "
                          f"entry in UNFILLED with the reason: {unfilled}")
    endpoints = {r.endpoint for r in _rules(app)}
    assert set(UNFILLED) <= endpoints, f"UNFILLED names rules that are gone: {set(UNFILLED) - endpoints}"
    assert len(UNFILLED) <= 3


@pytest.mark.parametrize("state", STATES)
def test_no_route_shows_a_canary(app, world, state):
    started = time.monotonic()
    found = Findings(state, world.canaries.secrets())
    client = app.test_client(use_cookies=False)
    headers = world.headers(state)
    urls, _unfilled = _urls(app, world)
    assert len(urls) > 100
    for endpoint, url, _args in urls:
        answer = _send(client, "GET", url, headers)
        found.leaks(f"GET {url} ({endpoint})", url, answer, endpoint)
        if not answer.headers_of("Content-Type").startswith("text/html"):
            # redirects, files, dumps, feeds: what a HEAD answers may be all a client looks at
            found.leaks(f"HEAD {url} ({endpoint})", url, _send(client, "HEAD", url, headers), endpoint)
    # the rules without arguments are the searches: ask each with a true and a false prefix
    searches = [(e, u) for e, u, args in urls if not args]
    prefix = _prefix(world.canaries.token)
    for endpoint, url in searches:
        answers = []
        for words in (prefix, _false(prefix)):
            full = f"{url}?{urlencode({'q': words, 'incomplete': words, 'query': words})}"
            answers.append((_send(client, "GET", full, headers), words))
            found.leaks(f"GET {full} ({endpoint})", full, answers[-1][0], endpoint)
        found.oracle(f"GET {url}?q=<prefix of the link's token> ({endpoint})",
                     _signature(*answers[0]), _signature(*answers[1]))
    took = time.monotonic() - started
    print(f"\nroutes as {state}: {len(urls)} URLs, {len(searches)} searches, {took:.1f} s")
    found.check()


# ---- the action crawl ----------------------------------------------------------

# The kind of object an action is about, from the words of its name
# (`<object>_<verb>`, core's convention and ours). An action whose name says
# nothing is given every kind.
KINDS_BY_WORD = {
    "package": ["dataset"], "dataset": ["dataset"], "resource": ["resource"], "datastore": ["resource"],
    "view": ["view", "resource"], "activity": ["activity", "dataset"], "organization": ["organization"],
    "group": ["group"], "member": ["organization", "group"], "user": ["user"], "follower": ["user"],
    "followee": ["user"], "dashboard": ["user"], "token": ["user"], "grant": ["grant"], "request": ["request"],
    "quality": ["resource"], "handshake": ["dataset"], "odrl": ["dataset", "grant"], "audit": ["dataset"],
    "schedule": ["schedule", "dataset"], "tag": ["tag"], "empowerment": ["empowerment", "organization"],
    "accreditation": ["user"], "concept": ["concept"], "pack": ["concept"],
}


def _kinds(action: str) -> list[str]:
    kinds: list[str] = []
    for word in action.split("_"):
        kinds += KINDS_BY_WORD.get(word, [])
    return list(dict.fromkeys(kinds))


def _subject_probes(w: CanaryWorld, values: dict[str, list[str]], kind: str) -> list[dict[str, Any]]:
    """One probe per object of the kind: its id under every name that may mean it."""
    ds = {"package_id": w.dataset["id"], "dataset_id": w.dataset["id"]}
    if kind == "dataset":
        return [{"id": w.dataset["id"], "name": w.dataset["name"], "object": w.dataset["id"],
                 "object_type": "package", **ds}]
    if kind == "resource":
        return [{"id": r["id"], "resource_id": r["id"], **ds} for r in w.resources]
    if kind == "activity":
        return [{"id": a, "activity_id": a, "object_type": "package"} for a in values["activity"]]
    if kind in ("organization", "group"):
        g = w.org if kind == "organization" else w.group
        return [{"id": g["id"], "organization_id": g["id"], "group_id": g["id"], "owner_org": g["id"],
                 "name": g["name"], "object": w.dataset["id"], "object_type": "package"}]
    if kind == "user":
        return [{"id": u, "user_id": u, "username": u, "user": u} for u in values["user"]]
    if kind == "grant":
        return [{"id": g, "grant_id": g} for g in values["grant"]]
    if kind == "request":
        return [{"id": r, "request_id": r} for r in values["request"]]
    if kind == "view":
        return [{"id": v, "view_id": v} for v in values["view"]]
    if kind == "tag":
        return [{"id": "families", "name": "families", "tag": "families"}]
    if kind == "schedule":
        return [{"id": s["name"], "name": s["name"]} for s in values["schedules"]]
    if kind == "empowerment":
        return [{"id": e, "empowerment_id": e} for e in values["empowerments"]]
    if kind == "concept":
        return [{"id": c, "name": c} for c in values["concept"]]
    return []


def _handshake_fields(w: CanaryWorld, state: str, values: dict[str, list[str]]) -> dict[str, Any]:
    """What a request for access needs, with the caller's own empowerment
    where it has one: so that checks past validation are reached."""
    today = dt.date.today()
    own = values["own_empowerment"].get(state)
    return {"purpose": "crime-reduction", "gateway": "cda1998-s115", "start_date": today.isoformat(),
            "end_date": (today + dt.timedelta(days=30)).isoformat(), "accept_terms": True, "terms_version": "1",
            "justification": "Joint work.", "role": "police-liaison-officer",
            **({"empowerment_id": own} if own else {})}


def _own_probe(w: CanaryWorld, state: str) -> dict[str, Any]:
    """The caller's own objects where a write names a second one: a write
    must be authorised against the stored owner as well as the new one."""
    if state != "other_admin":
        return {}
    return {"dataset_id": w.other_dataset["id"], "package_id": w.other_dataset["id"],
            "owner_org": w.other_org["id"], "organization_id": w.other_org["id"]}


def _oracle_probes(w: CanaryWorld, params: set[str]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(label, the words sent, probe) for true and false prefixes: each
    label twice, the true prefix first. Only for an action that takes
    the parameter the probe sets."""
    c = w.canaries
    values = {"token": c.token, "path": c.path, "cell": c.cell, "column_value": c.column_value, "file": c.file}
    for name, secret in values.items():
        for p in (_prefix(secret), _false(_prefix(secret))):
            templates: list[tuple[str, dict[str, Any]]] = [
                ("q", {"q": p}), ("q*", {"q": f"{p}*"}), ("q url", {"q": f"url:*{p}*"}),
                ("q res_url", {"q": f"res_url:*{p}*"}), ("fq res_url", {"fq": f"res_url:*{p}*"}),
                ("query url", {"query": f"url:{p}"}), ("query list", {"query": [f"url:{p}"]}),
                ("query", {"query": p}), ("q prefix", {"q": f"{p}:*"}),
                ("q dict", {"q": {"key_worker": f"{p}:*", c.column: f"{p}:*"}}),
                ("incomplete", {"incomplete": p}),
            ]
            for label, probe in templates:
                if set(probe) & params:
                    yield f"{label} ~ {name}", p, probe
        # exact values: filters in every accepted form
        for v in (secret, _false(secret)):
            for label, probe in [
                ("filters", {"filters": {"key_worker": v}}),
                ("filters col", {"filters": {c.column: v}}),
                ("filters json", {"filters": json.dumps({"key_worker": v})}),
                ("filters list", {"filters": {"key_worker": [v]}}),
            ]:
                if set(probe) & params:
                    yield f"{label} = {name}", v, probe
    # the column's name: named, sorted on, searched, asked for as an item
    for col in (c.column, _false(c.column)):
        for label, probe in [
            ("fields", {"fields": [col]}), ("fields str", {"fields": col}), ("sort", {"sort": col}),
            ("sort list", {"sort": [f"{col} desc"]}), ("distinct", {"distinct": True, "fields": [col]}),
            ("q on column", {"q": {col: "x"}}), ("filters on column", {"filters": {col: "x"}}),
            ("data_items", {"data_items": [col]}), ("items", {"data_items": ["family_id", col]}),
        ]:
            if set(probe) & params:
                yield f"{label} ~ column", col, probe


def _action_values(w: CanaryWorld) -> dict[str, Any]:
    from ckanext.ldeco.rights import model as rights_model

    values: dict[str, Any] = _values(w)
    site = {"user": w.sysadmin["name"]}
    values["schedules"] = tk.get_action("ldeco_schedule_list")(dict(site), {"dataset_id": w.dataset["id"]})
    own: dict[str, str] = {}
    for state, user in w.users.items():
        row = model.Session.query(rights_model.Empowerment).filter_by(user_id=user["id"]).first()
        if row is not None:
            own[state] = row.id
    values["own_empowerment"] = own
    values["empowerments"] = list(own.values())[:1]
    return values


@pytest.mark.parametrize("state", STATES)
def test_no_action_shows_a_canary(app, world, state):
    started = time.monotonic()
    secrets = world.canaries.secrets()
    found = Findings(state, secrets)
    client = app.test_client(use_cookies=False)
    headers = world.headers(state)
    values = _action_values(world)
    registry = actions()
    calls = 0
    succeeded_writes: list[str] = []
    for name in sorted(registry):
        fn = registry[name]
        params = known_params(name, fn)
        kinds = _kinds(name) or ["dataset", "resource", "organization", "user", "activity", "grant", "request"]
        extra = _handshake_fields(world, state, values)
        probes: list[dict[str, Any]] = [{}]
        for kind in kinds:
            probes += [{**extra, **p} for p in _subject_probes(world, values, kind)]
        if writes(fn) and _own_probe(world, state):
            probes += [{**p, **_own_probe(world, state)} for kind in kinds
                       for p in _subject_probes(world, values, kind)[:1]]
        for probe in probes:
            sent = json.dumps(probe)
            answer = _send(client, "POST", f"/api/3/action/{name}", headers, probe)
            calls += 1
            found.leaks(f"{name} {sent}", sent, answer)
            if writes(fn) and answer.status == 200:
                succeeded_writes.append(f"{name} {sent}")
        base = next((p for p in probes if p), {})
        if name.startswith("datastore_"):
            base = {**extra, "resource_id": world.table["id"], "id": world.table["id"]}
        pending: dict[str, tuple[Answer, str, dict]] = {}
        for label, words, probe in _oracle_probes(world, params):
            body = {**base, **probe}
            answer = _send(client, "POST", f"/api/3/action/{name}", headers, body)
            calls += 1
            found.leaks(f"{name} {json.dumps(body)}", json.dumps(body), answer)
            if label not in pending:
                pending[label] = (answer, words, body)
                continue
            true_answer, true_words, true_body = pending.pop(label)
            found.oracle(f"{name} {label}: {json.dumps(true_body)}", _signature(true_answer, true_words),
                         _signature(answer, words))
    if fingerprint(world) != world.fingerprint:
        found.lines.append("WORLD CHANGED by this caller's writes; those that succeeded:\n  "
                           + "\n  ".join(succeeded_writes))
    print(f"\nactions as {state}: {len(registry)} actions, {calls} calls, {time.monotonic() - started:.1f} s; "
          f"writes that succeeded: {succeeded_writes}")
    found.check()
