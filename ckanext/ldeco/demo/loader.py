"""Load a demo ecosystem described in YAML through CKAN's own actions.

Idempotent: what already exists as described is left alone and reported as
unchanged, so a second run changes nothing and says so.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Callable

import yaml
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk

from ckanext.ldeco import config

log = logging.getLogger(__name__)

ORG_FIELDS = ("title", "notes", "url", "agency_kind", "organisation_type", "area")
DATASET_FIELDS = ("title", "notes", "layer", "license_id", "access_level", "conforms_to", "theme", "service",
                  "spatial_gss")


class DemoError(Exception):
    """A demo file that cannot be loaded; the message names the place."""


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def read_demo(name: str = "small") -> dict[str, Any]:
    text = resources.files("ckanext.ldeco.demo").joinpath(f"{name}.yaml").read_text("utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise DemoError(f"demo/{name}.yaml is not valid YAML: {err}") from err
    if not isinstance(data, dict):
        raise DemoError(f"demo/{name}.yaml must hold a mapping of organisations, users and datasets")
    return data


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _show(action: str, id_: str) -> dict[str, Any] | None:
    try:
        return tk.get_action(action)(_site_context(), {"id": id_})
    except tk.ObjectNotFound:
        return None


def _call(action: str, data: dict[str, Any], where: str) -> dict[str, Any]:
    try:
        return tk.get_action(action)(_site_context(), data)
    except tk.ValidationError as err:
        summary = "; ".join(f"{field}: {problem}" for field, problem in err.error_summary.items())
        raise DemoError(f"{where}: {summary}") from err


def load(data: dict[str, Any], progress: Callable[[str], None] = log.info) -> Report:
    report = Report()
    _load_dictionary(report, progress)
    for i, org in enumerate(data.get("organisations") or [], 1):
        _load_org(org, report, f"organisations[{i}]")
        progress(f"organisations {i}/{len(data['organisations'])}")
    for i, user in enumerate(data.get("users") or [], 1):
        _load_user(user, report, f"users[{i}]")
        progress(f"users {i}/{len(data['users'])}")
    for i, ds in enumerate(data.get("datasets") or [], 1):
        _load_dataset(ds, report, f"datasets[{i}]")
        progress(f"datasets {i}/{len(data['datasets'])}")
    if "rights" in data:
        from ckanext.ldeco.rights import demo as rights_demo, loader as rights_loader

        try:
            rights_demo.load(data["rights"], report, progress)
        except rights_loader.LoadError as err:
            raise DemoError(str(err)) from err
    return report


def _load_dictionary(report: Report, progress: Callable[[str], None]) -> None:
    # organisations and datasets are checked against the dictionary: load it first
    from ckanext.ldeco.dictionary import packs

    try:
        for pack in packs.load_shipped(progress=progress):
            (report.unchanged if pack.get("unchanged_pack") else report.updated).append(
                f"dictionary pack {pack['pack']}")
    except packs.PackError as err:
        raise DemoError("dictionary: " + "; ".join(err.problems)) from err


def _require(item: dict[str, Any], key: str, where: str) -> Any:
    if not isinstance(item, dict) or not item.get(key):
        raise DemoError(f"{where}: missing '{key}'")
    return item[key]


def _load_org(org: dict[str, Any], report: Report, where: str) -> None:
    name = _require(org, "name", where)
    wanted = {k: org[k] for k in ORG_FIELDS if k in org}
    current = _show("organization_show", name)
    if current is None:
        _call("organization_create", {"name": name, **wanted}, f"{where} ({name})")
        report.created.append(f"organisation {name}")
    elif any(current.get(k) != v for k, v in wanted.items()):
        _call("organization_patch", {"id": name, **wanted}, f"{where} ({name})")
        report.updated.append(f"organisation {name}")
    else:
        report.unchanged.append(f"organisation {name}")


def _load_user(user: dict[str, Any], report: Report, where: str) -> None:
    name = _require(user, "name", where)
    current = _show("user_show", name)
    if current is None:
        if not config.demo_mode():
            raise DemoError(f"{where} ({name}): demo users are only created in demo mode "
                            "(set ckanext.ldeco.demo_mode = true)")
        _call("user_create", {
            "name": name, "email": _require(user, "email", where),
            "fullname": user.get("fullname", ""), "password": config.demo_password(),
        }, f"{where} ({name})")
        report.created.append(f"user {name}")
    else:
        report.unchanged.append(f"user {name}")
    if user.get("sysadmin"):
        _make_sysadmin(name, report)
    if user.get("dictionary_steward"):
        _make_steward(name, report)
    for org, capacity in (user.get("memberships") or {}).items():
        members = tk.get_action("member_list")(_site_context(), {"id": org, "object_type": "user"})
        user_id = _show("user_show", name)["id"]
        if (user_id, "user", capacity.capitalize()) in members:
            continue
        _call("organization_member_create", {"id": org, "username": name, "role": capacity},
              f"{where} ({name} in {org})")
        report.updated.append(f"membership {name} → {org} as {capacity}")


def _make_sysadmin(name: str, report: Report) -> None:
    current = _show("user_show", name)
    if current and not current.get("sysadmin"):
        _call("user_patch", {"id": name, "sysadmin": True}, f"user {name}")
        report.updated.append(f"sysadmin {name}")


def _make_steward(name: str, report: Report) -> None:
    from ckanext.ldeco.dictionary import stewards

    user_id = _show("user_show", name)["id"]
    if not stewards.is_steward(user_id):
        stewards.grant(user_id, "demo")
        report.updated.append(f"dictionary steward {name}")


def _load_dataset(ds: dict[str, Any], report: Report, where: str) -> None:
    name = _require(ds, "name", where)
    wanted = {k: ds[k] for k in DATASET_FIELDS if k in ds}
    current = _show("package_show", name)
    if current is not None:
        if any(current.get(k) != v for k, v in wanted.items()):
            _call("package_patch", {"id": name, **wanted}, f"{where} ({name})")
            report.updated.append(f"dataset {name}")
        else:
            report.unchanged.append(f"dataset {name}")
        return
    pkg = _call("package_create", {
        "name": name, "owner_org": _require(ds, "owner_org", where), **wanted,
        "tags": [{"name": t} for t in ds.get("tags", [])],
    }, f"{where} ({name})")
    try:
        for j, res in enumerate(ds.get("resources") or [], 1):
            csv = _require(res, "csv", f"{where}.resources[{j}]")
            upload = FileStorage(io.BytesIO(csv.encode("utf-8")), filename=f"{name}-{j}.csv",
                                 content_type="text/csv")
            _call("resource_create", {
                "package_id": pkg["id"], "name": res.get("name", ""),
                "format": res.get("format", "CSV"), "url": "", "upload": upload,
            }, f"{where}.resources[{j}] ({name})")
    except Exception:
        # A dataset without its resources would look loaded on the next run:
        # take it away so that the re-run creates it whole.
        tk.get_action("dataset_purge")(_site_context(), {"id": pkg["id"]})
        raise
    report.created.append(f"dataset {name}")
