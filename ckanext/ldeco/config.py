"""Typed getters for the options declared in config_declaration.yaml."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["demo_mode", "demo_password", "rights_expiry_notice_days", "rights_mail_max_attempts"]


def demo_mode() -> bool:
    return tk.config["ckanext.ldeco.demo_mode"]


def demo_password() -> str:
    return tk.config["ckanext.ldeco.demo.password"]


def rights_expiry_notice_days() -> int:
    return tk.config["ckanext.ldeco.rights.expiry_notice_days"]


def rights_mail_max_attempts() -> int:
    return tk.config["ckanext.ldeco.rights.mail_max_attempts"]
