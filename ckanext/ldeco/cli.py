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


ldeco.add_command(rights)


def get_commands() -> list[click.Command]:
    return [ldeco]
