"""Wiring only: each interface hands over to the capability that owns it."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.ldeco import cli, helpers, inputs
from ckanext.ldeco.audit import views as audit_views
from ckanext.ldeco.audit.logic import action as audit_action
from ckanext.ldeco.audit.logic import auth as audit_auth
from ckanext.ldeco.catalogue import search as catalogue_search
from ckanext.ldeco.catalogue.logic import action as catalogue_action
from ckanext.ldeco.dictionary import helpers as dictionary_helpers
from ckanext.ldeco.dictionary import quality as dictionary_quality
from ckanext.ldeco.dictionary import search as dictionary_search
from ckanext.ldeco.dictionary import signals as dictionary_signals
from ckanext.ldeco.dictionary import validators as dictionary_validators
from ckanext.ldeco.dictionary import views as dictionary_views
from ckanext.ldeco.dictionary.logic import action as dictionary_action
from ckanext.ldeco.dictionary.logic import auth as dictionary_auth
from ckanext.ldeco.gating import helpers as gating_helpers
from ckanext.ldeco.gating import hooks as gating_hooks
from ckanext.ldeco.gating import secrets as gating_secrets
from ckanext.ldeco.gating import views as gating_views
from ckanext.ldeco.gating.labels import LdecoPermissionLabels
from ckanext.ldeco.gating.logic import action as gating_action
from ckanext.ldeco.gating.logic import auth as gating_auth
from ckanext.ldeco.records import aggregate as records_aggregate
from ckanext.ldeco.records import derive as records_derive
from ckanext.ldeco.records import views as records_views
from ckanext.ldeco.records.logic import action as records_action
from ckanext.ldeco.records.logic import auth as records_auth
from ckanext.ldeco.rights import access as rights_access
from ckanext.ldeco.rights import helpers as rights_helpers
from ckanext.ldeco.rights import licences as rights_licences
from ckanext.ldeco.rights import views as rights_views
from ckanext.ldeco.rights.logic import action as rights_action
from ckanext.ldeco.rights.logic import auth as rights_auth
from ckanext.ldeco.rights.logic import outbox as rights_outbox
from ckanext.ldeco.rights.logic import validators as rights_validators
from ckanext.ldeco.thread import helpers as thread_helpers
from ckanext.ldeco.thread import search as thread_search
from ckanext.ldeco.thread import validators as thread_validators
from ckanext.ldeco.thread import views as thread_views
from ckanext.ldeco.thread.logic import action as thread_action
from ckanext.ldeco.thread.logic import auth as thread_auth


def _exported(module) -> dict:
    """A module's public functions by name: what its __all__ lists."""
    return {name: getattr(module, name) for name in module.__all__}


def _actions() -> dict:
    # every ldeco_* action declares its parameters, or the portal does not load
    return inputs.require_schemas({**catalogue_action.get_actions(), **dictionary_action.get_actions(),
                                   **rights_action.get_actions(), **rights_outbox.get_actions(),
                                   **gating_action.get_actions(), **_exported(audit_action),
                                   **_exported(thread_action), **_exported(records_action)})


def _auth_functions() -> dict:
    return {**dictionary_auth.get_auth_functions(), **rights_auth.get_auth_functions(),
            **rights_outbox.get_auth_functions(),
            **gating_auth.get_auth_functions(), **_exported(audit_auth), **_exported(thread_auth),
            **_exported(records_auth)}


def _validators() -> dict:
    return {**inputs.get_validators(), **dictionary_validators.get_validators(),
            **_exported(rights_validators), **_exported(thread_validators)}


def _helpers() -> dict:
    return {**_exported(helpers), **dictionary_helpers.get_helpers(),
            **rights_helpers.get_helpers(), **gating_helpers.get_helpers(), **_exported(thread_helpers)}


def _blueprints() -> list:
    return [*dictionary_views.get_blueprints(), *rights_views.get_blueprints(), *gating_views.get_blueprints(),
            *audit_views.get_blueprints(), *thread_views.get_blueprints(), *records_views.get_blueprints()]


# Each capability adds its index fields here (one line each), in order.
# Gating comes last: nothing secret may reach the index, whatever others add.
_INDEXERS = [dictionary_search.index_dataset, rights_access.before_dataset_index,
             catalogue_search.index_dataset, thread_search.index_dataset, gating_hooks.before_dataset_index]


_LABELS = LdecoPermissionLabels()


@tk.blanket.blueprints(_blueprints)
@tk.blanket.validators(_validators)
@tk.blanket.auth_functions(_auth_functions)
@tk.blanket.config_declarations
@tk.blanket.cli(cli.get_commands)
@tk.blanket.helpers(_helpers)
@tk.blanket.actions(_actions)
class LdecoPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IOrganizationController, inherit=True)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.IPermissionLabels)
    p.implements(p.ISignal)

    # ISignal: a written table re-derives the statistics that count it

    def get_signal_subscriptions(self) -> dict:
        # the cached counts go stale first, then the statistics are derived again
        return {dictionary_signals.table_written: [records_aggregate.table_written, records_derive.table_written]}

    # IConfigurer

    def update_config(self, config_: tk.CKANConfig) -> None:
        tk.add_template_directory(config_, "templates")
        tk.add_public_directory(config_, "public")
        tk.add_resource("assets", "ldeco")
        rights_licences.use_shipped_licences(config_)
        # restricted links kept out of core's tables, on every write path
        gating_secrets.register()

    # IPackageController

    def before_dataset_index(self, pkg_dict: dict) -> dict:
        for indexer in _INDEXERS:
            pkg_dict = indexer(pkg_dict)
        return pkg_dict

    def after_dataset_show(self, context: dict, pkg_dict: dict) -> None:
        gating_hooks.after_dataset_show(context, pkg_dict)

    def before_dataset_search(self, search_params: dict) -> dict:
        search_params = gating_hooks.before_dataset_search(search_params)
        return dictionary_search.before_search(search_params)

    def after_dataset_search(self, search_results: dict, search_params: dict) -> dict:
        search_results = dictionary_search.after_search(search_results, search_params)
        return catalogue_search.after_search(search_results, search_params)

    # IPermissionLabels: core's labels, computed with fewer queries

    def get_dataset_labels(self, dataset_obj) -> list[str]:
        return _LABELS.get_dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj) -> list[str]:
        return _LABELS.get_user_dataset_labels(user_obj)

    # IFacets

    def dataset_facets(self, facets_dict: dict, package_type: str) -> dict:
        facets_dict = dictionary_search.facets(facets_dict)
        facets_dict = rights_access.dataset_facets(facets_dict, package_type)
        return catalogue_search.facets(facets_dict)

    # IOrganizationController (IPackageController calls edit() too, with a dataset)

    def edit(self, entity) -> None:
        if getattr(entity, "is_organization", False):
            catalogue_search.organisation_changed(entity.id)

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

    # IResourceController

    def after_resource_create(self, context: dict, resource: dict) -> None:
        dictionary_quality.resource_changed(resource)

    def after_resource_update(self, context: dict, resource: dict) -> None:
        dictionary_quality.resource_changed(resource)
