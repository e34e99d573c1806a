"""Secrets kept out of core's reach.

A restricted resource's real link lives in ldeco's own table; core's
`resource.url` only ever holds the resource's gated download route. Every
route core and other plugins serve (activities, the index, `resource_search`,
feeds, history pages) reads core's table, so none of them can carry the link,
whether or not anyone thought of the route.

The move happens in one place, a `before_flush` listener on core's session, so
it holds for every write path (core actions, other plugins, the ORM directly)
and in the same transaction as the write: a restricted link moves in when it
is written or when its dataset or resource becomes restricted, and moves back
into `resource.url` when it becomes open. Uploads and DataStore resources have
no secret location (their routes are gated already) and are left alone.

Invariant: a row here exists only while the resource's stored url is its
gated route, so only resources whose url is (or was, in this flush) their
gated route ever need a look-up.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import ckan.model as model  # core's session and tables; the toolkit has no door to them
import ckan.plugins as p
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.engine import Connection

from ckanext.ldeco.gating.decision import RESTRICTED, effective_level

__all__ = ["ResourceSecret", "gated_route", "is_gated", "is_secret", "real_links", "secure_existing",
           "count_activities", "scrub_activities", "packages_with_secrets", "register"]

# Resources of these kinds are served by gated routes of their own: the
# stored url names a file in storage or nothing at all.
UNSECRET_TYPES = ("upload", "datastore")
DOWNLOAD_ENDPOINT = "ldeco_gating.dataset_download"


class ResourceSecret(tk.BaseModel):
    __tablename__ = "ldeco_resource_secret"

    resource_id = sa.Column(sa.UnicodeText, primary_key=True)  # core's resource.id (no foreign key)
    url = sa.Column(sa.UnicodeText, nullable=False)
    updated = sa.Column(sa.DateTime, nullable=False)


_table: sa.Table = ResourceSecret.__table__  # type: ignore[assignment]


def gated_route(package_id: str, resource_id: str) -> str:
    """The gated download route, as stored in core's resource.url. Always the
    default locale and the site's own address, so that it never depends on
    the request that wrote it."""
    return tk.url_for(DOWNLOAD_ENDPOINT, id=package_id, resource_id=resource_id, _external=True,
                      locale="default")


def is_gated(url: str | None, resource_id: str | None) -> bool:
    """Is this url the resource's own gated route (wherever the site lives,
    and whichever dataset it names: a resource moved keeps its secret)?"""
    return bool(url and resource_id) and str(url).endswith(f"/resource/{resource_id}/download")


def is_secret(pkg: dict[str, Any], res: dict[str, Any]) -> bool:
    """Does this resource's location belong in our table rather than core's?"""
    return (effective_level(pkg, res) == RESTRICTED and res.get("url_type") not in UNSECRET_TYPES
            and res.get("state", "active") != "deleted")


def real_links(resource_ids: Iterable[str], conn: Any = None) -> dict[str, str]:
    """resource id → real link, for those that have one here (one statement)."""
    ids = list(resource_ids)
    if not ids:
        return {}
    rows = (conn or model.Session).execute(sa.select(_table.c.resource_id, _table.c.url)
                                           .where(_table.c.resource_id.in_(ids)))
    return {row.resource_id: row.url for row in rows}


# ---- the listener ----------------------------------------------------------

def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _stored_url(res: model.Resource) -> str | None:
    """The url as the database holds it before this flush."""
    history = sa.inspect(res).attrs.url.history
    if history.deleted:
        return history.deleted[0]
    return res.url if not sa.inspect(res).pending else None


def _package_level(session: orm.Session, pkg: model.Package, pending: dict[str, str | None]) -> str | None:
    if pkg.id in pending:
        return pending[pkg.id]
    extra = pkg._extras.get("access_level")
    if extra is None or extra in session.deleted or extra.state == "deleted":
        return None
    return extra.value


def _upsert(conn: Connection, resource_id: str, url: str) -> None:
    from sqlalchemy.dialects.postgresql import insert

    stmt = insert(_table).values(resource_id=resource_id, url=url, updated=_now())
    conn.execute(stmt.on_conflict_do_update(index_elements=[_table.c.resource_id],
                                            set_={"url": stmt.excluded.url, "updated": stmt.excluded.updated}))


def _scrub_package_activities(conn: Connection, package_id: str, secret: str, gated: str) -> None:
    """A link that was open (or written before it was restricted) is in the
    dataset's earlier activities: they take the gated route too."""
    if conn.execute(sa.text("SELECT to_regclass('activity')")).scalar() is None:
        return  # the activity plugin's table is not there
    # as JSON text holds them (core stores activity data with json.dumps)
    needle, replacement = json.dumps(secret)[1:-1], json.dumps(gated)[1:-1]
    conn.execute(sa.text("UPDATE activity SET data = replace(data, :needle, :replacement) "
                         "WHERE object_id = :package_id AND strpos(data, :needle) > 0"),
                 {"needle": needle, "replacement": replacement, "package_id": package_id})


def _ensure_id(obj: Any) -> str:
    if obj.id is None:
        obj.id = str(uuid.uuid4())  # the gated route names it before core's default would
    return obj.id


def _sync(conn: Connection, pkg: model.Package, res: model.Resource, level: str | None) -> None:
    _ensure_id(res)
    pkg_dict = {"access_level": level}
    res_dict = {"access_level": (res.extras or {}).get("access_level"), "url_type": res.url_type,
                "state": res.state}
    url = res.url or ""
    had_row = is_gated(_stored_url(res), res.id)
    if is_secret(pkg_dict, res_dict):
        if not url:
            if had_row:
                conn.execute(_table.delete().where(_table.c.resource_id == res.id))
            return
        gated = gated_route(pkg.id, res.id)
        if is_gated(url, res.id):
            # the gated route written back (an internal read saved again): the secret stays
            if url != gated:
                res.url = gated
            return
        if had_row and real_links([res.id], conn).get(res.id) == url:
            res.url_changed = False  # the editor saved the link it was shown: nothing changed
        else:
            _upsert(conn, res.id, url)
            _scrub_package_activities(conn, pkg.id, url, gated)
        res.url = gated
        return
    if not had_row:
        return
    # open now (or deleted, or no longer a link): the secret leaves our table
    real = real_links([res.id], conn).get(res.id)
    conn.execute(_table.delete().where(_table.c.resource_id == res.id))
    if res.state != "deleted" and res.url_type not in UNSECRET_TYPES and is_gated(url, res.id):
        res.url = real or ""


def _before_flush(session: orm.Session, flush_context: Any, instances: Any) -> None:
    new, dirty, deleted = session.new, session.dirty, session.deleted
    if not (new or dirty or deleted) or not p.plugin_loaded("ldeco"):
        return  # a listener outlives its plugin's unloading (tests load and unload plugins)
    pending_levels: dict[str, str | None] = {}  # package id → level set or removed in this flush
    whole: dict[str, model.Package] = {}  # packages whose level changes: every resource is looked at
    resources: list[model.Resource] = []
    purged: list[model.Resource] = []
    purged_packages: list[str] = []
    for obj in (*new, *dirty, *deleted):
        if isinstance(obj, model.Resource):
            (purged if obj in deleted else resources).append(obj)
        elif isinstance(obj, model.PackageExtra) and obj.key == "access_level":
            pkg = obj.package
            if pkg is None:
                continue
            pkg_id = _ensure_id(pkg)
            whole[pkg_id] = pkg
            gone = obj in deleted or obj.state == "deleted"
            if not gone or pkg_id not in pending_levels:
                pending_levels[pkg_id] = None if gone else obj.value
        elif isinstance(obj, model.Package) and obj in deleted and obj.id:
            purged_packages.append(obj.id)
    if not (resources or purged or whole or purged_packages):
        return
    conn = session.connection()
    with session.no_autoflush:
        for pkg in whole.values():
            resources.extend(pkg.resources_all)
        seen: set[int] = set()
        for res in resources:
            if id(res) in seen:
                continue
            seen.add(id(res))
            pkg = res.package
            if pkg is None:
                continue
            _ensure_id(pkg)
            _sync(conn, pkg, res, _package_level(session, pkg, pending_levels))
        for res in purged:
            if res.id:
                conn.execute(_table.delete().where(_table.c.resource_id == res.id))
        if purged_packages:
            conn.execute(_table.delete().where(_table.c.resource_id.in_(
                sa.select(model.resource_table.c.id).where(model.resource_table.c.package_id.in_(purged_packages)))))


def register() -> None:
    """Listen on core's session (idempotent: the plugin calls it at every load)."""
    if not sa.event.contains(model.Session, "before_flush", _before_flush):
        sa.event.listen(model.Session, "before_flush", _before_flush)


# ---- what was stored before: the migration and `ckan ldeco gating scrub` ----

_EXISTING = sa.text("""
    SELECT r.id, r.url, r.url_type, r.extras, r.state, r.package_id,
           (SELECT e.value FROM package_extra e
             WHERE e.package_id = r.package_id AND e.key = 'access_level' AND e.state = 'active'
             LIMIT 1) AS access_level
      FROM resource r
     WHERE coalesce(r.url, '') <> ''""")


def secure_existing(conn: Connection) -> dict[str, dict[str, str]]:
    """Move every stored restricted link into our table and write its gated
    route into resource.url, on this connection (its caller commits).
    Returns package id → {real link: gated route} for what moved."""
    moved: dict[str, dict[str, str]] = {}
    for row in conn.execute(_EXISTING).fetchall():
        extras = json.loads(row.extras) if row.extras else {}
        res = {"access_level": extras.get("access_level"), "url_type": row.url_type, "state": row.state}
        if not is_secret({"access_level": row.access_level}, res) or is_gated(row.url, row.id):
            continue
        gated = gated_route(row.package_id, row.id)
        _upsert(conn, row.id, row.url)
        conn.execute(sa.text("UPDATE resource SET url = :gated WHERE id = :id"), {"gated": gated, "id": row.id})
        moved.setdefault(row.package_id, {})[row.url] = gated
    return moved


def _secret_links(conn: Connection) -> dict[str, dict[str, str]]:
    """package id → {resource id: real link} for every secret held."""
    held: dict[str, dict[str, str]] = {}
    for row in conn.execute(sa.text("SELECT s.resource_id, s.url, r.package_id FROM ldeco_resource_secret s "
                                    "JOIN resource r ON r.id = s.resource_id")):
        held.setdefault(row.package_id, {})[row.resource_id] = row.url
    return held


def _replace_all(value: Any, swap: dict[str, str]) -> Any:
    if isinstance(value, str):
        for secret, gated in swap.items():
            value = value.replace(secret, gated)
        return value
    if isinstance(value, list):
        return [_replace_all(v, swap) for v in value]
    if isinstance(value, dict):
        return {k: _replace_all(v, swap) for k, v in value.items()}
    return value


def _activity_swap(data: dict[str, Any], held: dict[str, dict[str, str]]) -> dict[str, str]:
    """real link → gated route, for a stored dataset copy: every link held as
    a secret now, and every link that was restricted in the copy itself (an
    earlier link, since changed, is a secret all the same)."""
    pkg = data.get("package")
    if not isinstance(pkg, dict) or not pkg.get("id"):
        return {}
    ours = held.get(pkg["id"], {})
    swap = {url: gated_route(pkg["id"], rid) for rid, url in ours.items()}
    for res in pkg.get("resources") or []:
        if not isinstance(res, dict) or not res.get("id") or not res.get("url"):
            continue
        if (res["id"] in ours or is_secret(pkg, res)) and not is_gated(res["url"], res["id"]):
            swap[res["url"]] = gated_route(pkg["id"], res["id"])
    return swap


def count_activities(conn: Connection) -> int:
    if conn.execute(sa.text("SELECT to_regclass('activity')")).scalar() is None:
        return 0
    return conn.execute(sa.text("SELECT count(*) FROM activity WHERE activity_type LIKE '%package'")).scalar() or 0


def scrub_activities(conn: Connection, batch: int = 500,
                     progress: Callable[[int], None] | None = None) -> int:
    """Replace every secret link in the stored activities of datasets with its
    gated route. Returns how many activities were rewritten."""
    if conn.execute(sa.text("SELECT to_regclass('activity')")).scalar() is None:
        return 0
    held = _secret_links(conn)
    changed, after = 0, ""
    while True:
        rows = conn.execute(sa.text(
            "SELECT id, data FROM activity WHERE id > :after AND activity_type LIKE '%package' "
            "ORDER BY id LIMIT :batch"), {"after": after, "batch": batch}).fetchall()
        if not rows:
            return changed
        for row in rows:
            data = json.loads(row.data) if row.data else {}
            swap = _activity_swap(data, held) if isinstance(data, dict) else {}
            scrubbed = _replace_all(data, swap) if swap else data
            if scrubbed != data:
                conn.execute(sa.text("UPDATE activity SET data = :data WHERE id = :id"),
                             {"data": json.dumps(scrubbed), "id": row.id})
                changed += 1
        if progress:
            progress(len(rows))
        after = rows[-1].id


def packages_with_secrets(conn: Connection) -> Iterator[str]:
    for row in conn.execute(sa.text("SELECT DISTINCT r.package_id FROM ldeco_resource_secret s "
                                    "JOIN resource r ON r.id = s.resource_id")):
        yield row.package_id
