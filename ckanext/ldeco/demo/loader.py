"""Load the demo ecosystem into CKAN through its own actions, with table
rows going into the DataStore by COPY.

Idempotent: each organisation, user and dataset is compared with what is
stored; what already matches is left alone and reported as unchanged, so a
second run changes nothing and says so. A dataset is written whole or not at
all: if one of its resources fails, the dataset is purged again, so a re-run
after a failure simply continues with it.
"""
from __future__ import annotations

import contextlib
import io
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager as ContextManager
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Protocol

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
import yaml
from werkzeug.datastructures import FileStorage

from ckanext.ldeco import config
from ckanext.ldeco.demo import catalogue, copyload
from ckanext.ldeco.demo.catalogue import DatasetSpec, Ecosystem, ResourceSpec
from ckanext.ldeco.demo.reference import DemoError
from ckanext.ldeco.dictionary import signals as dictionary_signals
from ckanext.ldeco.records import derive

__all__ = ["DemoError", "Report", "load", "reset", "Progress"]

log = logging.getLogger(__name__)
ORG_FIELDS = ("title", "notes", "url", "agency_kind", "organisation_type", "area")


class Bar(Protocol):
    def update(self, n: int) -> None: ...


Progress = Callable[[str, int], ContextManager[Bar]]


class _NoBar:
    def update(self, n: int) -> None:
        pass


@contextlib.contextmanager
def no_progress(label: str, length: int) -> Iterator[Bar]:
    yield _NoBar()


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    # use_cache off: while the index commit is deferred, the index's copy of a
    # dataset can be older than the database's (DataStore flags are set
    # straight in the database), and resource_create would write it back.
    return {"user": site_user["name"], "ignore_auth": True, "use_cache": False}


def _show(action: str, id_: str, **extra: Any) -> dict[str, Any] | None:
    try:
        return tk.get_action(action)(_site_context(), {"id": id_, **extra})
    except tk.ObjectNotFound:
        return None


def _call(action: str, data: dict[str, Any], where: str) -> dict[str, Any]:
    try:
        return tk.get_action(action)(_site_context(), data)
    except tk.ValidationError as err:
        summary = "; ".join(f"{k}: {v}" for k, v in err.error_summary.items())
        raise DemoError(f"{where}: {summary}") from err
    except (DemoError, KeyboardInterrupt):
        raise
    except Exception as err:     # the database, index or storage failed: say where
        log.exception("demo: %s failed", where)
        raise DemoError(f"{where}: {action} failed: {type(err).__name__}: {err}") from err


@contextlib.contextmanager
def _one_solr_commit() -> Iterator[None]:
    """Index every change as usual but commit the index once at the end (and
    on failure): a Solr commit per dataset and resource costs more than all
    the rest of the load. The toolkit has no door to the index's commit."""
    from ckan.lib import search

    before = tk.config.get("ckan.search.solr_commit")
    tk.config["ckan.search.solr_commit"] = False
    try:
        yield
    finally:
        tk.config["ckan.search.solr_commit"] = before
        search.commit()


def load(eco: Ecosystem, progress: Progress = no_progress) -> Report:
    with _one_solr_commit():
        return _load(eco, progress)


def _load(eco: Ecosystem, progress: Progress) -> Report:
    report = Report()
    # organisations and datasets are checked against the dictionary: load it first
    _load_dictionary(report)
    with progress("organisations", len(eco.organisations)) as bar:
        for org in eco.organisations:
            _load_org(org, report)
            bar.update(1)
    with progress("people", len(eco.users)) as bar:
        for user in eco.users:
            _load_user(user, report)
            bar.update(1)
    with progress("datasets", eco.dataset_steps()) as bar:
        council = None
        for spec in eco.datasets():
            # one step per council (its tables are generated together)
            cases = "-troubled-families-cases"
            owner = spec.name.split(cases)[0] if spec.name.endswith(cases) else None
            if owner and owner != council:
                council = owner
                bar.update(1)
            _load_dataset(spec, report)
        bar.update(1)
    _load_rights(eco, report)
    return report


def _load_dictionary(report: Report) -> None:
    from ckanext.ldeco.dictionary import packs

    try:
        for pack in packs.load_shipped(progress=lambda _: None):
            (report.unchanged if pack.get("unchanged_pack") else report.updated).append(
                f"dictionary pack {pack['pack']}")
    except packs.PackError as err:
        raise DemoError("dictionary: " + "; ".join(err.problems)) from err


def _load_rights(eco: Ecosystem, report: Report) -> None:
    """The registers, the schedules of the restricted datasets, and the
    officers' empowerments and accreditations (demo/data/rights.yaml), for
    the datasets, people and organisations this ecosystem has."""
    from ckanext.ldeco.rights import demo as rights_demo
    from ckanext.ldeco.rights import loader as rights_loader

    where = "demo/data/rights.yaml"
    try:
        section = yaml.safe_load(resources.files("ckanext.ldeco.demo").joinpath("data/rights.yaml")
                                 .read_text("utf-8")) or {}
        users = {u["name"] for u in eco.users}
        orgs = {o["name"] for o in eco.organisations}
        section = {
            "schedules": [s for s in section.get("schedules") or []
                          if _show("package_show", s.get("dataset_id") or "") is not None],
            "empowerments": [e for e in section.get("empowerments") or []
                             if e.get("user") in users and e.get("organisation") in orgs],
            "accreditations": [a for a in section.get("accreditations") or [] if a.get("user") in users],
        }
        rights_demo.load(section, report, lambda _: None)
    except yaml.YAMLError as err:
        raise DemoError(f"{where}: not valid YAML: {err}") from err
    except rights_loader.LoadError as err:
        raise DemoError(f"{where}: {err}") from err


def _load_org(org: dict[str, Any], report: Report) -> None:
    name = org["name"]
    wanted = {k: org[k] for k in ORG_FIELDS if k in org}
    current = _show("organization_show", name, include_datasets=False, include_users=False)
    where = f"organisation {name}"
    if current is None:
        _call("organization_create", {"name": name, **wanted}, where)
        report.created.append(where)
    elif current.get("state") != "active" or any((current.get(k) or "") != (v or "") for k, v in wanted.items()):
        _call("organization_patch", {"id": name, "state": "active", **wanted}, where)
        report.updated.append(where)
    else:
        report.unchanged.append(where)


def _load_user(user: dict[str, Any], report: Report) -> None:
    name = user["name"]
    where = f"user {name}"
    current = _show("user_show", name)
    if current is None:
        if not config.demo_mode():
            raise DemoError(f"{where}: demo users are only created in demo mode "
                            "(set ckanext.ldeco.demo_mode = true)")
        _call("user_create", {"name": name, "email": user.get("email") or f"{name}@example.org",
                              "fullname": user.get("fullname", ""), "password": config.demo_password()}, where)
        report.created.append(where)
    elif current.get("state") != "active":
        _call("user_patch", {"id": name, "state": "active"}, where)
        report.updated.append(where)
    else:
        report.unchanged.append(where)
    if user.get("dictionary_steward"):
        _make_steward(name, report)
    shown = _show("user_show", name) or {}
    if user.get("sysadmin") and not shown.get("sysadmin"):
        _call("user_patch", {"id": name, "sysadmin": True}, where)
        report.updated.append(f"sysadmin {name}")
    user_id = shown["id"]
    for org, capacity in (user.get("memberships") or {}).items():
        members = tk.get_action("member_list")(_site_context(), {"id": org, "object_type": "user"})
        if (user_id, "user", capacity.capitalize()) in [tuple(m) for m in members]:
            continue
        _call("organization_member_create", {"id": org, "username": name, "role": capacity},
              f"{where} in {org}")
        report.updated.append(f"membership {name} → {org} as {capacity}")


def _make_steward(name: str, report: Report) -> None:
    from ckanext.ldeco.dictionary import stewards

    user_id = (_show("user_show", name) or {})["id"]
    if not stewards.is_steward(user_id):
        stewards.grant(user_id, "demo")
        report.updated.append(f"dictionary steward {name}")


def _same(current: dict[str, Any], spec: DatasetSpec) -> bool:
    wanted = spec.package_fields()
    if (current.get("organization") or {}).get("name") != wanted.pop("owner_org"):
        return False
    if any(current.get(k) != v for k, v in wanted.items()):
        return False
    if sorted(t["name"] for t in current.get("tags") or []) != sorted(spec.tags):
        return False
    have = [(r.get("name"), r.get("ldeco_digest")) for r in current.get("resources") or []]
    return have == [(r.name, r.digest()) for r in spec.resources]


def _purge(dataset: dict[str, Any]) -> None:
    """Purge a dataset and drop its DataStore tables. The tables go after
    the purge, straight in the DataStore database: datastore_delete first
    would flag a resource of a dataset that is about to vanish, and CKAN's
    index would then log a failed re-index for it."""
    tables = [r["id"] for r in dataset.get("resources") or [] if r.get("datastore_active")]
    files = _uploaded_files(dataset)
    tk.get_action("dataset_purge")(_site_context(), {"id": dataset["id"]})
    if tables:
        with copyload.write_engine().begin() as conn:
            for table in tables:
                conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    # CKAN's purge leaves uploaded files behind: take them too, or every
    # reset and replaced dataset would leave its files in the storage
    for path in files:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
        except OSError as err:
            log.warning("demo: could not remove %s: %s", path, err)


def _uploaded_files(dataset: dict[str, Any]) -> list[str]:
    from ckan.lib import uploader

    paths = []
    for res in dataset.get("resources") or []:
        if res.get("url_type") != "upload" or not res.get("id"):
            continue
        upload = uploader.get_resource_uploader(dict(res))
        # an uploader of another plugin (cloud storage) keeps its own files
        if hasattr(upload, "get_path") and getattr(upload, "storage_path", None):
            try:
                paths.append(upload.get_path(res["id"]))
            except tk.ValidationError:      # a path outside the storage: never touch it
                log.warning("demo: resource %s: its file path is outside the storage", res["id"])
    return paths


def _load_dataset(spec: DatasetSpec, report: Report) -> None:
    where = f"dataset {spec.name}"
    current = _show("package_show", spec.name)
    if current is not None and _same(current, spec):
        _views(current, spec, where)  # previews added since the dataset was loaded
        report.unchanged.append(where)
        return
    if current is not None:       # changed (another seed, scale or version): replace it whole
        _purge(current)
    # Every resource is written with the dataset, in one package_create:
    # resource_create would rewrite and re-index the whole dataset once per
    # resource (and datastore_create with a new resource twice more).
    uploads, resources = [], []
    counted = [res for res in spec.resources if res.statistic is not None]
    for res in spec.resources:
        if res.statistic is not None:
            continue  # the portal derives it below, once the dataset exists
        fields, upload = _resource_fields(res)
        uploads.append(upload)
        resources.append(fields)
    pkg = _call("package_create", {**spec.package_fields(), "tags": [{"name": t} for t in spec.tags],
                                   "resources": resources}, where)
    try:
        filled = [res for res in spec.resources if res.statistic is None]
        for j, (res, stored, upload) in enumerate(zip(filled, pkg["resources"], uploads, strict=True), 1):
            _fill_resource(stored["id"], res, upload, f"{where}, resource {j} ({res.name})")
            if res.table is not None:
                report.rows += len(res.table.rows)
        for res in counted:
            concept, dims = res.statistic or ("", ())
            try:
                derive.create(pkg["id"], concept, list(dims), res.name, extra={"ldeco_digest": res.digest()})
            except tk.ValidationError as err:
                raise DemoError(f"{where}, statistic {res.name}: {err.error_summary}") from err
        _views(_show("package_show", pkg["id"]) or pkg, spec, where)
    except BaseException:
        # A dataset without all its resources would look loaded on the next
        # run: take it away so that the re-run creates it whole.
        _purge(_show("package_show", pkg["id"]) or pkg)
        raise
    (report.updated if current is not None else report.created).append(where)


def _views(pkg: dict[str, Any], spec: DatasetSpec, where: str) -> None:
    """The previews core makes by default (a table view of each DataStore
    table, ours of a Markdown report), made once the tables are filled;
    a view that exists already is left as it is."""
    # core makes the views of one kind per call: those needing the DataStore, or the others
    for datastore in (False, True):
        if datastore and not any(res.table is not None or res.statistic for res in spec.resources):
            continue
        _call("package_create_default_resource_views", {"package": pkg, "create_datastore_views": datastore},
              where)


def _resource_fields(res: ResourceSpec) -> tuple[dict[str, Any], Any]:
    """The resource as package_create takes it, and the uploader that stores
    its file once it has an id (what resource_create does for an upload)."""
    from ckan.lib import uploader

    fields: dict[str, Any] = {"name": res.name, "format": res.format, "description": res.description,
              "ldeco_digest": res.digest(),
              **({"conforms_to": res.concept} if res.concept else {}),
              **({"column_map": res.column_map} if res.column_map else {})}
    if res.table is not None:
        # what datastore_create gives a resource it makes itself
        return {**fields, "url": "_datastore_only_resource", "url_type": "datastore"}, None
    fields["upload"] = FileStorage(io.BytesIO(res.text.encode("utf-8")), filename=res.filename or "data.csv",
                                   content_type="text/csv" if res.format == "CSV" else "text/plain")
    upload = uploader.get_resource_uploader(fields)     # sets url, url_type and takes the file
    if hasattr(upload, "mimetype"):
        fields["mimetype"] = upload.mimetype
    if hasattr(upload, "filesize"):
        fields["size"] = upload.filesize
    return fields, upload


def _fill_resource(resource_id: str, res: ResourceSpec, upload: Any, where: str) -> None:
    from ckan.lib import uploader

    if res.table is None:
        try:
            upload.upload(resource_id, uploader.get_max_resource_size())
        except Exception as err:     # the storage failed
            raise DemoError(f"{where}: storing the file failed: {type(err).__name__}: {err}") from err
        return
    table = res.table
    _call("datastore_create", {"resource_id": resource_id, "force": True,
                               "fields": [{"id": f, "type": t} for f, t in table.fields]}, where)
    try:
        copyload.copy_into_datastore(resource_id, [f for f, _ in table.fields], table.csv_text())
        # the rows came by COPY, past datastore_upsert: say so, as the chained write would
        dictionary_signals.table_written.send(resource_id)
    except copyload.CopyError as err:
        field_ = f", field '{err.column}'" if err.column else ""
        raise DemoError(f"{where}: table '{table.name}', row {err.line}{field_}: {err}") from err
    except Exception as err:     # the DataStore database failed
        raise DemoError(f"{where}: table '{table.name}': {type(err).__name__}: {err}") from err


def reset(ecosystems: list[Ecosystem], progress: Progress = no_progress) -> Report:
    """Take away every dataset of the demo's organisations, the organisations
    and the demo users (CKAN keeps users, marked deleted)."""
    report = Report()
    orgs: dict[str, None] = {}
    users: dict[str, None] = {}
    for eco in ecosystems:
        orgs.update((o["name"], None) for o in eco.organisations)
        users.update((u["name"], None) for u in eco.users)
    with progress("organisations", len(orgs)) as bar:
        for name in orgs:
            org = _show("organization_show", name, include_datasets=False)
            if org is not None:
                while True:
                    found = tk.get_action("package_search")(_site_context(), {
                        "fq": f'owner_org:"{org["id"]}"', "rows": 500, "include_private": True})
                    if not found["results"]:
                        break
                    for pkg in found["results"]:
                        _purge(_show("package_show", pkg["id"]) or pkg)
                        report.updated.append(f"dataset {pkg['name']} purged")
                _purge_org(org)
                report.updated.append(f"organisation {name} purged")
            bar.update(1)
    for name in users:
        user = _show("user_show", name)
        if user is not None and user.get("state") == "active":
            tk.get_action("user_delete")(_site_context(), {"id": name})
            report.updated.append(f"user {name} deleted")
    return report


def _purge_org(org: dict[str, Any]) -> None:
    tk.get_action("organization_purge")(_site_context(), {"id": org["id"]})


def plan(ref: Any, seed: int, scale: int) -> Ecosystem:
    return catalogue.build(ref, seed=seed, scale=scale)
