"""`ckan ldeco rights ...`: load register content."""

from __future__ import annotations

from pathlib import Path

import click

from ckanext.ldeco.rights import loader

__all__ = ["rights"]


@click.group(short_help="Rights registers")
def rights() -> None:
    pass


@rights.command("load", short_help="Load registers from YAML/CSV, or the shipped seed")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--register",
    help="For a CSV file: which register it holds (purpose, role, accreditation, legal_gateway, schedule)",
)
def load(path: Path | None, register: str | None) -> None:
    """Without PATH, load the shipped purposes, roles, accreditations and UK
    legal gateways. Safe to run again: unchanged entries are left alone."""
    progress = lambda step: click.echo(f"  {step}", err=True)  # noqa: E731
    try:
        report = loader.load_file(path, register, progress=progress) if path else loader.seed(progress)
    except loader.LoadError as err:
        raise click.ClickException(str(err)) from err
    for line in report.created:
        click.echo(f"created   {line}")
    for line in report.updated:
        click.echo(f"updated   {line}")
    click.echo(
        f"rights: {len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged"
    )
