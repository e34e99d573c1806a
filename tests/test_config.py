"""The README's table of options is the declaration's, and every declared
option reaches the running portal with its declared default."""
from __future__ import annotations

from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
import yaml

from ckanext.ldeco import config

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_table_is_made_from_the_declaration(tmp_path):
    copy = tmp_path / "README.md"
    copy.write_text(README.read_text(encoding="utf-8"), encoding="utf-8")
    assert config.write_options_table(copy) is False, "README.md's options table is stale: run `make docs`"
    declared = yaml.safe_load(config.DECLARATION.read_text(encoding="utf-8"))
    keys = [o["key"] for g in declared["groups"] for o in g["options"]]
    table = config.options_table()
    assert all(f"| `{key}` |" in table for key in keys)


def test_a_readme_without_the_marked_section_is_refused_by_name(tmp_path):
    bare = tmp_path / "README.md"
    bare.write_text("# A README\\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no section marked"):
        config.write_options_table(bare)


@pytest.mark.usefixtures("with_plugins")
def test_declared_defaults_reach_the_portal():
    # test.ini sets none of the options this checks: the portal must hold the
    # declaration's defaults, typed, and the getters must hand them on
    declared = yaml.safe_load(config.DECLARATION.read_text(encoding="utf-8"))
    defaults = {o["key"]: o["default"] for g in declared["groups"] for o in g["options"] if "default" in o}
    for key in ("ckanext.ldeco.demo.password", "ckanext.ldeco.rights.expiry_notice_days",
                "ckanext.ldeco.rights.mail_max_attempts"):
        assert tk.config[key] == defaults[key], key
    assert config.rights_expiry_notice_days() == defaults["ckanext.ldeco.rights.expiry_notice_days"] == 14
    assert config.rights_mail_max_attempts() == defaults["ckanext.ldeco.rights.mail_max_attempts"] == 5
    assert config.demo_password() == defaults["ckanext.ldeco.demo.password"]
