"""Typed getters for the options declared in config_declaration.yaml."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["demo_mode", "demo_password"]


def demo_mode() -> bool:
    return tk.config["ckanext.ldeco.demo_mode"]


def demo_password() -> str:
    return tk.config["ckanext.ldeco.demo.password"]
