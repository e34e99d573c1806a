"""Data quality: a DataStore resource that declares a concept is checked
against it -- required properties mapped and filled, datatypes, code list
membership. The check only reads: no row is dropped or changed. The report
is stored (one per resource, replaced on each run)."""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import ckan.model as model  # the session is core's; the toolkit has no door to it
import ckan.plugins.toolkit as tk

from ckanext.ldeco.dictionary import model as dm
from ckanext.ldeco.dictionary import queries
from ckanext.ldeco.dictionary.validators import parse_column_map

log = logging.getLogger(__name__)

__all__ = ["check_resource", "stored_report", "shown", "enqueue_check", "run_check_job", "resource_changed"]

PAGE = 1000
MAX_ROWS = 200_000  # a bound on one check's work; the report says when it stopped early
EXAMPLES = 5


def _site() -> dict[str, Any]:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return {"ignore_auth": True, "user": user}


def _ok(datatype: str, value: Any) -> bool:
    text = str(value).strip()
    try:
        if datatype == "integer":
            return isinstance(value, int) or bool(re.fullmatch(r"[-+]?\d+", text))
        if datatype == "decimal":
            float(text)
            return True
        if datatype == "boolean":
            return text.lower() in ("true", "false", "yes", "no", "1", "0", "t", "f", "y", "n")
        if datatype == "date":
            datetime.date.fromisoformat(text[:10])
            return len(text) == 10 or "T" in text or " " in text
        if datatype == "datetime":
            datetime.datetime.fromisoformat(text)
            return True
        if datatype == "uri":
            parsed = urlparse(text)
            return bool(parsed.scheme and (parsed.netloc or parsed.path))
    except (TypeError, ValueError):
        return False
    return True


def check_resource(resource_id: str) -> dict[str, Any]:
    """Run the check and store the report; returns it."""
    site = _site()
    resource = tk.get_action("resource_show")(dict(site), {"id": resource_id})
    package = tk.get_action("package_show")(dict(site), {"id": resource["package_id"]})
    concept = resource.get("conforms_to") or package.get("conforms_to")
    report: dict[str, Any] = {
        "resource_id": resource_id,
        "concept": concept or None,
        "checked_at": datetime.datetime.utcnow().isoformat(),
        "errors": [],
        "warnings": [],
        "rows": 0,
        "rows_checked": 0,
    }
    found = queries.concept(concept) if concept else None
    if found is None:
        report["warnings"].append(
            {
                "kind": "no-concept",
                "message": tk._(
                    "Neither the resource nor its dataset declares a concept of the dictionary: "
                    "nothing to check against."
                ),
            }
        )
        return _store(resource, report)
    report["concept_version"] = (
        package.get("conforms_to_version") if concept == package.get("conforms_to") else None
    )
    kind = found.layer
    report["concept_kind"] = "statistical" if kind == "statistical" else "records"
    layer = package.get("layer")
    if layer in ("statistical", "analytical", "political") and kind == "operational":
        # a table of counts, findings or budget lines is not a table of
        # records: checked as one, every record property would be "missing"
        report["warnings"].append(
            {
                "kind": "statistics-as-records",
                "message": (
                    tk._(
                        "This is statistical data, but {0} describes records, so its rows are not checked. "
                        "Declare a statistical concept (its dimensions and measures) for the table."
                    )
                    if layer == "statistical"
                    else tk._(
                        "This is {0} data, but {1} describes records, so its rows are not checked against it."
                    )
                ).format(*((concept,) if layer == "statistical" else (_LAYER_WORD[layer](), concept))),
            }
        )
        return _store(resource, report)
    if not resource.get("datastore_active"):
        report["warnings"].append(
            {
                "kind": "no-datastore",
                "message": tk._("The resource has no DataStore table yet, so its rows cannot be checked."),
            }
        )
        return _store(resource, report)

    properties = {p["name"]: p for p in queries.effective_properties(concept)}
    fields_info = tk.get_action("datastore_search")(dict(site), {"resource_id": resource_id, "limit": 0})
    columns = [f["id"] for f in fields_info["fields"] if f["id"] != "_id"]
    # (column, property) pairs: one column may serve several properties
    # (a planning register's reference is also the inherited case_id)
    mapping = [(c, p) for c, p in parse_column_map(resource.get("column_map") or "") if p in properties]
    if not mapping:  # columns named like properties map themselves
        mapping = [(c, c) for c in columns if c in properties]
        if mapping:
            named = sorted(c for c, _ in mapping)
            report["warnings"].append({"kind": "implicit-mapping", "columns": named, "message": _implicit(named)})
    for column, prop in list(mapping):
        if column not in columns:
            report["errors"].append(
                {
                    "kind": "missing-column",
                    "column": column,
                    "property": prop,
                    "message": tk._('Column "{0}" (mapped to {1}) is not in the data.').format(column, prop),
                }
            )
            mapping.remove((column, prop))
    mapped_props = {p for _, p in mapping}
    for name, p in properties.items():
        if p["required"] and name not in mapped_props:
            report["errors"].append(
                {
                    "kind": "required-not-mapped",
                    "property": name,
                    "message": tk._('Required property "{0}" is not mapped to any column.').format(name),
                }
            )
    unmapped = [c for c in columns if c not in {c for c, _ in mapping}]
    if unmapped:
        report["warnings"].append({"kind": "unmapped-columns", "columns": unmapped, "message": _unmapped(unmapped)})

    codes = {
        name: {i.code for i in queries.code_items(name)}
        for p in properties.values()
        for name in (p["code_list"], p.get("markers"))
        if name
    }
    markers: dict[str, int] = {}
    problems: dict[tuple[str, str, str], dict[str, Any]] = {}

    def note(kind: str, column: str, prop: str, row: dict[str, Any], value: Any, message: str) -> None:
        entry = problems.setdefault(
            (kind, column, prop),
            {
                "kind": kind,
                "column": column,
                "property": prop,
                "count": 0,
                "examples": [],
                "message": message,
            },
        )
        entry["count"] += 1
        if len(entry["examples"]) < EXAMPLES:
            entry["examples"].append({"_id": row.get("_id"), "value": value})

    offset = 0
    total = fields_info.get("total", 0)
    report["rows"] = total
    while offset < min(total, MAX_ROWS):
        page = tk.get_action("datastore_search")(
            dict(site), {"resource_id": resource_id, "limit": PAGE, "offset": offset, "sort": "_id"}
        )
        for row in page["records"]:
            for column, prop in mapping:
                p = properties[prop]
                value = row.get(column)
                if value is None or str(value).strip() == "":
                    if p["required"]:
                        note(
                            "required-empty",
                            column,
                            prop,
                            row,
                            value,
                            tk._('Required property "{0}" is empty.').format(prop),
                        )
                    continue
                if p["code_list"]:
                    # a cell may hold several codes separated by ";"
                    bad = [
                        v for v in re.split(r"\s*;\s*", str(value).strip()) if v not in codes[p["code_list"]]
                    ]
                    if bad:
                        note(
                            "not-in-code-list",
                            column,
                            prop,
                            row,
                            value,
                            tk._('Values not in code list "{0}".').format(p["code_list"]),
                        )
                elif p.get("markers") and str(value).strip() in codes[p["markers"]]:
                    # a published marker in place of the number (DfE: c confidential, x unavailable, ...)
                    markers[prop] = markers.get(prop, 0) + 1
                elif p["datatype"] and not _ok(p["datatype"], value):
                    if p.get("markers"):
                        note(
                            "not-a-measure",
                            column,
                            prop,
                            row,
                            value,
                            tk._('Values that are neither numbers nor markers of "{0}".').format(p["markers"]),
                        )
                        continue
                    note(
                        "datatype",
                        column,
                        prop,
                        row,
                        value,
                        tk._('Values that are not of type "{0}".').format(p["datatype"]),
                    )
        offset += PAGE
        report["rows_checked"] = min(offset, total)
    if total > MAX_ROWS:
        report["warnings"].append(
            {
                "kind": "partial",
                "message": tk._("Only the first {0} of {1} rows were checked.").format(MAX_ROWS, total),
            }
        )
    for prop, count in sorted(markers.items()):
        report["warnings"].append(
            {
                "kind": "markers",
                "property": prop,
                "count": count,
                "message": tk._("{0} values of {1} are markers, not numbers (suppressed or not available).").format(
                    count, prop
                ),
            }
        )
    report["errors"].extend(problems.values())
    return _store(resource, report)


def _implicit(columns: list[str]) -> str:
    return tk._("No column mapping was given; columns named like properties were used: {0}.").format(
        ", ".join(columns)
    )


def _unmapped(columns: list[str]) -> str:
    return tk._("Columns not mapped to a property: {0}.").format(", ".join(columns))


_LAYER_WORD = {"analytical": lambda: tk._("analytical"), "political": lambda: tk._("political")}
_MESSAGES = {"implicit-mapping": _implicit, "unmapped-columns": _unmapped}
# kinds that name no column and count no rows of the table
_NAMELESS = {"no-concept", "no-datastore", "statistics-as-records"}


def shown(report: dict[str, Any], may_read: Callable[[list[str] | None], bool]) -> dict[str, Any]:
    """The report as a reader may see it. A report is derived from the rows,
    so it is shown as the rows are: whole to those who may read every data
    item (may_read(None)); to a reader of some items (may_read([]) and
    may_read([column]) for the columns they cover) the row count and the
    problems of those columns; to anyone else the status and how many
    problems there are, and nothing else -- no column, no value, no count of
    rows. The gating decision answers may_read; the report only applies it."""
    if may_read(None):
        return report
    errors, warnings = report.get("errors") or [], report.get("warnings") or []
    summary = {k: report.get(k) for k in ("resource_id", "status", "checked_at", "concept", "concept_version")}
    summary.update(redacted=True, error_count=len(errors), warning_count=len(warnings))
    if not may_read([]):
        return summary

    def readable(entry: dict[str, Any]) -> dict[str, Any] | None:
        if "column" in entry:
            return entry if may_read([entry["column"]]) else None
        if "columns" in entry and entry.get("kind") in _MESSAGES:
            columns = [c for c in entry["columns"] if may_read([c])]
            return {**entry, "columns": columns, "message": _MESSAGES[entry["kind"]](columns)} if columns else None
        # the only kind that counts rows: a reader of some items reads every row
        return entry if entry.get("kind") in _NAMELESS | {"partial"} else None

    summary.update(
        rows=report.get("rows"),
        rows_checked=report.get("rows_checked"),
        errors=[e for e in map(readable, errors) if e],
        warnings=[w for w in map(readable, warnings) if w],
    )
    return summary


def _store(resource: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    report["status"] = "errors" if report["errors"] else ("warnings" if report["warnings"] else "pass")
    row = model.Session.query(dm.QualityReport).filter(
        dm.QualityReport.resource_id == resource["id"]
    ).one_or_none() or dm.QualityReport(resource_id=resource["id"])
    row.package_id = resource["package_id"]
    row.status = report["status"]
    row.report = report
    row.checked_at = dm._now()
    model.Session.add(row)
    model.Session.commit()
    return report


def stored_report(resource_id: str) -> dict[str, Any] | None:
    row = (
        model.Session.query(dm.QualityReport)
        .filter(dm.QualityReport.resource_id == resource_id)
        .one_or_none()
    )
    return dict(row.report) if row else None


def run_check_job(resource_id: str) -> str:
    try:
        return check_resource(resource_id)["status"]
    except tk.ObjectNotFound:
        log.info("quality check: resource %s is gone", resource_id)
        return "gone"


def enqueue_check(resource_id: str) -> None:
    tk.enqueue_job(run_check_job, [resource_id], title=f"ldeco quality check {resource_id}")


def resource_changed(resource: dict[str, Any]) -> None:
    """IResourceController: a resource with a concept or a mapping, or with
    DataStore rows, is checked again in the background."""
    if resource.get("id") and (
        resource.get("conforms_to") or resource.get("column_map") or resource.get("datastore_active")
    ):
        enqueue_check(resource["id"])
