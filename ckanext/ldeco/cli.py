"""`ckan ldeco ...` commands."""
from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import click

from ckanext.ldeco import config
from ckanext.ldeco.demo import catalogue, loader, reference
from ckanext.ldeco.gating.cli import gating
from ckanext.ldeco.rights.cli import rights

__all__ = ["get_commands"]


@click.group(short_help="Local data ecosystem commands")
def ldeco() -> None:
    pass


@ldeco.group(short_help="The demo ecosystem")
def demo() -> None:
    pass


@contextlib.contextmanager
def _bar(label: str, length: int) -> Iterator[loader.Bar]:
    # progress goes to stderr so that the summary on stdout stays readable
    progress: Any = click.progressbar(length=max(length, 1), label=f"  {label:<14}",
                                      file=click.get_text_stream("stderr"), show_pos=True)
    with progress as bar:
        yield bar


def _build(seed: int, scale: int) -> catalogue.Ecosystem:
    try:
        return catalogue.build(reference.read_reference(), seed=seed, scale=scale)
    except reference.DemoError as err:
        raise click.ClickException(str(err)) from err


@demo.command("load", short_help="Load the demo ecosystem (safe to run again)")
@click.option("--scale", default=1, show_default=True, type=click.IntRange(1),
              help="Grow datasets, organisations and rows (110 gives > 10,000 datasets and > 1,000,000 rows)")
@click.option("--seed", default=42, show_default=True,
              help="Seed of the synthetic data; a seed always gives the same demo")
@click.option("--verbose", "-v", is_flag=True, help="List what was created and updated")
def demo_load(scale: int, seed: int, verbose: bool) -> None:
    started = time.monotonic()
    eco = _build(seed, scale)
    try:
        report = loader.load(eco, progress=_bar)
    except reference.DemoError as err:
        raise click.ClickException(
            f"{err}\nWhat was loaded before is kept; run the command again to continue.") from err
    if verbose or len(report.created) + len(report.updated) <= 20:
        for line in report.created:
            click.echo(f"created   {line}")
        for line in report.updated:
            click.echo(f"updated   {line}")
    took = time.monotonic() - started
    if report.changed:
        click.echo(f"demo (scale {scale}, seed {seed}): {len(report.created)} created, {len(report.updated)} updated, "
                   f"{len(report.unchanged)} unchanged; {report.rows:,} DataStore rows loaded in {took:.1f} s")
    else:
        click.echo(f"demo (scale {scale}, seed {seed}): already loaded, nothing changed "
                   f"({len(report.unchanged)} items checked in {took:.1f} s)")


@demo.command("reset", short_help="Take the demo away: its datasets, organisations and users")
@click.option("--scale", default=1, show_default=True, type=click.IntRange(1), help="The scale it was loaded at")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation")
def demo_reset(scale: int, yes: bool) -> None:
    if not yes:
        click.confirm("Purge every dataset and organisation of the demo, and delete its users?", abort=True)
    ecos = [_build(42, 1)] + ([_build(42, scale)] if scale > 1 else [])
    report = loader.reset(ecos, progress=_bar)
    click.echo(f"demo reset: {len(report.updated)} items taken away" if report.changed
               else "demo reset: nothing to take away")


@demo.command("logins", short_help="Print the demo users and their password")
def demo_logins() -> None:
    if not config.demo_mode():
        raise click.ClickException("demo mode is off (ckanext.ldeco.demo_mode): there are no demo log-ins")
    eco = _build(42, 1)
    click.echo(f"Demo log-ins (password for all: {config.demo_password()}):")
    for user in eco.users:
        orgs = ", ".join(user.get("memberships") or {})
        role = f" ({user['role']})" if user.get("role") else ""
        click.echo(f"  {user['name']:<16}{user.get('persona', '')}{role}{f' — {orgs}' if orgs else ''}")


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
ldeco.add_command(gating)


def get_commands() -> list[click.Command]:
    return [ldeco]
