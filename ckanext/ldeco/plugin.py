"""Wiring only: each interface hands over to the capability that owns it."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.ldeco import cli, helpers
from ckanext.ldeco.catalogue.logic import action as catalogue_action


def _actions() -> dict:
    return {**catalogue_action.get_actions()}


@tk.blanket.config_declarations
@tk.blanket.cli(cli.get_commands)
@tk.blanket.helpers(helpers)
@tk.blanket.actions(_actions)
class LdecoPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)

    # IConfigurer

    def update_config(self, config_: tk.CKANConfig) -> None:
        tk.add_template_directory(config_, "templates")

    # ITranslation: the catalogues live in the top-level i18n/ folder, mapped
    # into the package as ckanext.ldeco.i18n.

    def i18n_directory(self) -> str:
        import ckanext.ldeco.i18n as i18n

        return i18n.__path__[0]

    def i18n_locales(self) -> list[str]:
        import os

        directory = self.i18n_directory()
        return [d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d))
                and not d.startswith("_")]

    def i18n_domain(self) -> str:
        return "ckanext-ldeco"
