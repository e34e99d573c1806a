"""Downloads go through the decision point."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import flask
from ckan.common import current_user
from ckan.lib import uploader  # the storage of uploads; the toolkit has no door to it
from flask import Blueprint, Response

from ckanext.ldeco.gating import secrets, service
from ckanext.ldeco.gating.decision import RESTRICTED, effective_level

__all__ = ["get_blueprints"]

gating = Blueprint("ldeco_gating", __name__)


def _context() -> dict[str, Any]:
    return {"user": current_user.name, "auth_user_obj": current_user}


def download(id: str, resource_id: str, filename: str | None = None, package_type: str = "dataset"):
    context = _context()
    try:
        decision, pkg, res = service.authorise(context, resource_id)
        if id not in (pkg["id"], pkg["name"]):
            raise tk.ObjectNotFound()
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Resource not found"))
    if decision.basis == "hidden":  # core's rule: the dataset is not visible to this user at all
        return tk.abort(403, tk._("Not authorized to download resource"))

    if not decision.allowed:
        service.record("download", decision, pkg, res, context, commit_session=True)
        return _refused(pkg, res, decision.reason)

    if decision.items is not None:
        if res.get("datastore_active"):
            # the dump asks the same decision, keeps only the granted columns
            # and is the one record of this access
            return tk.redirect_to(tk.url_for("datastore.dump", resource_id=res["id"], format="csv"))
        refusal = decision.__class__(False, tk._(
            "Your grant covers only some data items, and this file is not held in the DataStore, "
            "so it cannot be cut down to them. Ask the publisher to load it into the DataStore."),
            items=decision.items, grant=decision.grant, basis=decision.basis)
        service.record("download", refusal, pkg, res, context, commit_session=True)
        return _refused(pkg, res, refusal.reason)

    service.record("download", decision, pkg, res, context, commit_session=True)
    stored_url = res["stored_url"]
    if res.get("url_type") == "upload":
        # as core's download does, without asking for the dataset twice more
        path = uploader.get_resource_uploader({"id": res["id"], "url_type": "upload",
                                               "url": stored_url}).get_path(res["id"])
        response = flask.send_file(path, download_name=filename)
        if res.get("mimetype"):
            response.headers["Content-Type"] = res["mimetype"]
        tk.signals.resource_download.send(resource_id)
        return response
    if res.get("datastore_active") and (res.get("url_type") == "datastore" or not stored_url):
        # a table that lives only in the DataStore downloads as its dump
        return tk.redirect_to(tk.url_for("datastore.dump", resource_id=res["id"], format="csv"))
    # A restricted link's real address is in ldeco's table only; core's
    # resource.url holds this very route. An open link is core's to keep.
    target = res.get("secret_url") if effective_level(pkg, res) == RESTRICTED else stored_url
    if not target or secrets.is_gated(target, res["id"]):
        return tk.abort(404, tk._("No download is available"))
    return tk.redirect_to(target)


def datastore_dump(resource_id: str):
    """Core's dump, whose every page is a datastore_search through the door.
    A request the door refuses (a filter on a column outside a grant, a
    wrong type) is answered as such, naming the parameter, instead of
    escaping core's view as a server error."""
    core_dump = flask.current_app.view_functions.get("datastore.dump")
    if core_dump is None:  # the DataStore is off
        return tk.abort(404, tk._("DataStore resource not found"))
    flask.request.environ["ldeco.channel"] = "datastore_dump"  # its pages are one access, audited once
    try:
        return core_dump(resource_id)
    except tk.ValidationError as err:
        message = "\n".join(f"{key}: {' '.join(map(str, msgs)) if isinstance(msgs, list) else msgs}"
                            for key, msgs in err.error_dict.items())
        return Response(message, status=409, mimetype="text/plain")


def _refused(pkg: dict[str, Any], res: dict[str, Any], reason: str):
    body = tk.render("ldeco/gating/refused.html", extra_vars={"pkg": pkg, "res": res, "reason": reason})
    return Response(body, status=403, mimetype="text/html")


def _register_downloads(bp: Blueprint, dataset_type: str) -> None:
    # Same rules as core's; plugin blueprints are registered first, so ours answer.
    prefix = f"/{dataset_type}/<id>/resource/<resource_id>/download"
    defaults = {"package_type": dataset_type}
    bp.add_url_rule(prefix, endpoint=f"{dataset_type}_download", view_func=download, defaults=defaults)
    bp.add_url_rule(prefix + "/<filename>", endpoint=f"{dataset_type}_download_file", view_func=download,
                    defaults=defaults)


_register_downloads(gating, "dataset")
# the same rule as the DataStore's; plugin blueprints are registered in
# plugin order and ldeco comes first, so this one answers
gating.add_url_rule("/datastore/dump/<resource_id>", endpoint="datastore_dump", view_func=datastore_dump)


def get_blueprints() -> list[Blueprint]:
    return [gating]
