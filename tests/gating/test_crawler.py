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

- every rule, GET, with each known value of each of its arguments at
  least once; HEAD too where the answer is not a page (redirects, files,
  dumps, feeds);
- every rule without arguments again with ``q``, ``incomplete`` and
  ``query`` set to a false and to a true prefix of a canary;
- every action through the API, with the ids of the objects its name is
  about under every common parameter name, with the ids of the caller's
  own objects beside the world's (a write authorised on one end only),
  and with queries built from true and false prefixes of the canaries
  for every action that takes a query, filter, sort or item list.

Each answer (body and headers, Location too) must carry no canary the
request did not itself carry; an answer to a true prefix must not differ
from the answer to a false one in status or in any count; no answer may
be a server error raised in (or passing through) this extension's code
(others are printed); and the world must be as it was after each
caller's writes. Failures are collected, so one run names every finding.
"""
from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from werkzeug.routing import IntegerConverter, Rule

from tests.gating.answers import Answer, calling
from tests.gating.canaries import STATES, CanaryWorld, fingerprint, world_fixture
from tests.gating.discovery import actions, known_params, writes
from tests.gating.probes import action_values, known_values, probes_for

keeper, world = world_fixture()

# Rules the crawler does not fill, each with its reason. Keep it short.
UNFILLED = {
    "api.action": "the action crawl calls every registered action through this route",
}
# Rules walked as the first caller only, each with its reason: answers
# that take seconds to build and are the same for every caller.
ONCE = {
    "ldeco_dictionary.turtle": "the whole dictionary as Turtle (seconds to serialise); no caller-dependent part",
    "ldeco_dictionary.jsonld": "the whole dictionary as JSON-LD (seconds to serialise); no caller-dependent part",
}
FORMATS = ["csv", "json", "ttl", "jsonld", "xml", "rdf", "n3"]


class Findings:
    """Every finding of one caller's crawl, so that one run names them all."""

    def __init__(self, state: str, secrets: dict[str, str]) -> None:
        self.state = state
        self.secrets = secrets
        self.lines: list[str] = []
        self.elsewhere: dict[str, str] = {}  # server errors raised outside this extension: reported, not failed

    def leaks(self, where: str, sent: str, answer: Answer) -> None:
        for name, secret in self.secrets.items():
            if secret in sent:
                continue  # the caller's own words echoed back are no leak
            if secret in answer.body:
                self.lines.append(f"LEAK {name} in body: {where} -> {answer.status}")
            elif secret in answer.headers:
                self.lines.append(f"LEAK {name} in headers: {where} -> {answer.status}")
        if answer.status >= 500:
            if answer.ours:
                self.lines.append(f"SERVER ERROR: {where}: {answer.error}")
            else:
                self.elsewhere.setdefault(answer.error.split(" at ")[-1], f"{where}: {answer.error}")

    def oracle(self, where: str, true_sig: Any, false_sig: Any) -> None:
        if true_sig != false_sig:
            self.lines.append(f"ORACLE {where}: true prefix {true_sig} vs false prefix {false_sig}")

    def check(self, summary: str) -> None:
        print(f"\n{summary}")
        if self.elsewhere:
            print(f"  server errors outside this extension ({len(self.elsewhere)} places):")
            for line in self.elsewhere.values():
                print(f"    {line[:300]}")
        assert not self.lines, f"{self.state}: {len(self.lines)} findings\n" + "\n".join(self.lines)


# ---- values the world offers ------------------------------------------------

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
        "resource_view_id": values["view"],
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
        if not choices[name]:
            return None  # the world holds no such object: as unfillable as an unknown argument
        if name == "id" and len(names) > 1:
            choices[name] = choices[name][:1]  # beside other arguments, the object's name stands for its id too
    first = {name: vals[0] for name, vals in choices.items()}
    combos = [first]
    for name, vals in choices.items():
        combos += [{**first, name: v} for v in vals[1:]]
    return combos


def _rules(app) -> list[Rule]:
    return [r for r in app.flask_app.url_map.iter_rules() if "GET" in (r.methods or ()) or "POST" in (r.methods or ())]


def _urls(app, w: CanaryWorld) -> tuple[list[tuple[str, str, bool]], dict[str, str]]:
    """(endpoint, URL, whether the rule takes arguments) for every filled
    rule, and the rules that could not be filled."""
    fillers = _fillers(app, w, known_values(w))
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


def _searching(url: str, words: str) -> str:
    return f"{url}?{urlencode({'q': words, 'incomplete': words, 'query': words})}"


def _signature(answer: Answer, sent: str) -> Any:
    """What may not depend on the truth of a prefix: the status, every count
    and list length in a JSON answer, and the error with the words sent
    taken out; in a page, the numbers it shows."""
    body = answer.body.replace(sent, "<SENT>") if sent else answer.body
    try:
        data = json.loads(body)
    except ValueError:
        # a page or a feed: its visible numbers ("3 datasets found"), not its markup (CSRF
        # tokens change) nor the clock (a feed's <updated> is now)
        text = re.sub(r"<script.*?</script>|<[^>]*>", " ", body, flags=re.S)
        text = re.sub(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?", " ", text)
        # nor the clock as a page tells it ("42 seconds ago" is "43 seconds ago" a second later)
        text = re.sub(r"\b\d+\s+(second|minute|hour|day|week|month|year)s?\s+ago\b", " ", text)
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
    assert set(ONCE) <= endpoints, f"ONCE names rules that are gone: {set(ONCE) - endpoints}"
    assert len(UNFILLED) <= 3 and len(ONCE) <= 3


@pytest.mark.parametrize("state", STATES)
def test_no_route_shows_a_canary(app, world, state):
    started = time.monotonic()
    found = Findings(state, world.canaries.secrets())
    urls, _unfilled = _urls(app, world)
    assert len(urls) > 100
    plain: dict[str, Any] = {}
    with calling(app, world.headers(state)) as caller:
        for endpoint, url, _args in urls:
            if endpoint in ONCE and state != STATES[0]:
                continue
            answer = caller.send("GET", url)
            found.leaks(f"GET {url} ({endpoint})", url, answer)
            plain[url] = _signature(answer, "")
            if not answer.header("Content-Type").startswith("text/html"):
                # redirects, files, dumps, feeds: the headers may be all a client looks at
                found.leaks(f"HEAD {url} ({endpoint})", url, caller.send("HEAD", url))
        # the rules without arguments are the searches: each with a false and a true prefix
        searches = [(e, u) for e, u, args in urls if not args and u in plain]
        prefix = _prefix(world.canaries.token)
        asked = 0
        for endpoint, url in searches:
            sigs = []
            for words in (_false(prefix), prefix):
                full = _searching(url, words)
                answer = caller.send("GET", full)
                asked += 1
                found.leaks(f"GET {full} ({endpoint})", full, answer)
                sigs.append(_signature(answer, words))
                # a page that reads none of them answers as without them: no need to ask the true prefix
                if answer.header("Content-Type").startswith("text/html") and sigs[0] == plain[url]:
                    break
            if len(sigs) == 2 and sigs[1] != sigs[0]:
                # a page that changes by itself between two asks is noise, not an oracle:
                # the false prefix again must answer as it did the first time
                again = caller.send("GET", _searching(url, _false(prefix)))
                asked += 1
                if _signature(again, _false(prefix)) != sigs[0]:
                    continue
                found.oracle(f"GET {url}?q=<prefix of the link's token> ({endpoint})", sigs[1], sigs[0])
    found.check(f"routes as {state}: {len(urls)} URLs, {asked} searches, {time.monotonic() - started:.1f} s")


# ---- the action crawl ----------------------------------------------------------

def _oracle_probes(w: CanaryWorld, params: set[str]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(label, the words sent, probe), each label twice: a true prefix (or
    value, or name), then a false one. Only for an action that takes the
    parameter the probe sets; those that search a table only where the
    action names a table (`resource_id`)."""
    c = w.canaries
    tables = "resource_id" in params

    def pair(label: str, secret: str, make, prefix: bool = True):
        true = _prefix(secret) if prefix else secret
        for words in (true, _false(true)):
            probe = make(words)
            if set(probe) & params:
                yield label, words, probe

    for name in ("token", "path"):  # the link: what the index and the resource table are searched on
        secret = getattr(c, name)
        yield from pair(f"q ~ {name}", secret, lambda p: {"q": f"{p}*"})
        yield from pair(f"q res_url ~ {name}", secret, lambda p: {"q": f"res_url:*{p}*"})
        yield from pair(f"fq res_url ~ {name}", secret, lambda p: {"fq": f"res_url:*{p}*"})
        yield from pair(f"query url ~ {name}", secret, lambda p: {"query": f"url:{p}"})
        yield from pair(f"query list ~ {name}", secret, lambda p: {"query": [f"url:{p}"]})
    if tables:
        for name in ("cell", "column_value"):  # the rows
            secret = getattr(c, name)
            column = "key_worker" if name == "cell" else c.column
            yield from pair(f"q ~ {name}", secret, lambda p: {"q": f"{p}:*"})
            yield from pair(f"full_text ~ {name}", secret, lambda p: {"full_text": f"{p}:*"})
            yield from pair(f"full_text = {name}", secret, lambda v: {"full_text": v}, False)
            yield from pair(f"q dict ~ {name}", secret, lambda p, col=column: {"q": {col: f"{p}:*"}})
            yield from pair(f"filters = {name}", secret, lambda v, col=column: {"filters": {col: v}}, False)
            yield from pair(f"filters json = {name}", secret,
                            lambda v, col=column: {"filters": json.dumps({col: v})}, False)
            yield from pair(f"filters list = {name}", secret, lambda v, col=column: {"filters": {col: [v]}}, False)
        # the column's name: asked for, sorted on, searched
        for label, make in [
            ("fields", lambda col: {"fields": [col]}), ("fields str", lambda col: {"fields": col}),
            ("sort", lambda col: {"sort": col}), ("sort list", lambda col: {"sort": [f"{col} desc"]}),
            ("distinct", lambda col: {"distinct": True, "fields": [col]}),
        ]:
            yield from pair(f"{label} ~ column", c.column, make, False)
    yield from pair("data_items ~ column", c.column, lambda col: {"data_items": ["family_id", col]}, False)


@pytest.mark.parametrize("state", STATES)
def test_no_action_shows_a_canary(app, world, state):
    started = time.monotonic()
    found = Findings(state, world.canaries.secrets())
    values = action_values(world)
    registry = actions()
    calls = 0
    succeeded_writes: list[str] = []
    slowest: list[tuple[float, str]] = []
    with calling(app, world.headers(state)) as caller:
        for name in sorted(registry):
            began = time.monotonic()
            fn = registry[name]
            probes = probes_for(world, values, state, name, fn)
            for probe in probes:
                sent = json.dumps(probe)
                answer = caller.action(name, probe)
                calls += 1
                found.leaks(f"{name} {sent}", sent, answer)
                if writes(fn) and answer.status == 200:
                    succeeded_writes.append(f"{name} {sent}")
            # the oracle: the same call with a true and a false prefix
            base = probes[1] if len(probes) > 1 else {}
            if "resource_id" in base:  # a table is searched: the canary table
                base = {**base, "resource_id": world.table["id"]}
                base.pop("id", None)
            pending: dict[str, tuple[Any, str]] = {}
            for label, words, probe in _oracle_probes(world, known_params(name, fn)):
                body = {**base, **probe}
                sent = json.dumps(body)
                answer = caller.action(name, body)
                calls += 1
                found.leaks(f"{name} {sent}", sent, answer)
                if label not in pending:
                    pending[label] = (_signature(answer, words), sent)
                    continue
                true_sig, true_sent = pending.pop(label)
                found.oracle(f"{name} {label}: {true_sent}", true_sig, _signature(answer, words))
            slowest = sorted([*slowest, (time.monotonic() - began, name)], reverse=True)[:5]
    if fingerprint(world) != world.fingerprint:
        found.lines.append("WORLD CHANGED by this caller's writes; those that succeeded:\n  "
                           + "\n  ".join(succeeded_writes))
    found.check(f"actions as {state}: {len(registry)} actions, {calls} calls, {time.monotonic() - started:.1f} s "
                f"(slowest: {', '.join(f'{n} {t:.1f} s' for t, n in slowest)}); writes that succeeded: "
                f"{sorted({w.split(' ')[0] for w in succeeded_writes})}")
