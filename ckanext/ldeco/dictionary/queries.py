"""Reading the stored dictionary: the concept tree, inherited properties,
code list look-ups. Small queries; the dictionary has tens of concepts."""

from __future__ import annotations

from typing import Any

import ckan.model as model  # the session is core's; the toolkit has no door to it
import sqlalchemy as sa

from ckanext.ldeco.dictionary import model as dm

__all__ = [
    "concepts",
    "concept",
    "parents",
    "ancestors",
    "descendants",
    "effective_properties",
    "code_item",
    "find_code",
    "code_items",
]


def concepts() -> list[dm.Concept]:
    return model.Session.query(dm.Concept).order_by(dm.Concept.pack, dm.Concept.position).all()


def concept(name: str) -> dm.Concept | None:
    return model.Session.query(dm.Concept).filter(dm.Concept.name == name).one_or_none()


def parents() -> dict[str, str | None]:
    return dict(model.Session.query(dm.Concept.name, dm.Concept.parent).all())


def ancestors(name: str, tree: dict[str, str | None] | None = None) -> list[str]:
    """Ancestors from the parent up to the root."""
    tree = parents() if tree is None else tree
    out: list[str] = []
    current = tree.get(name)
    while current and current in tree and current not in out and current != name:
        out.append(current)
        current = tree.get(current)
    return out


def descendants(name: str, tree: dict[str, str | None] | None = None) -> list[str]:
    """Every concept below this one, at any depth (breadth first)."""
    tree = parents() if tree is None else tree
    children: dict[str, list[str]] = {}
    for child, parent in tree.items():
        if parent:
            children.setdefault(parent, []).append(child)
    out: list[str] = []
    queue = sorted(children.get(name, []))
    while queue:
        current = queue.pop(0)
        if current not in out:
            out.append(current)
            queue.extend(sorted(children.get(current, [])))
    return out


def effective_properties(name: str) -> list[dict[str, Any]]:
    """Own and inherited properties; a property a sub-concept narrows is
    shown once, as narrowed, with the concept it was first declared on."""
    chain = [name] + ancestors(name)
    rows = model.Session.query(dm.ConceptProperty).filter(dm.ConceptProperty.concept.in_(chain)).all()
    by_concept: dict[str, list[dm.ConceptProperty]] = {}
    for row in rows:
        by_concept.setdefault(row.concept, []).append(row)
    out: dict[str, dict[str, Any]] = {}
    for level in reversed(chain):  # root first, so that nearer concepts override
        for row in sorted(by_concept.get(level, []), key=lambda r: r.position):
            d = row.dictize()
            d.pop("id")
            first = out.get(row.name)
            d["declared_on"] = first["declared_on"] if first else level
            d["narrowed"] = first is not None
            # where the property as it applies here comes from: None if declared (or narrowed) here
            d["inherited_from"] = None if level == name else level
            out[row.name] = d
    return list(out.values())


def code_item(code_list: str, code: str) -> dm.CodeItem | None:
    return (
        model.Session.query(dm.CodeItem)
        .filter(dm.CodeItem.code_list == code_list, dm.CodeItem.code == code)
        .one_or_none()
    )


def find_code(code_list: str, value: str) -> dm.CodeItem | None:
    """An item given by its code, its URI or its label (any case)."""
    value = (value or "").strip()
    if not value:
        return None
    q = model.Session.query(dm.CodeItem).filter(dm.CodeItem.code_list == code_list)
    return (
        q.filter(dm.CodeItem.code == value).first()
        or q.filter(dm.CodeItem.uri == value).first()
        or q.filter(sa.func.lower(dm.CodeItem.label) == value.lower()).first()
        or q.filter(dm.CodeItem.code == value.upper()).first()
    )


def code_count(code_list: str) -> int:
    """How many codes a list has, without reading them."""
    return model.Session.query(dm.CodeItem).filter(dm.CodeItem.code_list == code_list).count()


def code_items(code_list: str) -> list[dm.CodeItem]:
    return (
        model.Session.query(dm.CodeItem)
        .filter(dm.CodeItem.code_list == code_list)
        .order_by(dm.CodeItem.position)
        .all()
    )
