"""Theme packs: parse a pack's YAML, check it against the dictionary already
stored, and apply it in one transaction.

A pack is data (see schemas/dictionary/*.yaml and the README). Every refusal
names the pack, the concept and the property concerned; when anything is
refused nothing of the pack is applied.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import ckan.model as model  # the session is core's; the toolkit has no door to it
import ckan.plugins.toolkit as tk
import yaml

from ckanext.ldeco.dictionary import model as dm

__all__ = [
    "PackError",
    "parse",
    "check",
    "apply",
    "import_pack",
    "export_pack",
    "shipped_packs",
    "load_shipped",
    "LAYERS",
    "DATATYPES",
]

LAYERS = ("operational", "statistical", "analytical", "political", "reference")
DATATYPES = ("string", "integer", "decimal", "boolean", "date", "datetime", "uri")
COMPONENTS = ("dimension", "measure", "attribute")  # of the RDF Data Cube vocabulary
# A narrower datatype may replace the inherited one (an integer is a decimal).
NARROWER_DATATYPES = {("decimal", "integer"), ("datetime", "date")}
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
DATA_FILE_RE = re.compile(r"^[a-z0-9_-]+\.csv$")


class PackError(Exception):
    """A pack that cannot be applied; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Parsed:
    name: str
    title: str
    description: str
    version: str
    depends_on: list[str]
    concepts: list[dict[str, Any]]
    code_lists: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    source: str
    digest: str = ""
    problems: list[str] = field(default_factory=list)


def _where(
    pack: str, concept: str | None = None, prop: str | None = None, code_list: str | None = None
) -> str:
    parts = [tk._('pack "{0}"').format(pack)]
    if code_list:
        parts.append(tk._('code list "{0}"').format(code_list))
    if concept:
        parts.append(tk._('concept "{0}"').format(concept))
    if prop:
        parts.append(tk._('property "{0}"').format(prop))
    return ", ".join(parts)


def _data_file(name: str) -> str:
    return resources.files("ckanext.ldeco.schemas").joinpath("dictionary", "data", name).read_text("utf-8")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def parse(text: str) -> Parsed:
    """Read a pack's YAML into plain structures; shape problems raise PackError."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise PackError([tk._("The pack is not valid YAML: {0}").format(err)]) from err
    if not isinstance(data, dict) or not data.get("pack"):
        raise PackError([tk._('The pack must be a mapping with a "pack" name, "concepts" and "code_lists".')])
    name = _text(data["pack"])
    problems: list[str] = []
    if not NAME_RE.match(name):
        problems.append(
            tk._('pack "{0}": the name must be lower case letters, digits and hyphens').format(name)
        )
    depends = data.get("depends_on") or []
    if not isinstance(depends, list):
        problems.append(tk._('{0}: "depends_on" must be a list of pack names').format(_where(name)))
        depends = []

    code_lists = []
    for i, cl in enumerate(data.get("code_lists") or []):
        if not isinstance(cl, dict) or not cl.get("id"):
            problems.append(tk._('{0}: code list number {1} has no "id"').format(_where(name), i + 1))
            continue
        cid = _text(cl["id"])
        template = _text(cl.get("item_uri_template"))
        items = cl.get("items") or []
        if cl.get("items_from"):
            filename = _text(cl["items_from"])
            if not DATA_FILE_RE.match(filename):
                problems.append(
                    tk._(
                        '{0}: "items_from" must name a data file shipped with the dictionary, '
                        "such as lgsl_services.csv"
                    ).format(_where(name, code_list=cid))
                )
                continue
            try:
                items = list(csv.DictReader(io.StringIO(_data_file(filename))))
            except (FileNotFoundError, OSError):
                problems.append(
                    tk._('{0}: data file "{1}" does not exist').format(_where(name, code_list=cid), filename)
                )
                continue
        out_items = []
        for item in items:
            if not isinstance(item, dict) or not _text(item.get("code")):
                problems.append(tk._("{0}: every item needs a code").format(_where(name, code_list=cid)))
                continue
            code = _text(item["code"])
            out_items.append(
                {
                    "code": code,
                    "label": _text(item.get("label")) or code,
                    "uri": _text(item.get("uri")) or (template.format(code=code) if template else ""),
                    "broader": _text(item.get("broader")) or None,
                }
            )
        code_lists.append(
            {
                "id": cid,
                "label": _text(cl.get("label")) or cid,
                "definition": _text(cl.get("definition")),
                "uri": _text(cl.get("uri")),
                "source": _text(cl.get("source")),
                "broader_list": _text(cl.get("broader_list")) or None,
                "item_uri_template": template,
                "items": out_items,
            }
        )

    concepts = []
    for i, c in enumerate(data.get("concepts") or []):
        if not isinstance(c, dict) or not c.get("id"):
            problems.append(tk._('{0}: concept number {1} has no "id"').format(_where(name), i + 1))
            continue
        cid = _text(c["id"])
        props = []
        for j, p in enumerate(c.get("properties") or []):
            if not isinstance(p, dict) or not p.get("name"):
                problems.append(
                    tk._('{0}: property number {1} has no "name"').format(_where(name, cid), j + 1)
                )
                continue
            props.append(
                {
                    "name": _text(p["name"]),
                    "label": _text(p.get("label")) or _text(p["name"]),
                    "definition": _text(p.get("definition")),
                    "datatype": _text(p.get("datatype")) or None,
                    "range_concept": _text(p.get("range")) or None,
                    "code_list": _text(p.get("code_list")) or None,
                    "required": bool(p.get("required", False)),
                    "identifier_scheme": _text(p.get("identifier_scheme")) or None,
                    "component": _text(p.get("component")) or None,
                    "unit": _text(p.get("unit")) or None,
                    "markers": _text(p.get("markers")) or None,
                }
            )
        concepts.append(
            {
                "id": cid,
                "uri": _text(c.get("uri")),
                "label": _text(c.get("label")) or cid,
                "definition": _text(c.get("definition")),
                "layer": _text(c.get("layer")) or "operational",
                "theme": _text(c.get("theme")) or name,
                "parent": _text(c.get("parent")) or None,
                "properties": props,
            }
        )

    relations = []
    for r in data.get("relations") or []:
        if not isinstance(r, dict) or not all(r.get(k) for k in ("subject", "predicate", "object")):
            problems.append(
                tk._('{0}: every relation needs "subject", "predicate" and "object"').format(_where(name))
            )
            continue
        relations.append(
            {k: _text(r[k]) for k in ("subject", "predicate", "object")} | {"label": _text(r.get("label"))}
        )

    parsed = Parsed(
        name=name,
        title=_text(data.get("title")) or name,
        description=_text(data.get("description")),
        version=_text(data.get("version")) or "1",
        depends_on=[_text(d) for d in depends],
        concepts=concepts,
        code_lists=code_lists,
        relations=relations,
        source=text,
    )
    parsed.digest = hashlib.sha256(json.dumps(_canonical(parsed), sort_keys=True).encode()).hexdigest()
    if problems:
        raise PackError(problems)
    return parsed


def _canonical(parsed: Parsed) -> dict[str, Any]:
    return {
        "pack": parsed.name,
        "title": parsed.title,
        "description": parsed.description,
        "version": parsed.version,
        "depends_on": parsed.depends_on,
        "concepts": parsed.concepts,
        "code_lists": parsed.code_lists,
        "relations": parsed.relations,
    }


# -- the dictionary as stored, merged with a pack, for checking ------------------------------------


def _component_problems(where: str, layer: str, p: dict[str, Any]) -> list[str]:
    """A statistical concept's property is a Data Cube component; measures
    are numbers, and only they have units and markers."""
    out = []
    if p["component"] and p["component"] not in COMPONENTS:
        out.append(tk._('{0}: component "{1}" is not one of {2}').format(where, p["component"], ", ".join(COMPONENTS)))
    if p["component"] and layer != "statistical":
        out.append(tk._("{0}: only a concept of the statistical layer has components").format(where))
    if (p["unit"] or p["markers"]) and p["component"] != "measure":
        out.append(tk._('{0}: "unit" and "markers" belong to a measure').format(where))
    if p["component"] == "measure" and p["datatype"] not in ("integer", "decimal"):
        out.append(tk._('{0}: a measure is a number: give datatype "integer" or "decimal"').format(where))
    return out


def _stored_state(excluding_pack: str) -> tuple[dict, dict, set[str]]:
    concepts: dict[str, dict[str, Any]] = {}
    for c in model.Session.query(dm.Concept).filter(dm.Concept.pack != excluding_pack):
        concepts[c.name] = {"parent": c.parent, "pack": c.pack, "properties": {}}
    for p in model.Session.query(dm.ConceptProperty).filter(dm.ConceptProperty.concept.in_(list(concepts))):
        concepts[p.concept]["properties"][p.name] = {
            "datatype": p.datatype,
            "range_concept": p.range_concept,
            "code_list": p.code_list,
            "required": p.required,
        }
    lists: dict[str, dict[str, Any]] = {}
    for cl in model.Session.query(dm.CodeList).filter(dm.CodeList.pack != excluding_pack):
        lists[cl.name] = {"pack": cl.pack, "codes": None}  # codes read lazily: lists can be long
    packs = {p.name for p in model.Session.query(dm.Pack).filter(dm.Pack.name != excluding_pack)}
    return concepts, lists, packs


def _codes(lists: dict[str, dict[str, Any]], name: str) -> set[str]:
    entry = lists[name]
    codes: set[str] | None = entry["codes"]
    if codes is None:
        codes = entry["codes"] = {
            code for (code,) in model.Session.query(dm.CodeItem.code).filter(dm.CodeItem.code_list == name)
        }
    return codes


def _ancestors(concepts: dict[str, dict[str, Any]], name: str) -> list[str]:
    """Parents from nearest to root; stops (without looping) on a cycle."""
    out: list[str] = []
    seen = {name}
    current = concepts.get(name, {}).get("parent")
    while current and current in concepts and current not in seen:
        out.append(current)
        seen.add(current)
        current = concepts[current]["parent"]
    return out


def _narrowing_problem(
    parent: dict[str, Any], child: dict[str, Any], concepts: dict, lists: dict
) -> str | None:
    if parent["required"] and not child["required"]:
        return tk._("it is required where it is inherited from and may not become optional")
    if parent["code_list"]:
        if not child["code_list"]:
            return tk._('it must keep using a code list (inherited: "{0}")').format(parent["code_list"])
        if child["code_list"] != parent["code_list"]:
            extra = _codes(lists, child["code_list"]) - _codes(lists, parent["code_list"])
            if extra:
                return tk._('code list "{0}" is not a subset of the inherited "{1}" (not in it: {2})').format(
                    child["code_list"], parent["code_list"], ", ".join(sorted(extra)[:5])
                )
        return None
    if parent["range_concept"]:
        if not child["range_concept"]:
            return tk._('it must keep pointing to a concept (inherited: "{0}")').format(
                parent["range_concept"]
            )
        if child["range_concept"] != parent["range_concept"] and parent["range_concept"] not in _ancestors(
            concepts, child["range_concept"]
        ):
            return tk._('range "{0}" is not "{1}" or one of its sub-concepts').format(
                child["range_concept"], parent["range_concept"]
            )
        return None
    if (
        child["datatype"] != parent["datatype"]
        and (parent["datatype"], child["datatype"]) not in NARROWER_DATATYPES
    ):
        if child["code_list"] and parent["datatype"] == "string":
            return None  # a code list narrows free text
        return tk._('datatype "{0}" cannot replace the inherited "{1}"').format(
            child["datatype"] or child["range_concept"] or child["code_list"], parent["datatype"]
        )
    return None


def check(parsed: Parsed) -> tuple[dict, dict]:
    """Check a parsed pack against the stored dictionary; raise PackError with
    every problem found. Returns the merged concepts and code lists."""
    problems: list[str] = []
    name = parsed.name
    concepts, lists, packs = _stored_state(name)

    for dep in parsed.depends_on:
        if dep == name:
            problems.append(tk._("{0}: a pack cannot depend on itself").format(_where(name)))
        elif dep not in packs:
            problems.append(
                tk._('{0}: depends on pack "{1}", which is not loaded; load it first').format(
                    _where(name), dep
                )
            )

    for cl in parsed.code_lists:
        if not NAME_RE.match(cl["id"]):
            problems.append(
                tk._("{0}: the id must be lower case letters, digits and hyphens").format(
                    _where(name, code_list=cl["id"])
                )
            )
        if cl["id"] in lists:
            problems.append(
                tk._('{0}: this code list belongs to pack "{1}"').format(
                    _where(name, code_list=cl["id"]), lists[cl["id"]]["pack"]
                )
            )
            continue
        codes = [i["code"] for i in cl["items"]]
        dupes = sorted({c for c in codes if codes.count(c) > 1}) if len(codes) != len(set(codes)) else []
        if dupes:
            problems.append(
                tk._("{0}: codes used twice: {1}").format(_where(name, code_list=cl["id"]), ", ".join(dupes))
            )
        lists[cl["id"]] = {"pack": name, "codes": set(codes)}
    for cl in parsed.code_lists:
        target = cl["broader_list"] or cl["id"]
        if target not in lists:
            problems.append(
                tk._('{0}: "broader_list" names unknown code list "{1}"').format(
                    _where(name, code_list=cl["id"]), target
                )
            )
            continue
        known = _codes(lists, target)
        for item in cl["items"]:
            if item["broader"] and item["broader"] not in known:
                problems.append(
                    tk._('{0}: item "{1}" has unknown broader item "{2}"').format(
                        _where(name, code_list=cl["id"]), item["code"], item["broader"]
                    )
                )

    for c in parsed.concepts:
        cid = c["id"]
        if not NAME_RE.match(cid):
            problems.append(
                tk._("{0}: the id must be lower case letters, digits and hyphens").format(_where(name, cid))
            )
        if cid in concepts:
            owner = concepts[cid]["pack"]
            problems.append(
                tk._('{0}: this concept belongs to pack "{1}"{2}').format(
                    _where(name, cid), owner, tk._(" (or is declared twice)") if owner == name else ""
                )
            )
            continue
        if c["layer"] not in LAYERS:
            problems.append(
                tk._('{0}: layer "{1}" is not one of {2}').format(
                    _where(name, cid), c["layer"], ", ".join(LAYERS)
                )
            )
        props: dict[str, dict] = {}
        for p in c["properties"]:
            kinds = [k for k in ("datatype", "range_concept", "code_list") if p[k]]
            if p["datatype"] and p["code_list"] and p["datatype"] == "string":
                kinds = ["code_list"]
            if len(kinds) != 1:
                problems.append(
                    tk._('{0}: give exactly one of "datatype", "range" or "code_list"').format(
                        _where(name, cid, p["name"])
                    )
                )
            if p["datatype"] and p["datatype"] not in DATATYPES:
                problems.append(
                    tk._('{0}: datatype "{1}" is not one of {2}').format(
                        _where(name, cid, p["name"]), p["datatype"], ", ".join(DATATYPES)
                    )
                )
            problems.extend(_component_problems(_where(name, cid, p["name"]), c["layer"], p))
            if p["name"] in props:
                problems.append(tk._("{0}: declared twice").format(_where(name, cid, p["name"])))
            props[p["name"]] = p
        concepts[cid] = {"parent": c["parent"], "pack": name, "properties": props}

    for cid, c in concepts.items():
        here = c["pack"]
        if c["parent"] and c["parent"] not in concepts:
            problems.append(tk._('{0}: extends unknown concept "{1}"').format(_where(here, cid), c["parent"]))
            continue
        # cycle: walking up the parents comes back here
        seen, current = [cid], c["parent"]
        while current and current in concepts:
            if current in seen:
                problems.append(
                    tk._("{0}: its parents make a cycle ({1})").format(
                        _where(here, cid), " → ".join(seen + [current])
                    )
                )
                break
            seen.append(current)
            current = concepts[current]["parent"]
        else:
            for pname, p in c["properties"].items():
                if p["range_concept"] and p["range_concept"] not in concepts:
                    problems.append(
                        tk._('{0}: range names unknown concept "{1}"').format(
                            _where(here, cid, pname), p["range_concept"]
                        )
                    )
                    continue
                if p.get("markers") and p["markers"] not in lists:
                    problems.append(
                        tk._('{0}: markers name unknown code list "{1}"').format(_where(here, cid, pname), p["markers"])
                    )
                if p["code_list"] and p["code_list"] not in lists:
                    problems.append(
                        tk._('{0}: names unknown code list "{1}"').format(
                            _where(here, cid, pname), p["code_list"]
                        )
                    )
                    continue
                for ancestor in _ancestors(concepts, cid):
                    inherited = concepts[ancestor]["properties"].get(pname)
                    if inherited is None:
                        continue
                    if inherited["code_list"] and inherited["code_list"] not in lists:
                        break  # reported on the ancestor itself
                    why = _narrowing_problem(inherited, p, concepts, lists)
                    if why:
                        problems.append(
                            tk._('{0}: changes the property inherited from "{1}" incompatibly: {2}').format(
                                _where(here, cid, pname), ancestor, why
                            )
                        )
                    break

    for r in parsed.relations:
        for end in ("subject", "object"):
            if r[end] not in concepts:
                problems.append(
                    tk._('{0}: relation "{1}" names unknown concept "{2}"').format(
                        _where(name, r["subject"]), r["predicate"], r[end]
                    )
                )
    if problems:
        raise PackError(problems)
    return concepts, lists


def _snapshot(c: dict[str, Any]) -> dict[str, Any]:
    return {k: c[k] for k in ("label", "definition", "layer", "theme", "parent", "uri")} | {
        "properties": [{k: v for k, v in p.items()} for p in c["properties"]]
    }


def apply(parsed: Parsed, user: str | None = None) -> dict[str, Any]:
    """Replace the pack's rows with the parsed pack; concept versions move on
    only where a concept changed. The caller commits (or rolls back)."""
    site_url = tk.config.get("ckan.site_url", "").rstrip("/")
    old = {c.name: c for c in model.Session.query(dm.Concept).filter(dm.Concept.pack == parsed.name)}
    latest: dict[str, dm.ConceptVersion] = {}
    for v in (
        model.Session.query(dm.ConceptVersion)
        .filter(dm.ConceptVersion.concept.in_([c["id"] for c in parsed.concepts] + list(old)))
        .order_by(dm.ConceptVersion.version)
    ):
        latest[v.concept] = v
    report: dict[str, Any] = {
        "pack": parsed.name,
        "created": [],
        "changed": [],
        "unchanged": [],
        "removed": [],
    }

    old_names = list(old)
    model.Session.query(dm.ConceptProperty).filter(dm.ConceptProperty.concept.in_(old_names)).delete(
        synchronize_session=False
    )
    model.Session.query(dm.ConceptRelation).filter(dm.ConceptRelation.pack == parsed.name).delete(
        synchronize_session=False
    )
    old_lists = [n for (n,) in model.Session.query(dm.CodeList.name).filter(dm.CodeList.pack == parsed.name)]
    model.Session.query(dm.CodeItem).filter(dm.CodeItem.code_list.in_(old_lists)).delete(
        synchronize_session=False
    )
    model.Session.query(dm.CodeList).filter(dm.CodeList.pack == parsed.name).delete(synchronize_session=False)

    pack_row = model.Session.query(dm.Pack).filter(dm.Pack.name == parsed.name).one_or_none() or dm.Pack(
        name=parsed.name
    )
    pack_row.title, pack_row.description, pack_row.version = parsed.title, parsed.description, parsed.version
    pack_row.depends_on, pack_row.digest, pack_row.source = parsed.depends_on, parsed.digest, parsed.source
    pack_row.imported_at, pack_row.imported_by = dm._now(), user
    model.Session.add(pack_row)

    for cl in parsed.code_lists:
        model.Session.add(
            dm.CodeList(
                name=cl["id"],
                label=cl["label"],
                definition=cl["definition"],
                uri=cl["uri"],
                source=cl["source"],
                pack=parsed.name,
            )
        )
        model.Session.bulk_insert_mappings(
            dm.CodeItem,
            [  # type: ignore[arg-type]
                {
                    "id": dm._uuid(),
                    "code_list": cl["id"],
                    "code": i["code"],
                    "label": i["label"],
                    "uri": i["uri"],
                    "broader": i["broader"],
                    "position": n,
                }
                for n, i in enumerate(cl["items"])
            ],
        )

    new_names = set()
    for position, c in enumerate(parsed.concepts):
        cid = c["id"]
        new_names.add(cid)
        c = dict(c, uri=c["uri"] or f"{site_url}/dictionary/{cid}")
        snap = _snapshot(c)
        row = old.pop(cid, None) or dm.Concept(name=cid)
        previous = latest.get(cid)
        if previous is None:
            version = 1
            report["created"].append(cid)
        elif previous.snapshot != snap:
            version = previous.version + 1
            report["changed"].append(cid)
        else:
            version = previous.version
            report["unchanged"].append(cid)
        if previous is None or previous.version != version:
            model.Session.add(
                dm.ConceptVersion(
                    concept=cid, version=version, pack=parsed.name, pack_version=parsed.version, snapshot=snap
                )
            )
        for attr in ("uri", "label", "definition", "layer", "theme", "parent"):
            setattr(row, attr, c[attr])
        row.pack, row.version, row.position = parsed.name, version, position
        model.Session.add(row)
        for n, p in enumerate(c["properties"]):
            model.Session.add(dm.ConceptProperty(concept=cid, position=n, **p))
    for r in parsed.relations:
        model.Session.add(dm.ConceptRelation(pack=parsed.name, **r))
    for name, row in old.items():  # concepts the pack no longer declares
        model.Session.delete(row)
        report["removed"].append(name)
    model.Session.flush()
    return report


def _conforming_dataset_count(names: Iterable[str]) -> int:
    names = list(names)
    if not names:
        return 0
    return (
        model.Session.query(model.PackageExtra)
        .join(model.Package, model.Package.id == model.PackageExtra.package_id)
        .filter(
            model.PackageExtra.key == "conforms_to",
            model.PackageExtra.value.in_(names),
            model.Package.state != "deleted",
        )
        .count()
    )


def import_pack(text: str, user: str | None = None) -> dict[str, Any]:
    """Parse, check and apply a pack in one transaction. Raises PackError
    (nothing applied) or returns what changed."""
    parsed = parse(text)
    stored = model.Session.query(dm.Pack).filter(dm.Pack.name == parsed.name).one_or_none()
    if stored is not None and stored.digest == parsed.digest:
        return {
            "pack": parsed.name,
            "created": [],
            "changed": [],
            "removed": [],
            "unchanged_pack": True,
            "unchanged": [c["id"] for c in parsed.concepts],
            "affected": [],
        }
    try:
        concepts, _lists = check(parsed)
        dropped = [
            n
            for (n,) in model.Session.query(dm.Concept.name).filter(dm.Concept.pack == parsed.name)
            if n not in {c["id"] for c in parsed.concepts}
        ]
        used = _conforming_dataset_count(dropped)
        if used:
            raise PackError(
                [
                    tk._(
                        "{0}: removing it would leave {1} dataset(s) conforming to nothing; "
                        "keep the concept or move the datasets first"
                    ).format(_where(parsed.name, ", ".join(dropped)), used)
                ]
            )
        report = apply(parsed, user)
        model.Session.commit()
    except Exception:
        model.Session.rollback()
        raise
    # every change of a concept reaches its descendants' index entries
    changed = set(report["changed"]) | set(report["removed"])
    affected = {n for n in concepts if changed & ({n} | set(_ancestors(concepts, n)))}
    report["affected"] = sorted(affected | set(report["removed"]))
    report["unchanged_pack"] = False
    return report


def export_pack(name: str) -> str:
    """The stored pack as YAML, code list items written out in full."""
    pack = model.Session.query(dm.Pack).filter(dm.Pack.name == name).one_or_none()
    if pack is None:
        raise tk.ObjectNotFound(tk._('No dictionary pack "{0}"').format(name))
    out: dict[str, Any] = {
        "pack": pack.name,
        "title": pack.title,
        "version": pack.version,
        "description": pack.description,
        "depends_on": list(pack.depends_on or []),
    }
    out["code_lists"] = []
    for cl in model.Session.query(dm.CodeList).filter(dm.CodeList.pack == name).order_by(dm.CodeList.name):
        items = (
            model.Session.query(dm.CodeItem)
            .filter(dm.CodeItem.code_list == cl.name)
            .order_by(dm.CodeItem.position)
        )
        out["code_lists"].append(
            {
                "id": cl.name,
                "label": cl.label,
                "definition": cl.definition,
                "uri": cl.uri,
                "source": cl.source,
                "items": [
                    {
                        k: v
                        for k, v in (
                            ("code", i.code),
                            ("label", i.label),
                            ("uri", i.uri),
                            ("broader", i.broader),
                        )
                        if v
                    }
                    for i in items
                ],
            }
        )
    source = yaml.safe_load(pack.source) if pack.source else {}
    broader_lists = {
        cl.get("id"): cl.get("broader_list")
        for cl in (source or {}).get("code_lists") or []
        if isinstance(cl, dict)
    }
    for cl in out["code_lists"]:
        if broader_lists.get(cl["id"]):
            cl["broader_list"] = broader_lists[cl["id"]]
    out["concepts"] = []
    for c in model.Session.query(dm.Concept).filter(dm.Concept.pack == name).order_by(dm.Concept.position):
        props = (
            model.Session.query(dm.ConceptProperty)
            .filter(dm.ConceptProperty.concept == c.name)
            .order_by(dm.ConceptProperty.position)
        )
        out["concepts"].append(
            {
                k: v
                for k, v in {
                    "id": c.name,
                    "uri": c.uri,
                    "label": c.label,
                    "definition": c.definition,
                    "layer": c.layer,
                    "theme": c.theme,
                    "parent": c.parent,
                    "properties": [
                        {
                            k2: v2
                            for k2, v2 in {
                                "name": p.name,
                                "label": p.label,
                                "definition": p.definition,
                                "datatype": p.datatype,
                                "range": p.range_concept,
                                "code_list": p.code_list,
                                "required": p.required,
                                "identifier_scheme": p.identifier_scheme,
                                "component": p.component,
                                "unit": p.unit,
                                "markers": p.markers,
                            }.items()
                            if v2 not in (None, "")
                        }
                        for p in props
                    ],
                }.items()
                if v not in (None, "")
            }
        )
    out["relations"] = [
        {"subject": r.subject, "predicate": r.predicate, "object": r.object, "label": r.label}
        for r in model.Session.query(dm.ConceptRelation).filter(dm.ConceptRelation.pack == name)
    ]
    return yaml.safe_dump(out, sort_keys=False, allow_unicode=True)


# -- the packs shipped with the extension -----------------------------------------------------------


def shipped_packs() -> list[tuple[str, str]]:
    """(file name, text) of every pack under schemas/dictionary/, in dependency order."""
    folder = resources.files("ckanext.ldeco.schemas").joinpath("dictionary")
    texts = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".yaml"):
            texts[entry.name] = entry.read_text("utf-8")
    deps: dict[str, tuple[str, list[str]]] = {}
    for filename, text in texts.items():
        data = yaml.safe_load(text) or {}
        deps[_text(data.get("pack")) or filename] = (
            filename,
            [_text(d) for d in data.get("depends_on") or []],
        )
    ordered: list[str] = []

    def visit(pack: str, trail: tuple[str, ...]) -> None:
        if pack in ordered or pack not in deps:
            return
        if pack in trail:
            raise PackError(
                [
                    tk._("shipped packs depend on each other in a cycle: {0}").format(
                        " → ".join(trail + (pack,))
                    )
                ]
            )
        for dep in deps[pack][1]:
            visit(dep, trail + (pack,))
        ordered.append(pack)

    for pack in sorted(deps):
        visit(pack, ())
    return [(deps[p][0], texts[deps[p][0]]) for p in ordered]


def load_shipped(progress=None, user: str | None = None) -> list[dict[str, Any]]:
    """Import every shipped pack in dependency order (idempotent)."""
    reports = []
    packs = shipped_packs()
    for n, (_filename, text) in enumerate(packs, 1):
        report = import_pack(text, user)
        reports.append(report)
        if progress:
            progress(
                f"dictionary pack {n}/{len(packs)}: {report['pack']} "
                f"({'unchanged' if report.get('unchanged_pack') else 'applied'})"
            )
    return reports
