"""The UK licence set, offered through CKAN's own licence mechanism.

CKAN reads `licenses_group_url` once, when the licence register is first
used; a `file://` URL is opened from disk. Unless a portal names its own
list, point it at the list shipped in this package.
"""

from __future__ import annotations

from importlib import resources

import ckan.plugins.toolkit as tk

__all__ = ["shipped_licences_url", "use_shipped_licences"]


def shipped_licences_url() -> str:
    return "file://" + str(resources.files("ckanext.ldeco.rights").joinpath("data/licences.json"))


def use_shipped_licences(config_: tk.CKANConfig) -> None:
    if not config_.get("licenses_group_url"):
        config_["licenses_group_url"] = shipped_licences_url()
