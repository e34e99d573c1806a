"""Actions of the data dictionary (all prefixed ldeco_)."""

from __future__ import annotations

from typing import Any, cast

import ckan.model as model  # the session is core's; the toolkit has no door to it
import ckan.plugins.toolkit as tk
from ckan import types

from ckanext.ldeco import inputs
from ckanext.ldeco.dictionary import columns, packs, quality, queries, search, signals, stewards
from ckanext.ldeco.dictionary import model as dm
from ckanext.ldeco.dictionary.logic import schema

__all__ = ["get_actions"]


def _concept_summary(c: dm.Concept) -> dict[str, Any]:
    return {
        "id": c.name,
        "uri": c.uri,
        "label": c.label,
        "definition": c.definition,
        "layer": c.layer,
        "theme": c.theme,
        "parent": c.parent,
        "pack": c.pack,
        "version": c.version,
    }


@tk.side_effect_free
@inputs.action(schema.concept_list)
def ldeco_concept_list(context: types.Context, data_dict: types.DataDict) -> list[dict[str, Any]]:
    """Every concept of the dictionary.

    Optional filters: ``layer``, ``theme`` (a pack's theme), ``q`` (text in
    the id, label or definition). Each concept: id, uri, label, definition,
    layer, theme, parent, pack, version.
    """
    data = data_dict
    out = []
    q = (data.get("q") or "").lower()
    for c in queries.concepts():
        if data.get("layer") and c.layer != data["layer"]:
            continue
        if data.get("theme") and c.theme != data["theme"]:
            continue
        if q and q not in f"{c.name} {c.label} {c.definition}".lower():
            continue
        out.append(_concept_summary(c))
    return out


@tk.side_effect_free
@inputs.action(schema.concept_show)
def ldeco_concept_show(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """One concept with its own and inherited properties.

    ``id``: the concept id (e.g. ``case``). Returns the concept with
    ``properties`` (each with ``inherited_from``: None when declared here, else
    the concept it comes from), ``ancestors`` (parent first), ``children``,
    ``descendants`` (any depth), ``relations``, ``versions`` and ``datasets``
    (``count`` and up to ``rows`` (default 20) datasets conforming to it or
    to any descendant, as the caller may see them).
    """
    concept_id = data_dict["id"]
    data = data_dict
    c = queries.concept(concept_id)
    if c is None:
        raise tk.ObjectNotFound(tk._('No concept "{0}" in the dictionary').format(concept_id))
    tree = queries.parents()
    labels = dict(model.Session.query(dm.Concept.name, dm.Concept.label).all())
    out = _concept_summary(c)
    out["properties"] = queries.effective_properties(c.name)
    out["ancestors"] = [{"id": a, "label": labels.get(a, a)} for a in queries.ancestors(c.name, tree)]
    out["children"] = [{"id": n, "label": labels.get(n, n)} for n, p in sorted(tree.items()) if p == c.name]
    out["descendants"] = [{"id": d, "label": labels.get(d, d)} for d in queries.descendants(c.name, tree)]
    chain = [c.name] + queries.ancestors(c.name, tree)
    out["relations"] = [
        {
            "subject": r.subject,
            "predicate": r.predicate,
            "object": r.object,
            "label": r.label,
            "inherited_from": None if r.subject == c.name else r.subject,
        }
        for r in model.Session.query(dm.ConceptRelation).filter(dm.ConceptRelation.subject.in_(chain))
    ]
    out["versions"] = [
        {
            "version": v.version,
            "pack": v.pack,
            "pack_version": v.pack_version,
            "created": v.created.isoformat(),
        }
        for v in model.Session.query(dm.ConceptVersion)
        .filter(dm.ConceptVersion.concept == c.name)
        .order_by(dm.ConceptVersion.version.desc())
    ]
    if data.get("include_datasets", True):
        rows = data.get("rows", 20)
        found = tk.get_action("package_search")(
            {"user": context.get("user"), "ignore_auth": False},
            {
                "fq": f'{search.CONCEPT_FIELD}:"{c.name}"',
                "rows": rows,
                "include_private": True,
                "sort": "title_string asc",
            },
        )
        out["datasets"] = {
            "count": found["count"],
            "results": [
                {
                    "name": d["name"],
                    "title": d["title"],
                    "conforms_to": d.get("conforms_to"),
                    "conforms_to_version": d.get("conforms_to_version"),
                    "organization": (d.get("organization") or {}).get("title"),
                }
                for d in found["results"]
            ],
        }
    return out


@tk.side_effect_free
@inputs.action(schema.code_list_show)
def ldeco_code_list_show(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """A code list with its items (code, label, uri, broader, narrower).

    ``id``: the code list id (e.g. ``tf-headline-problem``).
    """
    list_id = data_dict["id"]
    cl = model.Session.query(dm.CodeList).filter(dm.CodeList.name == list_id).one_or_none()
    if cl is None:
        raise tk.ObjectNotFound(tk._('No code list "{0}" in the dictionary').format(list_id))
    out = cl.dictize()
    out.pop("id")
    out["id"] = out.pop("name")
    items: list[dict[str, Any]] = [
        {"code": i.code, "label": i.label, "uri": i.uri, "broader": i.broader}
        for i in queries.code_items(cl.name)
    ]
    narrower: dict[str, list[str]] = {}
    for i in items:
        if i["broader"]:
            narrower.setdefault(i["broader"], []).append(i["code"])
    # narrower items may sit in another list that names this one as broader
    for other in model.Session.query(dm.CodeItem).filter(
        dm.CodeItem.code_list != cl.name, dm.CodeItem.broader.isnot(None)
    ):
        if any(i["code"] == other.broader for i in items) and _broader_list_of(other.code_list) == cl.name:
            narrower.setdefault(other.broader, []).append(f"{other.code_list}:{other.code}")
    for i in items:
        i["narrower"] = narrower.get(i["code"], [])
    out["items"] = items
    out["count"] = len(items)
    return out


def _broader_list_of(code_list: str) -> str:
    import yaml

    row = model.Session.query(dm.CodeList.pack).filter(dm.CodeList.name == code_list).one_or_none()
    pack = row and model.Session.query(dm.Pack).filter(dm.Pack.name == row[0]).one_or_none()
    if not pack or not pack.source:
        return code_list
    for cl in (yaml.safe_load(pack.source) or {}).get("code_lists") or []:
        if isinstance(cl, dict) and cl.get("id") == code_list:
            return cl.get("broader_list") or code_list
    return code_list


@tk.side_effect_free
@inputs.action(schema.pack_list)
def ldeco_pack_list(context: types.Context, data_dict: types.DataDict) -> list[dict[str, Any]]:
    """The packs loaded, in the order they were imported: name, title, version, depends_on."""
    return [
        {k: v for k, v in p.dictize().items() if k not in ("id", "source", "digest")}
        for p in model.Session.query(dm.Pack).order_by(dm.Pack.imported_at)
    ]


@inputs.action(schema.pack_import)
def ldeco_pack_import(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Import (or re-import) a theme pack.

    ``pack``: the pack's YAML text. Sysadmins and dictionary stewards only.
    The whole pack is applied in one transaction or not at all; a refusal
    names the pack, concept and property. Returns the concepts created,
    changed (their version moves on), unchanged and removed; datasets of the
    affected concepts are re-indexed in a background job.
    """
    text = data_dict["pack"]
    try:
        report = packs.import_pack(text, context.get("user"))
    except packs.PackError as err:
        raise tk.ValidationError({"pack": err.problems}) from err
    search.enqueue_reindex(report.get("affected") or [])
    return report


@tk.side_effect_free
@inputs.action(schema.pack_export)
def ldeco_pack_export(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """A stored pack as YAML, ready to import elsewhere: ``{"id", "pack"}``.

    ``id``: the pack name (e.g. ``core``).
    """
    name = data_dict["id"]
    return {"id": name, "pack": packs.export_pack(name)}


def _user(value: str) -> model.User:
    user = model.User.get(value)
    if user is None:
        raise tk.ObjectNotFound(tk._('No user "{0}"').format(value))
    return user


@inputs.action(schema.steward)
def ldeco_steward_grant(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Make a user a dictionary steward (sysadmins only). ``user``: name or id."""
    user = _user(data_dict["user"])
    row = stewards.grant(user.id, context.get("user") or "")
    return {"user": user.name, "granted_by": row.granted_by, "granted_at": row.granted_at.isoformat()}


@inputs.action(schema.steward)
def ldeco_steward_revoke(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Take the dictionary steward role from a user (sysadmins only). ``user``: name or id."""
    user = _user(data_dict["user"])
    return {"user": user.name, "revoked": stewards.revoke(user.id)}


@tk.side_effect_free
@inputs.action(schema.steward_list)
def ldeco_steward_list(context: types.Context, data_dict: types.DataDict) -> list[dict[str, Any]]:
    """The dictionary stewards (sysadmins only)."""
    names = dict(model.Session.query(model.User.id, model.User.name).all())
    return [
        {
            "user": names.get(s.user_id, s.user_id),
            "granted_by": s.granted_by,
            "granted_at": s.granted_at.isoformat(),
        }
        for s in stewards.all_stewards()
    ]


@tk.side_effect_free
@inputs.action(schema.resource)
def ldeco_quality_show(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """The latest data quality report of a resource (``id``): ``status``
    (pass / warnings / errors), ``rows``, ``errors`` and ``warnings`` (each
    with a count and example rows where it applies). Anyone who may see the
    resource may see its status and how many problems it has
    (``error_count``, ``warning_count``, ``redacted``); the rest is derived
    from the rows, so it is shown as the rows are: whole to those who may
    read the whole record, cut to their columns for a grant of some."""
    resource_id = data_dict["id"]
    report = quality.stored_report(resource_id)
    if report is None:
        raise tk.ObjectNotFound(tk._("This resource has not been checked yet"))
    return quality.shown(report, _reader(context, resource_id))


def _reader(context: types.Context, resource_id: str):
    """may_read(items) for this caller, asked of the one decision on access
    (the gating capability's auth function, by name). One context for all
    the questions, so the decision is made once."""
    asking: dict[str, Any] = {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")}
    if context.get("ignore_auth"):
        asking["ignore_auth"] = True

    def may_read(items: list[str] | None) -> bool:
        question: dict[str, Any] = {"id": resource_id}
        if items is None:
            question["whole"] = True
        else:
            question["data_items"] = items
        try:
            return tk.check_access("ldeco_resource_access", cast(types.Context, asking), question)
        except tk.NotAuthorized:
            return False

    return may_read


@inputs.action(schema.resource)
def ldeco_quality_check(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Check a resource (``id``) against its concept now and store the
    report (those who may edit the dataset). Returns the report."""
    resource_id = data_dict["id"]
    return quality.check_resource(resource_id)


_WRITE_SHAPES: dict[str, tuple[type, ...]] = {
    "resource_id": (str,), "resource": (dict,), "force": (bool, str), "calculate_record_count": (bool, str),
    "records": (list,), "fields": (list,), "method": (str,),
    "aliases": (list, str), "primary_key": (list, str), "indexes": (list, str),
}


def _checked_write(data_dict: types.DataDict) -> None:
    """Shapes core's DataStore writes fail on with a server error (a number
    where it reads a flag or an object), refused first, naming the parameter."""
    wrong = {key: [tk._("Must be of type: {types}").format(types=" or ".join(t.__name__ for t in shapes))]
             for key, shapes in _WRITE_SHAPES.items()
             if data_dict.get(key) is not None and not isinstance(data_dict[key], shapes)}
    if wrong:
        raise tk.ValidationError(wrong)


@tk.chained_action
def datastore_create(next_: types.Action, context: types.Context, data_dict: types.DataDict):
    _checked_write(data_dict)
    if data_dict.get("fields"):
        # columns mapped to properties get the properties' labels (auth is core's, next)
        concept, column_map = columns.for_resource(data_dict)
        data_dict = {**data_dict, "fields": columns.describe(data_dict["fields"], concept, column_map)}
    result = next_(context, data_dict)
    quality.enqueue_check(result["resource_id"])
    signals.table_written.send(result["resource_id"])
    return result


@tk.chained_action
def datastore_upsert(next_: types.Action, context: types.Context, data_dict: types.DataDict):
    _checked_write(data_dict)
    result = next_(context, data_dict)
    quality.enqueue_check(result["resource_id"])
    signals.table_written.send(result["resource_id"])
    return result


def get_actions() -> dict[str, types.Action]:
    import ckan.plugins as p

    datastore = (
        {"datastore_create": datastore_create, "datastore_upsert": datastore_upsert}
        if p.plugin_loaded("datastore")
        else {}
    )
    return datastore | {
        f.__name__: f
        for f in (
            ldeco_quality_show,
            ldeco_quality_check,
            ldeco_concept_list,
            ldeco_concept_show,
            ldeco_code_list_show,
            ldeco_pack_list,
            ldeco_pack_import,
            ldeco_pack_export,
            ldeco_steward_grant,
            ldeco_steward_revoke,
            ldeco_steward_list,
        )
    }
