"""Validation schemas of the rights capability (CKAN navl schemas)."""

from __future__ import annotations

from ckan import types
from ckan.logic.schema import validator_args

from ckanext.ldeco.rights.logic import validators as v

__all__ = [
    "register_schema",
    "user_accreditation_schema",
    "empowerment_schema",
    "withdraw_schema",
    "handshake_schema",
    "access_request_schema",
    "decide_schema",
    "REQUEST_DECISIONS",
]

REQUEST_DECISIONS = ("approved", "approved_with_conditions", "rejected")


@validator_args
def _base(
    not_empty: types.Validator,
    ignore_missing: types.Validator,
    unicode_safe: types.Validator,
    name_validator: types.Validator,
) -> types.Schema:
    return {
        "name": [not_empty, unicode_safe, name_validator],
        "title": [not_empty, unicode_safe],
        "description": [ignore_missing, unicode_safe],
    }


@validator_args
def _purpose(ignore_missing: types.Validator, unicode_safe: types.Validator) -> types.Schema:
    return {"dpv_purpose": [ignore_missing, unicode_safe]}


@validator_args
def _legal_gateway(ignore_missing: types.Validator, unicode_safe: types.Validator) -> types.Schema:
    text = [ignore_missing, unicode_safe]
    return {
        "statute": text,
        "provision": text,
        "legislation_url": text,
        "legislation_uri": text,
        "objective": text,
        "category": text,
        "extent": text,
        "conditions": text,
        "disclosers": [v.ldeco_agency_kinds],
        "recipients": [v.ldeco_agency_kinds],
        "review_date": [v.ldeco_date],
    }


@validator_args
def _accreditation(ignore_missing: types.Validator, unicode_safe: types.Validator) -> types.Schema:
    return {
        "type": [ignore_missing, unicode_safe],
        "issuer": [ignore_missing, unicode_safe],
        "validity_days": [v.ldeco_positive_int],
    }


@validator_args
def _schedule(
    ignore_missing: types.Validator,
    unicode_safe: types.Validator,
    boolean_validator: types.Validator,
    default: types.ValidatorFactory,
) -> types.Schema:
    return {
        "dataset_id": [v.ldeco_dataset_id],
        "organization_id": [v.ldeco_organization_id],
        "roles": [v.ldeco_roles_exist],
        "purposes": [v.ldeco_purposes_exist],
        "gateways": [v.ldeco_legal_gateways_exist],
        "accreditations": [v.ldeco_accreditations_exist],
        "data_items": [v.ldeco_list_of_strings],
        "terms": [ignore_missing, unicode_safe],
        "terms_version": [default("1"), unicode_safe],
        "max_grant_days": [default(365), v.ldeco_positive_int],
        "auto_approve": [default(False), boolean_validator],
    }


_EXTRA = {
    "purpose": _purpose,
    "legal_gateway": _legal_gateway,
    "accreditation": _accreditation,
    "schedule": _schedule,
}


def register_schema(register: str) -> types.Schema:
    schema = _base()
    if register in _EXTRA:
        schema.update(_EXTRA[register]())
    return schema


@validator_args
def user_accreditation_schema(
    not_empty: types.Validator, ignore_missing: types.Validator, unicode_safe: types.Validator
) -> types.Schema:
    return {
        "user_id": [not_empty, v.ldeco_user_exists],
        "accreditation": [not_empty, v.ldeco_accreditation_exists],
        "awarded": [not_empty, v.ldeco_date],
        "expires": [v.ldeco_date],
        "evidence": [ignore_missing, unicode_safe],
    }


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
def withdraw_schema(not_empty: types.Validator, unicode_safe: types.Validator) -> types.Schema:
    return {"id": [not_empty, unicode_safe], "reason": [not_empty, unicode_safe]}


@validator_args
def handshake_schema(
    not_empty: types.Validator,
    ignore_missing: types.Validator,
    unicode_safe: types.Validator,
    boolean_validator: types.Validator,
    default: types.ValidatorFactory,
) -> types.Schema:
    return {
        "dataset_id": [not_empty, v.ldeco_dataset_id],
        "empowerment_id": [not_empty, unicode_safe],
        "purpose": [not_empty, v.ldeco_purpose_exists],
        "gateway": [not_empty, v.ldeco_legal_gateway_exists],
        "data_items": [v.ldeco_list_of_strings],
        "resource_ids": [v.ldeco_list_of_strings],
        "start_date": [not_empty, v.ldeco_date],
        "end_date": [not_empty, v.ldeco_date],
        "accept_terms": [default(False), boolean_validator],
        "terms_version": [ignore_missing, unicode_safe],
    }


def access_request_schema() -> types.Schema:
    schema = handshake_schema()
    schema.update(_request_extra())
    return schema


@validator_args
def _request_extra(
    ignore_missing: types.Validator,
    unicode_safe: types.Validator,
    boolean_validator: types.Validator,
    default: types.ValidatorFactory,
) -> types.Schema:
    return {"justification": [ignore_missing, unicode_safe], "submit": [default(True), boolean_validator]}


@validator_args
def decide_schema(
    not_empty: types.Validator,
    ignore_missing: types.Validator,
    unicode_safe: types.Validator,
    one_of: types.ValidatorFactory,
) -> types.Schema:
    return {
        "id": [not_empty, unicode_safe],
        "decision": [not_empty, one_of(list(REQUEST_DECISIONS))],
        "reason": [not_empty, unicode_safe],
        "conditions": [ignore_missing, unicode_safe],
    }
