"""`ckan ldeco ...` commands."""
from __future__ import annotations

import click

from ckanext.ldeco import config
from ckanext.ldeco.demo import loader
from ckanext.ldeco.rights.cli import rights

__all__ = ["get_commands"]


@click.group(short_help="Local data ecosystem commands")
def ldeco() -> None:
    pass


@ldeco.group(short_help="The demo ecosystem")
def demo() -> None:
    pass


@demo.command("load", short_help="Load the demo ecosystem (safe to run again)")
@click.option("--name", default="small", show_default=True, help="Which demo description to load")
def demo_load(name: str) -> None:
    try:
        report = loader.load(loader.read_demo(name), progress=lambda step: click.echo(f"  {step}", err=True))
    except loader.DemoError as err:
        raise click.ClickException(str(err)) from err
    for line in report.created:
        click.echo(f"created   {line}")
    for line in report.updated:
        click.echo(f"updated   {line}")
    if report.changed:
        click.echo(f"demo: {len(report.created)} created, {len(report.updated)} updated, "
                   f"{len(report.unchanged)} unchanged")
    else:
        click.echo(f"demo: already loaded, nothing changed ({len(report.unchanged)} items)")


@demo.command("logins", short_help="Print the demo users and their password")
@click.option("--name", default="small", show_default=True, help="Which demo description")
def demo_logins(name: str) -> None:
    if not config.demo_mode():
        raise click.ClickException("demo mode is off (ckanext.ldeco.demo_mode): there are no demo log-ins")
    users = loader.read_demo(name).get("users") or []
    click.echo(f"Demo log-ins (password for all: {config.demo_password()}):")
    for user in users:
        orgs = ", ".join(user.get("memberships") or {})
        click.echo(f"  {user['name']:<16}{user.get('persona', '')}{f' — {orgs}' if orgs else ''}")


@ldeco.group(short_help="The data dictionary")
def dictionary() -> None:
    pass


@dictionary.command("load", short_help="Import the dictionary packs shipped with ldeco (safe to run again)")
def dictionary_load() -> None:
    from ckanext.ldeco.dictionary import packs, search

    try:
        reports = packs.load_shipped(progress=lambda step: click.echo(f"  {step}", err=True))
    except packs.PackError as err:
        raise click.ClickException("\n".join(err.problems)) from err
    for report in reports:
        if report.get("unchanged_pack"):
            click.echo(f"unchanged {report['pack']}")
            continue
        click.echo(f"applied   {report['pack']}: {len(report['created'])} created, "
                   f"{len(report['changed'])} changed, {len(report['removed'])} removed")
        search.reindex_concepts(report.get("affected") or [])


@dictionary.command("import", short_help="Import one pack from a YAML file")
@click.argument("path", type=click.File("r", encoding="utf-8"))
def dictionary_import(path) -> None:
    from ckanext.ldeco.dictionary import packs, search

    try:
        report = packs.import_pack(path.read())
    except packs.PackError as err:
        raise click.ClickException("\n".join(err.problems)) from err
    search.reindex_concepts(report.get("affected") or [])
    click.echo(f"{report['pack']}: {len(report['created'])} created, {len(report['changed'])} changed, "
               f"{len(report['removed'])} removed")


ldeco.add_command(rights)


def get_commands() -> list[click.Command]:
    return [ldeco]
