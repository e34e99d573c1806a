"""`ckan ldeco demo ...` as a user runs it."""
from __future__ import annotations

import pytest
from ckan.cli.cli import ckan

from ckanext.ldeco import cli as ldeco_cli

from .helpers import ecosystem


@pytest.fixture
def small(monkeypatch):
    # the whole demo is loaded by test_loader; here one district keeps it quick
    monkeypatch.setattr(ldeco_cli, "_build", lambda seed, scale: ecosystem(["WYR"], seed=seed, scale=scale))


@pytest.mark.usefixtures("portal", "small")
def test_load_twice_then_reset(cli):
    first = cli.invoke(ckan, ["ldeco", "demo", "load"])
    assert first.exit_code == 0, first.output
    assert "demo (scale 1, seed 42):" in first.output and " created" in first.output
    again = cli.invoke(ckan, ["ldeco", "demo", "load"])
    assert again.exit_code == 0, again.output
    assert "already loaded, nothing changed" in again.output
    gone = cli.invoke(ckan, ["ldeco", "demo", "reset", "--yes"])
    assert gone.exit_code == 0 and "items taken away" in gone.output
    assert "nothing to take away" in cli.invoke(ckan, ["ldeco", "demo", "reset", "--yes"]).output


@pytest.mark.usefixtures("portal")
def test_scale_must_be_positive(cli):
    result = cli.invoke(ckan, ["ldeco", "demo", "load", "--scale", "0"])
    assert result.exit_code != 0 and "--scale" in result.output


@pytest.mark.usefixtures("with_plugins")
def test_logins_list_every_persona(cli):
    result = cli.invoke(ckan, ["ldeco", "demo", "logins"])
    assert result.exit_code == 0, result.output
    assert "password for all: ldeco-demo-2026" in result.output
    for persona in ("sysadmin", "dictionary steward", "publisher", "police officer", "health officer", "citizen"):
        assert persona in result.output
