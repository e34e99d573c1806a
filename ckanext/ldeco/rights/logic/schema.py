"""Validation schemas of the rights capability (CKAN navl schemas).

One schema function per action: the only description of its parameters.
Presence validators come first (``not_empty``, ``ignore_missing``,
``default``), then the type validators of ``ckanext.ldeco.inputs`` and the
look-ups of ``validators``.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import types
from ckan.logic.schema import validator_args

from ckanext.ldeco import inputs
from ckanext.ldeco.inputs import ldeco_boolean, ldeco_id, ldeco_text, ldeco_title
from ckanext.ldeco.rights.logic import validators as v

__all__ = [
    "register_schema",
    "register_list_schema",
    "register_show_schema",
    "register_update_schema",
    "user_accreditation_schema",
    "user_accreditation_list_schema",
    "id_schema",
    "empowerment_schema",
    "empowerment_list_schema",
    "withdraw_schema",
    "handshake_schema",
    "access_request_schema",
    "bundle_schema",
    "submit_schema",
    "request_list_schema",
    "decide_schema",
    "grant_list_schema",
    "empty_schema",
    "REQUEST_DECISIONS",
    "REQUEST_STATES",
]

REQUEST_DECISIONS = ("approved", "approved_with_conditions", "rejected")
REQUEST_STATES = ("draft", "submitted", "withdrawn", *REQUEST_DECISIONS)


_default = inputs.default


def _optional(schema: types.Schema) -> types.Schema:
    """The schema with every field optional and no defaults: for updates and
    for fields shared by the parts of a bundle."""
    ignore_missing = tk.get_validator("ignore_missing")
    return {
        key: [ignore_missing, *(f for f in validators if not inputs.is_presence(f))]
        for key, validators in schema.items()
    }


def empty_schema() -> types.Schema:
    """No parameters (any given are ignored)."""
    return {}


@validator_args
def id_schema(not_empty: types.Validator) -> types.Schema:
    return {"id": [not_empty, ldeco_id]}


@validator_args
def _base(
    not_empty: types.Validator,
    ignore_missing: types.Validator,
    name_validator: types.Validator,
) -> types.Schema:
    return {
        "name": [not_empty, name_validator],
        "title": [not_empty, ldeco_title],
        "description": [ignore_missing, ldeco_text],
    }


@validator_args
def _purpose(ignore_missing: types.Validator) -> types.Schema:
    return {"dpv_purpose": [ignore_missing, ldeco_title]}


@validator_args
def _legal_gateway(ignore_missing: types.Validator) -> types.Schema:
    short = [ignore_missing, ldeco_title]
    text = [ignore_missing, ldeco_text]
    return {
        "statute": short,
        "provision": short,
        "legislation_url": short,
        "legislation_uri": short,
        "objective": text,
        "category": short,
        "extent": short,
        "conditions": text,
        "disclosers": [v.ldeco_agency_kinds],
        "recipients": [v.ldeco_agency_kinds],
        "review_date": [v.ldeco_date],
    }


@validator_args
def _accreditation(ignore_missing: types.Validator) -> types.Schema:
    return {
        "type": [ignore_missing, ldeco_title],
        "issuer": [ignore_missing, ldeco_title],
        "validity_days": [v.ldeco_positive_int],
    }


def _schedule() -> types.Schema:
    return {
        "dataset_id": [v.ldeco_dataset_id],
        "organization_id": [v.ldeco_organization_id],
        "roles": [v.ldeco_roles_exist],
        "purposes": [v.ldeco_purposes_exist],
        "gateways": [v.ldeco_legal_gateways_exist],
        "accreditations": [v.ldeco_accreditations_exist],
        "data_items": [v.ldeco_list_of_strings],
        "terms": [tk.get_validator("ignore_missing"), ldeco_text],
        "terms_version": [_default("1"), ldeco_title],
        "max_grant_days": [_default(365), v.ldeco_positive_int],
        "auto_approve": [_default(False), ldeco_boolean],
    }


_EXTRA = {
    "purpose": _purpose,
    "legal_gateway": _legal_gateway,
    "accreditation": _accreditation,
    "schedule": _schedule,
}


def register_schema(register: str) -> types.Schema:
    """A register entry, as created (and as stored after an update)."""
    schema = _base()
    if register in _EXTRA:
        schema.update(_EXTRA[register]())
    return schema


def register_update_schema(register: str) -> types.Schema:
    """id (or name) of the entry, and any of its fields: those not given are kept."""
    schema = _optional(register_schema(register))
    schema.update(id_schema())
    return schema


def register_show_schema(register: str) -> types.Schema:
    return id_schema()


def register_list_schema(register: str) -> types.Schema:
    """Schedules may be filtered by dataset_id or organization_id; other registers take nothing."""
    if register != "schedule":
        return empty_schema()
    ignore_missing = tk.get_validator("ignore_missing")
    return {"dataset_id": [ignore_missing, ldeco_id], "organization_id": [ignore_missing, ldeco_id]}


@validator_args
def user_accreditation_schema(not_empty: types.Validator, ignore_missing: types.Validator) -> types.Schema:
    return {
        "user_id": [not_empty, v.ldeco_user_exists],
        "accreditation": [not_empty, v.ldeco_accreditation_exists],
        "awarded": [not_empty, v.ldeco_date],
        "expires": [v.ldeco_date],
        "evidence": [ignore_missing, ldeco_text],
    }


@validator_args
def user_accreditation_list_schema(ignore_missing: types.Validator) -> types.Schema:
    return {"user_id": [ignore_missing, ldeco_id]}


@validator_args
def empowerment_schema(not_empty: types.Validator) -> types.Schema:
    return {
        "user_id": [not_empty, v.ldeco_user_exists],
        "organization_id": [not_empty, v.ldeco_organization_id],
        "role": [not_empty, v.ldeco_role_exists],
        "start_date": [not_empty, v.ldeco_date],
        "end_date": [v.ldeco_date],
    }


@validator_args
def empowerment_list_schema(ignore_missing: types.Validator) -> types.Schema:
    return {
        "organization_id": [ignore_missing, ldeco_id],
        "user_id": [ignore_missing, ldeco_id],
        "active_only": [ignore_missing, ldeco_boolean],
    }


@validator_args
def withdraw_schema(not_empty: types.Validator) -> types.Schema:
    return {"id": [not_empty, ldeco_id], "reason": [not_empty, ldeco_text]}


@validator_args
def handshake_schema(not_empty: types.Validator, ignore_missing: types.Validator) -> types.Schema:
    return {
        "dataset_id": [not_empty, v.ldeco_dataset_id],
        "empowerment_id": [not_empty, ldeco_id],
        "purpose": [not_empty, v.ldeco_purpose_exists],
        "gateway": [not_empty, v.ldeco_legal_gateway_exists],
        "data_items": [v.ldeco_list_of_strings],
        "resource_ids": [v.ldeco_list_of_strings],
        "start_date": [not_empty, v.ldeco_date],
        "end_date": [not_empty, v.ldeco_date],
        "accept_terms": [_default(False), ldeco_boolean],
        "terms_version": [ignore_missing, ldeco_title],
    }


def access_request_schema() -> types.Schema:
    schema = handshake_schema()
    schema.update(_request_extra())
    return schema


@validator_args
def _request_extra(ignore_missing: types.Validator) -> types.Schema:
    return {"justification": [ignore_missing, ldeco_text], "submit": [_default(True), ldeco_boolean]}


_PART_FIELDS = ("dataset_id", "data_items", "resource_ids", "terms_version")


def bundle_schema() -> types.Schema:
    """The fields the parts share (each optional here: a part may give it),
    and parts: a list of {dataset_id, data_items, resource_ids, terms_version}.
    Each part, merged with the shared fields, is then validated as one access request."""
    shared = _optional({k: val for k, val in access_request_schema().items() if k not in _PART_FIELDS})
    part = _optional({k: val for k, val in access_request_schema().items() if k in _PART_FIELDS})
    # the part's own look-ups run when it is validated as a whole request
    part["dataset_id"] = [tk.get_validator("ignore_missing"), ldeco_id]
    shared["parts"] = part
    return shared


@validator_args
def submit_schema(not_empty: types.Validator, ignore_missing: types.Validator) -> types.Schema:
    return {
        "id": [not_empty, ldeco_id],
        "accept_terms": [ignore_missing, ldeco_boolean],
        "terms_version": [ignore_missing, ldeco_title],
    }


@validator_args
def request_list_schema(ignore_missing: types.Validator, one_of: types.ValidatorFactory) -> types.Schema:
    return {
        "queue": [ignore_missing, ldeco_boolean],
        "state": [ignore_missing, one_of(list(REQUEST_STATES))],
        "bundle_id": [ignore_missing, ldeco_id],
    }


@validator_args
def decide_schema(
    not_empty: types.Validator,
    ignore_missing: types.Validator,
    one_of: types.ValidatorFactory,
) -> types.Schema:
    return {
        "id": [not_empty, ldeco_id],
        "decision": [not_empty, one_of(list(REQUEST_DECISIONS))],
        "reason": [not_empty, ldeco_text],
        "conditions": [ignore_missing, ldeco_text],
    }


@validator_args
def grant_list_schema(ignore_missing: types.Validator) -> types.Schema:
    return {"dataset_id": [ignore_missing, ldeco_id]}
