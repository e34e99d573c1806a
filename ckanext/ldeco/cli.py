"""`ckan ldeco ...` commands."""
from __future__ import annotations

import click

from ckanext.ldeco.demo import loader

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


def get_commands() -> list[click.Command]:
    return [ldeco]
