"""The audit trail exported for information governance."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.common import current_user
from flask import Blueprint, Response

from ckanext.ldeco.audit import model as audit

__all__ = ["get_blueprints"]

audit_bp = Blueprint("ldeco_audit", __name__)


def _context() -> dict[str, Any]:
    return {"user": current_user.name, "auth_user_obj": current_user}


AUDIT_COLUMNS = ("seq", "at", "event", "outcome", "actor", "organisation", "role", "purpose", "gateway",
                 "dataset_id", "resource_id", "grant_id", "detail", "prev_hash", "hash")


def audit_export(fmt: str):
    """The audit trail for information governance, as CSV or JSON (sysadmins,
    or a dataset's publishers with ?dataset_id=)."""
    if fmt not in ("csv", "json"):
        return tk.abort(404, tk._("Export formats are csv and json"))
    data_dict = {"dataset_id": tk.request.args.get("dataset_id")} if tk.request.args.get("dataset_id") else {}
    try:
        tk.check_access("ldeco_audit_list", _context(), data_dict)
    except tk.NotAuthorized as err:
        return tk.abort(403, str(err))
    dataset_id = None
    if data_dict:
        try:
            dataset_id = tk.get_action("package_show")({"ignore_auth": True}, {"id": data_dict["dataset_id"]})["id"]
        except tk.ObjectNotFound:
            return tk.abort(404, tk._("Dataset not found"))
    rows = [e.dictize() for e in audit.iter_events_for(dataset_id)]
    if fmt == "json":
        return Response(json.dumps(rows, indent=1), mimetype="application/json",
                        headers={"Content-Disposition": "attachment; filename=ldeco-audit.json"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=AUDIT_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({**{k: row.get(k) for k in AUDIT_COLUMNS}, "detail": json.dumps(row["detail"])})
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=ldeco-audit.csv"})


audit_bp.add_url_rule("/ckan-admin/ldeco/audit.<fmt>", view_func=audit_export)


def get_blueprints() -> list[Blueprint]:
    return [audit_bp]
