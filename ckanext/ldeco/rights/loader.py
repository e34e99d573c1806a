"""Load register content from YAML or CSV through the register actions.

Idempotent: an entry that exists with the same content is left alone, one
that differs is updated, a new one is created. Bad input stops the load with
a message naming the file, entry and field; entries stored before it stay.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import yaml

from ckanext.ldeco.rights import model as m

__all__ = ["LoadError", "Report", "load_file", "load_entries", "seed", "gateway_rows"]

log = logging.getLogger(__name__)

# YAML keys → register names, in dependency order (schedules refer to the rest)
YAML_KEYS = {
    "purposes": "purpose",
    "roles": "role",
    "accreditations": "accreditation",
    "legal_gateways": "legal_gateway",
    "schedules": "schedule",
}
LIST_FIELDS = {"disclosers", "recipients", "roles", "purposes", "gateways", "data_items", "accreditations"}


class LoadError(Exception):
    """Register content that cannot be loaded; the message names the place."""


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _same(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    for key, value in wanted.items():
        have = current.get(key)
        if key in LIST_FIELDS and isinstance(value, str):
            value = [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
        if str(have if have is not None else "") != str(value if value is not None else ""):
            return False
    return True


def _resolve_targets(entry: dict[str, Any]) -> None:
    """A schedule may name its dataset or organisation; store and compare ids."""
    for key, action in (("dataset_id", "package_show"), ("organization_id", "organization_show")):
        if entry.get(key):
            try:
                entry[key] = tk.get_action(action)({"ignore_auth": True}, {"id": entry[key]})["id"]
            except tk.ObjectNotFound:
                pass  # the schema names the unknown value


def load_entries(
    register: str,
    entries: Iterable[dict[str, Any]],
    report: Report,
    where: str,
    progress: Callable[[str], None] = log.info,
) -> None:
    if register not in m.REGISTERS:
        raise LoadError(f"{where}: unknown register '{register}' (known: {', '.join(m.REGISTERS)})")
    entries = list(entries)
    for i, entry in enumerate(entries, 1):
        place = f"{where}[{i}]"
        if not isinstance(entry, dict) or not entry.get("name"):
            raise LoadError(f"{place}: missing 'name'")
        entry = dict(entry)
        for key in LIST_FIELDS & entry.keys():
            if isinstance(entry[key], str):
                entry[key] = [v.strip() for v in entry[key].replace(";", ",").split(",") if v.strip()]
        _resolve_targets(entry)
        existing = m.REGISTERS[register].get(entry["name"])
        try:
            if existing is None:
                tk.get_action(f"ldeco_{register}_create")(_context(), entry)
                report.created.append(f"{register} {entry['name']}")
            elif _same(existing.dictize(), entry):
                report.unchanged.append(f"{register} {entry['name']}")
            else:
                tk.get_action(f"ldeco_{register}_update")(_context(), {**entry, "id": existing.id})
                report.updated.append(f"{register} {entry['name']}")
        except tk.ValidationError as err:
            summary = "; ".join(f"{k}: {v}" for k, v in err.error_summary.items())
            raise LoadError(f"{place} ({entry['name']}): {summary}") from err
        if i % 10 == 0 or i == len(entries):
            progress(f"{register}: {i}/{len(entries)}")


def load_file(
    path: Path,
    register: str | None = None,
    report: Report | None = None,
    progress: Callable[[str], None] = log.info,
) -> Report:
    """A YAML file keyed by register (purposes, roles, accreditations,
    legal_gateways, schedules), or a CSV file of one register (named by
    `register`, list fields separated by ';')."""
    report = report or Report()
    text = path.read_text("utf-8")
    if path.suffix.lower() == ".csv":
        if not register:
            raise LoadError(f"{path.name}: say which register a CSV file holds (e.g. --register purpose)")
        load_entries(register, csv.DictReader(io.StringIO(text)), report, path.name, progress)
        return report
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise LoadError(f"{path.name} is not valid YAML: {err}") from err
    if not isinstance(data, dict):
        raise LoadError(f"{path.name} must hold a mapping of registers ({', '.join(YAML_KEYS)})")
    unknown = set(data) - set(YAML_KEYS)
    if unknown:
        raise LoadError(
            f"{path.name}: unknown keys {', '.join(sorted(unknown))} (known: {', '.join(YAML_KEYS)})"
        )
    for key, reg in YAML_KEYS.items():
        if data.get(key):
            load_entries(reg, data[key], report, f"{path.name}:{key}", progress)
    return report


def gateway_rows() -> list[dict[str, Any]]:
    """The shipped legal gateways, joined with who may disclose and receive."""
    folder = resources.files("ckanext.ldeco.rights").joinpath("data")
    parties = {
        r["id"]: r
        for r in csv.DictReader(io.StringIO(folder.joinpath("gateway_parties.csv").read_text("utf-8")))
    }
    rows = []
    for r in csv.DictReader(io.StringIO(folder.joinpath("legal_gateways.csv").read_text("utf-8"))):
        p = parties.get(r["id"], {})
        rows.append(
            {
                "name": r["id"],
                "title": f"{r['instrument_title']}, {r['provision']}",
                "description": r["relevance_to_ecosystem"],
                "statute": r["instrument_title"],
                "provision": f"{r['provision']}: {r['provision_heading']}",
                "legislation_url": r["legislation_url"],
                "legislation_uri": r["legislation_id_uri"],
                "category": r["gateway_category"],
                "extent": r["extent_note"],
                "objective": p.get("objective", ""),
                "disclosers": p.get("disclosers", ""),
                "recipients": p.get("recipients", ""),
            }
        )
    return rows


def seed(progress: Callable[[str], None] = log.info) -> Report:
    """The shipped initial content: purposes, roles, accreditations and the
    UK legal gateways. Safe to run again."""
    report = Report()
    data = yaml.safe_load(
        resources.files("ckanext.ldeco.rights").joinpath("data/registers.yaml").read_text("utf-8")
    )
    for key in ("purposes", "roles", "accreditations"):
        load_entries(YAML_KEYS[key], data.get(key) or [], report, f"registers.yaml:{key}", progress)
    load_entries("legal_gateway", gateway_rows(), report, "legal_gateways.csv", progress)
    return report
