"""Tables of the data dictionary (created by migration ldeco_0001_dictionary).

Concepts, properties and code lists refer to each other by their stable
``name`` (the id used by the API and in dataset metadata), not by row keys, so
that a pack re-imported later keeps every reference valid.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.orm import Mapped

__all__ = [
    "Pack",
    "Concept",
    "ConceptProperty",
    "ConceptRelation",
    "ConceptVersion",
    "CodeList",
    "CodeItem",
    "Steward",
    "QualityReport",
]


def _uuid() -> str:
    return str(uuid.uuid4())


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


class _Dictize:
    __table__: sa.Table

    def dictize(self) -> dict[str, Any]:
        out = {}
        for column in self.__table__.columns:
            value = getattr(self, column.name)
            out[column.name] = value.isoformat() if isinstance(value, datetime.datetime) else value
        return out


class Pack(tk.BaseModel, _Dictize):  # type: ignore[misc]
    __tablename__ = "ldeco_dictionary_pack"
    id: Mapped[str] = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)  # type: ignore
    name: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, unique=True)  # type: ignore
    title: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, default="")  # type: ignore
    description: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, default="")  # type: ignore
    version: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, default="1")  # type: ignore
    depends_on: Mapped[list] = sa.Column(sa.JSON, nullable=False, default=list)  # type: ignore
    # digest of the pack as imported: an unchanged pack is not applied again
    digest: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, default="")  # type: ignore
    source: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, default="")  # type: ignore
    imported_at: Mapped[datetime.datetime] = sa.Column(sa.DateTime, nullable=False, default=_now)  # type: ignore
    imported_by: Mapped[str | None] = sa.Column(sa.UnicodeText)  # type: ignore


class Concept(tk.BaseModel, _Dictize):  # type: ignore[misc]
    __tablename__ = "ldeco_concept"
    id: Mapped[str] = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)  # type: ignore
    name: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, unique=True)  # type: ignore
    uri: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    label: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    definition: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, default="")  # type: ignore
    layer: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    theme: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, default="")  # type: ignore
    parent: Mapped[str | None] = sa.Column(sa.UnicodeText)  # type: ignore
    pack: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    version: Mapped[int] = sa.Column(sa.Integer, nullable=False, default=1)  # type: ignore
    position: Mapped[int] = sa.Column(sa.Integer, nullable=False, default=0)  # type: ignore


class ConceptProperty(tk.BaseModel, _Dictize):  # type: ignore[misc]
    __tablename__ = "ldeco_concept_property"
    id: Mapped[str] = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)  # type: ignore
    concept: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    name: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    label: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, default="")  # type: ignore
    definition: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, default="")  # type: ignore
    datatype: Mapped[str | None] = sa.Column(sa.UnicodeText)  # type: ignore
    range_concept: Mapped[str | None] = sa.Column(sa.UnicodeText)  # type: ignore
    code_list: Mapped[str | None] = sa.Column(sa.UnicodeText)  # type: ignore
    required: Mapped[bool] = sa.Column(sa.Boolean, nullable=False, default=False)  # type: ignore
    identifier_scheme: Mapped[str | None] = sa.Column(sa.UnicodeText)  # type: ignore
    # statistical concepts only: the RDF Data Cube component this property is
    # (dimension, measure, attribute), a measure's unit, and the code list of
    # markers that may stand in for a measure's value (DfE's c, x, z)
    component: Mapped[str | None] = sa.Column(sa.UnicodeText)  # type: ignore
    unit: Mapped[str | None] = sa.Column(sa.UnicodeText)  # type: ignore
    markers: Mapped[str | None] = sa.Column(sa.UnicodeText)  # type: ignore
    position: Mapped[int] = sa.Column(sa.Integer, nullable=False, default=0)  # type: ignore


class ConceptRelation(tk.BaseModel, _Dictize):  # type: ignore[misc]
    __tablename__ = "ldeco_concept_relation"
    id: Mapped[str] = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)  # type: ignore
    subject: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    predicate: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    object: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    label: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, default="")  # type: ignore
    pack: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore


class ConceptVersion(tk.BaseModel, _Dictize):  # type: ignore[misc]
    __tablename__ = "ldeco_concept_version"
    id: Mapped[str] = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)  # type: ignore
    concept: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    version: Mapped[int] = sa.Column(sa.Integer, nullable=False)  # type: ignore
    pack: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    pack_version: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    snapshot: Mapped[dict] = sa.Column(sa.JSON, nullable=False)  # type: ignore
    created: Mapped[datetime.datetime] = sa.Column(sa.DateTime, nullable=False, default=_now)  # type: ignore


class CodeList(tk.BaseModel, _Dictize):  # type: ignore[misc]
    __tablename__ = "ldeco_code_list"
    id: Mapped[str] = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)  # type: ignore
    name: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, unique=True)  # type: ignore
    label: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    definition: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, default="")  # type: ignore
    uri: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, default="")  # type: ignore
    source: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, default="")  # type: ignore
    pack: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore


class CodeItem(tk.BaseModel, _Dictize):  # type: ignore[misc]
    __tablename__ = "ldeco_code_item"
    id: Mapped[str] = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)  # type: ignore
    code_list: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    code: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    label: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    uri: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, default="")  # type: ignore
    broader: Mapped[str | None] = sa.Column(sa.UnicodeText)  # type: ignore
    position: Mapped[int] = sa.Column(sa.Integer, nullable=False, default=0)  # type: ignore


class Steward(tk.BaseModel, _Dictize):  # type: ignore[misc]
    """A user a sysadmin has made a dictionary steward (may import packs)."""

    __tablename__ = "ldeco_dictionary_steward"
    id: Mapped[str] = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)  # type: ignore
    user_id: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, unique=True)  # type: ignore
    granted_by: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    granted_at: Mapped[datetime.datetime] = sa.Column(sa.DateTime, nullable=False, default=_now)  # type: ignore


class QualityReport(tk.BaseModel, _Dictize):  # type: ignore[misc]
    """The latest data quality report of a DataStore resource."""

    __tablename__ = "ldeco_quality_report"
    id: Mapped[str] = sa.Column(sa.UnicodeText, primary_key=True, default=_uuid)  # type: ignore
    resource_id: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False, unique=True)  # type: ignore
    package_id: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    status: Mapped[str] = sa.Column(sa.UnicodeText, nullable=False)  # type: ignore
    report: Mapped[dict] = sa.Column(sa.JSON, nullable=False)  # type: ignore
    checked_at: Mapped[datetime.datetime] = sa.Column(sa.DateTime, nullable=False, default=_now)  # type: ignore
