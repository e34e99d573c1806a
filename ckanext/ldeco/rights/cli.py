"""`ckan ldeco rights ...`: load register content; send the stored notices."""

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


@rights.command("send-mail", short_help="Send the stored notices; store expiry notices first")
@click.option(
    "--no-expiry-notices", is_flag=True, help="Only send what is stored; do not look for grants about to end"
)
def send_mail(no_expiry_notices: bool) -> None:
    """Send every pending notice of the outbox once. Run it regularly (e.g.
    daily from cron): it also stores a notice for each grant that ends within
    ckanext.ldeco.rights.expiry_notice_days, once per grant. A message that
    cannot be sent stays in the outbox and is tried again next time."""
    from ckanext.ldeco.rights import notify

    if not no_expiry_notices:
        queued = notify.queue_expiry_notices()
        click.echo(f"expiry notices stored: {queued}")
    counts = notify.send_pending(progress=lambda step: click.echo(f"  {step}", err=True))
    status = notify.mail_status()
    if not status["sending"]:
        click.echo(f"mail is not being sent: {status['reason']}", err=True)
    click.echo(
        f"notices: {counts['sent']} sent, {counts['pending']} still pending, {counts['failed']} given up"
    )
    if counts["pending"] or counts["failed"]:
        raise SystemExit(1)
