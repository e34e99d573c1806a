"""Typed getters for the options declared in config_declaration.yaml, and
the README's table of them, made from the same declaration."""
from __future__ import annotations

import re
from pathlib import Path

import ckan.plugins.toolkit as tk
import yaml

__all__ = ["demo_mode", "demo_password", "rights_expiry_notice_days", "rights_mail_max_attempts",
           "records_sdc_threshold", "records_sdc_protection", "records_sdc_rounding",
           "options_table", "write_options_table"]

DECLARATION = Path(__file__).with_name("config_declaration.yaml")
_SECTION = re.compile(r"(<!-- options:[^\n]*-->\n)(.*?)(<!-- /options -->)", re.S)


def demo_mode() -> bool:
    return tk.config["ckanext.ldeco.demo_mode"]


def demo_password() -> str:
    return tk.config["ckanext.ldeco.demo.password"]


def rights_expiry_notice_days() -> int:
    return tk.config["ckanext.ldeco.rights.expiry_notice_days"]


def records_sdc_threshold() -> int:
    return tk.config["ckanext.ldeco.records.sdc_threshold"]


def records_sdc_protection() -> int:
    return tk.config["ckanext.ldeco.records.sdc_protection"]


def records_sdc_rounding() -> int:
    return tk.config["ckanext.ldeco.records.sdc_rounding"]


def rights_mail_max_attempts() -> int:
    return tk.config["ckanext.ldeco.rights.mail_max_attempts"]


def _shown(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def options_table() -> str:
    """The options as a Markdown table: option, default, description."""
    rows = ["| option | default | description |", "|---|---|---|"]
    for group in yaml.safe_load(DECLARATION.read_text(encoding="utf-8"))["groups"]:
        for option in group["options"]:
            default = f"`{_shown(option['default'])}`" if "default" in option else "(none)"
            description = " ".join(option.get("description", "").split())
            rows.append(f"| `{option['key']}` | {default} | {description} |")
    return "\n".join(rows) + "\n"


def write_options_table(readme: Path) -> bool:
    """Put the table in its marked section of the README; True if it changed."""
    text = readme.read_text(encoding="utf-8")
    if not _SECTION.search(text):
        raise ValueError(f"{readme}: no section marked <!-- options: ... --> ... <!-- /options -->")
    made = _SECTION.sub(lambda m: m.group(1) + options_table() + m.group(3), text)
    if made != text:
        readme.write_text(made, encoding="utf-8")
    return made != text
