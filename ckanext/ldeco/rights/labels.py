"""What people read in place of the registers' codes: a role, purpose,
gateway or accreditation by its register title, and a data item by the
dictionary's label of the property it holds (through the resources' column
maps), falling back to the column name made readable."""

from __future__ import annotations

import re

import ckan.model as model  # the toolkit has no door to plain row lookups

from ckanext.ldeco.dictionary import queries
from ckanext.ldeco.dictionary.validators import parse_column_map
from ckanext.ldeco.rights import model as m

__all__ = ["Labels", "readable"]

# the names the pages use → the register that holds them
_REGISTERS = {"role": "role", "purpose": "purpose", "gateway": "legal_gateway",
              "accreditation": "accreditation", "schedule": "schedule"}
# a code as it stands in a sentence: lower case, with a hyphen, underscore or digit in it
# (a plain word such as "safeguarding" reads as itself and is left alone)
_CODE = re.compile(r"(?<![\w/.-])[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+(?![\w/-])|(?<![\w/.-])[a-z]+[0-9][a-z0-9]*(?![\w/-])")


def readable(code: str) -> str:
    """A code or column name as words: `ward_code` → "Ward code"."""
    words = (code or "").replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


class Labels:
    """Looked up once per page: each register read whole on first use (they
    are short), each dataset's items once."""

    def __init__(self) -> None:
        self._titles: dict[str, dict[str, str]] = {}
        self._items: dict[str, dict[str, str]] = {}

    def of(self, kind: str, code: str | None) -> str:
        """The title of CODE in the register of KIND (role, purpose, gateway,
        accreditation, schedule); the code made readable if it has none."""
        if not code:
            return ""
        register = _REGISTERS[kind]
        if register not in self._titles:
            cls = m.REGISTERS[register]
            self._titles[register] = {r.name: r.title for r in model.Session.query(cls.name, cls.title)}
        return self._titles[register].get(code) or readable(code)

    def relabel(self, text: str | None, dataset_id: str | None = None) -> str:
        """TEXT with each register code and data item in it put as its label:
        the handshake's reasons are stored as sentences that name codes
        ("The schedule manchester-troubled-families-cases allows ...")."""
        if not text:
            return ""
        for kind in _REGISTERS:
            self.of(kind, "-")  # reads each register once
        known: dict[str, str] = {}
        for titles in self._titles.values():
            known.update(titles)
        items = self._dataset_items(dataset_id) if dataset_id else {}

        def label(match: re.Match[str]) -> str:
            code = match.group(0)
            # an unknown column name still reads better as words; an unknown hyphenated word is English
            return items.get(code) or known.get(code) or (readable(code) if "_" in code else code)

        return _CODE.sub(label, text)

    def items(self, dataset_id: str | None, items: list[str] | None) -> list[dict[str, str]]:
        """Each data item of a dataset as {name, label}."""
        known = self._dataset_items(dataset_id) if dataset_id else {}
        return [{"name": i, "label": known.get(i) or readable(i)} for i in items or []]

    def item_labels(self, dataset_id: str | None, items: list[str] | None) -> str:
        return ", ".join(i["label"] for i in self.items(dataset_id, items))

    def _dataset_items(self, dataset_id: str) -> dict[str, str]:
        if dataset_id not in self._items:
            self._items[dataset_id] = _item_labels(dataset_id)
        return self._items[dataset_id]


def _item_labels(dataset_id: str) -> dict[str, str]:
    """Property name → label for the concepts the dataset and its resources
    declare, and each mapped column → its property's label."""
    pkg = model.Package.get(dataset_id)
    if pkg is None:
        return {}
    concepts = {pkg.extras.get("conforms_to") or ""}
    resources = [r for r in pkg.resources if r.state == "active"]
    concepts.update((r.extras or {}).get("conforms_to") or "" for r in resources)
    labels: dict[str, str] = {}
    for concept in sorted(c for c in concepts if c):
        if queries.concept(concept) is None:
            continue
        for prop in queries.effective_properties(concept):
            labels.setdefault(prop["name"], prop.get("label") or readable(prop["name"]))
    for res in resources:
        for column, prop_name in parse_column_map((res.extras or {}).get("column_map") or ""):
            if prop_name in labels:
                labels.setdefault(column, labels[prop_name])
    return labels
