"""Wiring only: each interface hands over to the capability that owns it."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.ldeco import cli, helpers
from ckanext.ldeco.access import hooks as access_hooks
from ckanext.ldeco.access import views as access_views
from ckanext.ldeco.access.logic import action as access_action
from ckanext.ldeco.access.logic import auth as access_auth
from ckanext.ldeco.catalogue.logic import action as catalogue_action


def _actions() -> dict:
    return {**catalogue_action.get_actions(), **access_action.get_actions()}


def _auth_functions() -> dict:
    return {**access_auth.get_auth_functions()}


def _blueprints() -> list:
    return [*access_views.get_blueprints()]


@tk.blanket.config_declarations
@tk.blanket.cli(cli.get_commands)
@tk.blanket.helpers(helpers)
@tk.blanket.actions(_actions)
@tk.blanket.auth_functions(_auth_functions)
@tk.blanket.blueprints(_blueprints)
class LdecoPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer

    def update_config(self, config_: tk.CKANConfig) -> None:
        tk.add_template_directory(config_, "templates")

    # IPackageController: each capability adds its part, in order.

    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        access_hooks.after_dataset_show(context, pkg_dict)

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return access_hooks.before_dataset_index(pkg_dict)

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return access_hooks.before_dataset_search(search_params)

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
