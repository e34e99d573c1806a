"""Wiring only: each interface hands over to the capability that owns it."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.ldeco import cli, helpers
from ckanext.ldeco.catalogue.logic import action as catalogue_action
from ckanext.ldeco.rights import access as rights_access, helpers as rights_helpers, licences as rights_licences
from ckanext.ldeco.rights import views as rights_views
from ckanext.ldeco.rights.logic import action as rights_action, auth as rights_auth
from ckanext.ldeco.rights.logic import validators as rights_validators


def _actions() -> dict:
    return {**catalogue_action.get_actions(), **rights_action.get_actions()}


def _auth_functions() -> dict:
    return {**rights_auth.get_auth_functions()}


def _helpers() -> dict:
    return {**{name: getattr(helpers, name) for name in helpers.__all__}, **rights_helpers.get_helpers()}


def _blueprints() -> list:
    return [*rights_views.get_blueprints()]


@tk.blanket.config_declarations
@tk.blanket.cli(cli.get_commands)
@tk.blanket.helpers(_helpers)
@tk.blanket.actions(_actions)
@tk.blanket.auth_functions(_auth_functions)
@tk.blanket.validators(rights_validators)
@tk.blanket.blueprints(_blueprints)
class LdecoPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)

    # IConfigurer

    def update_config(self, config_: tk.CKANConfig) -> None:
        tk.add_template_directory(config_, "templates")
        tk.add_resource("assets", "ldeco")
        rights_licences.use_shipped_licences(config_)

    # IPackageController

    def before_dataset_index(self, pkg_dict: dict) -> dict:
        return rights_access.before_dataset_index(pkg_dict)

    # IFacets

    def dataset_facets(self, facets_dict: dict, package_type: str) -> dict:
        return rights_access.dataset_facets(facets_dict, package_type)

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
