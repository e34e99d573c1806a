"""Known values of the canary world, and the probes built from them: an
action's parameters filled with the ids of the objects its name is about,
under every name that may mean them."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk

from tests.gating.canaries import CanaryWorld
from tests.gating.discovery import known_params, writes

__all__ = ["known_values", "action_values", "kinds", "subject_probes", "mixed_probe", "handshake_fields",
           "own_probe", "probes_for"]


def known_values(w: CanaryWorld) -> dict[str, list[str]]:
    """Known values by kind of object, read as a sysadmin."""
    site = {"user": w.sysadmin["name"]}
    act = tk.get_action
    org_acts = act("organization_activity_list")(dict(site), {"id": w.org["id"], "limit": 3})
    group_acts = act("group_activity_list")(dict(site), {"id": w.group["id"], "limit": 3})
    views = [v["id"] for r in w.resources for v in act("resource_view_list")(dict(site), {"id": r["id"]})]
    from ckanext.ldeco.rights import model as rights_model

    # the requests behind the grants, read from the table: the list action shows a caller its own
    requests = [g.request_id for g in model.Session.query(rights_model.Grant)
                .filter(rights_model.Grant.id.in_([g["id"] for g in w.grants.values()])) if g.request_id]
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
        "organization": [w.org["name"]],
        "group": [w.group["name"]],
        "tag": ["families"],
        "user": [w.publisher["name"]],
        "request": requests,
        "grant": [g["id"] for g in w.grants.values()],
        "view": views or ["no-such-view"],
        "concept": [concept, *code_lists[:1]],
    }


# The kind of object an action is about, from the words of its name
# (`<object>_<verb>`, core's convention and ours).
KINDS_BY_WORD = {
    "package": ["dataset"], "dataset": ["dataset"], "resource": ["resource"], "datastore": ["resource"],
    "view": ["view"], "activity": ["activity", "dataset"], "organization": ["organization"],
    "group": ["group"], "member": ["organization", "group"], "user": ["user"], "follower": ["dataset"],
    "followee": ["user"], "dashboard": ["user"], "token": ["user"], "grant": ["grant"], "request": ["request"],
    "quality": ["resource"], "handshake": ["dataset"], "odrl": ["dataset", "grant"], "audit": ["dataset"],
    "schedule": ["schedule", "dataset"], "tag": ["tag"], "empowerment": ["empowerment", "organization"],
    "accreditation": ["user"], "concept": ["concept"], "pack": ["concept"],
}


def kinds(action: str) -> list[str]:
    kinds: list[str] = []
    for word in action.split("_"):
        kinds += KINDS_BY_WORD.get(word, [])
    return list(dict.fromkeys(kinds))


def subject_probes(w: CanaryWorld, values: dict[str, Any], kind: str) -> list[dict[str, Any]]:
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
        u = w.publisher["name"]
        return [{"id": u, "user_id": u, "username": u, "user": u}]
    simple = {"grant": "grant", "request": "request", "view": "view", "schedule": "schedule",
              "empowerment": "empowerment", "concept": "concept", "tag": "tag"}
    if kind in simple:
        return [{"id": v, f"{kind}_id": v, "name": v} for v in values[simple[kind]]]
    return []


def mixed_probe(w: CanaryWorld, values: dict[str, Any]) -> dict[str, Any]:
    """For an action whose name says nothing of its object: one object of
    every kind, each under its own names, `id` the dataset's."""
    probe: dict[str, Any] = {}
    for kind in ("activity", "resource", "organization", "user", "grant", "request", "view", "dataset"):
        first = subject_probes(w, values, kind)[:1]
        probe.update(first[0] if first else {})
    probe["resource_id"] = w.table["id"]
    return probe


def handshake_fields(state: str, values: dict[str, Any]) -> dict[str, Any]:
    """What a request for access needs, with the caller's own empowerment
    where it has one: so that checks past validation are reached."""
    today = dt.date.today()
    own = values["own_empowerment"].get(state)
    return {"purpose": "crime-reduction", "gateway": "cda1998-s115", "start_date": today.isoformat(),
            "end_date": (today + dt.timedelta(days=30)).isoformat(), "accept_terms": True, "terms_version": "1",
            "justification": "Joint work.", **({"empowerment_id": own} if own else {})}


def own_probe(w: CanaryWorld, state: str) -> dict[str, Any]:
    """The caller's own objects beside the world's: a write must be
    authorised against the stored owner as well as the new one."""
    if state != "other_admin":
        return {}
    return {"dataset_id": w.other_dataset["id"], "package_id": w.other_dataset["id"],
            "owner_org": w.other_org["id"], "organization_id": w.other_org["id"]}


def action_values(w: CanaryWorld) -> dict[str, Any]:
    from ckanext.ldeco.rights import model as rights_model

    values: dict[str, Any] = known_values(w)
    site = {"user": w.sysadmin["name"]}
    values["schedule"] = [s["name"] for s in
                          tk.get_action("ldeco_schedule_list")(dict(site), {"dataset_id": w.dataset["id"]})]
    own: dict[str, str] = {}
    for state, user in w.users.items():
        row = model.Session.query(rights_model.Empowerment).filter_by(user_id=user["id"]).first()
        if row is not None:
            own[state] = row.id
    values["own_empowerment"] = own
    values["empowerment"] = list(own.values())[:1]
    values["tag"] = ["families"]
    return values


def probes_for(w: CanaryWorld, values: dict[str, Any], state: str, name: str, fn) -> list[dict[str, Any]]:
    """The calls to make: none of the parameters, then each object the
    action's name is about (or one of every kind), then, for a write by a
    caller with objects of its own, those beside the world's. Each probe
    keeps only the names the action is known to take (and `id`): strict
    schemas refuse the others, and the call would stop there."""
    params = known_params(name, fn) | {"id"}

    def keep(probe: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in probe.items() if k in params}

    about = kinds(name)
    extra = handshake_fields(state, values)
    probes: list[dict[str, Any]] = [{}]
    if not about:
        probes.append(keep({**extra, **mixed_probe(w, values)}))
    for kind in about:
        probes += [keep({**extra, **p}) for p in subject_probes(w, values, kind)]
    own = own_probe(w, state)
    if writes(fn) and own:
        probes += [{**p, **keep(own)} for p in probes[1:] if set(p) & set(own)][:2]
    unique = {json.dumps(p, sort_keys=True): p for p in probes}
    return list(unique.values())
