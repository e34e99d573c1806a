"""`ckan ldeco gating ...`: restricted links out of core's tables and the index."""
from __future__ import annotations

from typing import Any

import click

__all__ = ["gating"]


@click.group(short_help="Gating of restricted data")
def gating() -> None:
    pass


@gating.command("scrub", short_help="Move stored restricted links into ldeco's table; scrub activities and index")
@click.option("--no-index", is_flag=True, help="Leave the search index alone (rebuild it yourself)")
def scrub(no_index: bool) -> None:
    """What migration ldeco_0006 does, again (safe to run again): every
    restricted link stored in core's resource table moves into ldeco's table,
    its gated route takes its place, stored activities get the gated route,
    and every dataset holding a restricted link is indexed again."""
    import ckan.model as model  # the engine and the indexer have no toolkit door
    from ckan.lib import search

    from ckanext.ldeco.gating import secrets

    with model.meta.engine.begin() as conn:
        moved = secrets.secure_existing(conn)
        activities: Any = click.progressbar(length=max(secrets.count_activities(conn), 1),
                                            label="  activities    ", file=click.get_text_stream("stderr"))
        with activities as bar:
            scrubbed = secrets.scrub_activities(conn, progress=bar.update)
        packages = list(secrets.packages_with_secrets(conn))
    click.echo(f"gating: {sum(len(m) for m in moved.values())} links moved, {scrubbed} activities scrubbed")
    if no_index:
        click.echo("gating: search index left alone; run `ckan search-index rebuild`")
        return
    with click.progressbar(packages, label="  index         ", file=click.get_text_stream("stderr")) as bar:
        for package_id in bar:
            search.rebuild(package_id)
    click.echo(f"gating: {len(packages)} datasets indexed again")
