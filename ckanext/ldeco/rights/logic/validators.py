"""Validators of the rights capability (registered with the blanket)."""

from __future__ import annotations

import datetime as dt
import functools
from importlib import resources
from typing import Any

import ckan.plugins.toolkit as tk
import yaml

from ckanext.ldeco import inputs
from ckanext.ldeco.rights import model as m

__all__ = [
    "ldeco_dataset_access_level",
    "ldeco_list_of_strings",
    "ldeco_date",
    "ldeco_agency_kinds",
    "ldeco_purpose_exists",
    "ldeco_role_exists",
    "ldeco_legal_gateway_exists",
    "ldeco_accreditation_exists",
    "ldeco_purposes_exist",
    "ldeco_roles_exist",
    "ldeco_legal_gateways_exist",
    "ldeco_accreditations_exist",
    "ldeco_user_exists",
    "ldeco_dataset_id",
    "ldeco_organization_id",
    "ldeco_positive_int",
]


@inputs.type_check
def ldeco_list_of_strings(value: Any, context: Any) -> list[str]:
    """A list of non-empty strings, from a list or a comma/newline separated string."""
    return inputs.ldeco_names(value, context)


def ldeco_date(value: Any, context: Any) -> dt.date | None:
    """An ISO date (YYYY-MM-DD); empty means none."""
    if value is tk.missing or value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        parsed = dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise tk.Invalid(tk._("Not a date; use YYYY-MM-DD, e.g. 2026-04-01")) from None
    if not dt.date(1990, 1, 1) <= parsed <= dt.date(2200, 12, 31):
        raise tk.Invalid(tk._("Date out of range"))
    return parsed


MAX_DAYS = 36_500  # a hundred years: beyond it, a number of days is a mistake


def ldeco_positive_int(value: Any, context: Any) -> int | None:
    """A whole number of days, from 1 to MAX_DAYS."""
    if value is tk.missing or value is None or value == "":
        return None
    return _days(value, context)


_days = inputs.ldeco_int_between(1, MAX_DAYS)


@functools.lru_cache(maxsize=1)
def agency_kinds() -> tuple[str, ...]:
    """The organisation schema's kinds of agency (one source of truth: presets.yaml)."""
    text = resources.files("ckanext.ldeco.schemas").joinpath("presets.yaml").read_text("utf-8")
    presets = yaml.safe_load(text)["presets"]
    preset = next(p for p in presets if p["preset_name"] == "ldeco_agency_kind")
    return tuple(c["value"] for c in preset["values"]["choices"])


def ldeco_agency_kinds(value: Any, context: Any) -> list[str]:
    kinds = ldeco_list_of_strings(value, context)
    unknown = [k for k in kinds if k not in agency_kinds()]
    if unknown:
        raise tk.Invalid(
            tk._("Unknown kind of agency: {unknown} (known: {known})").format(
                unknown=", ".join(unknown), known=", ".join(agency_kinds())
            )
        )
    return kinds


def _exists(model_class: Any, label: str):
    @inputs.looks_up(inputs.ldeco_id)
    def one(value: Any, context: Any) -> str:
        if value is tk.missing or not value:
            return value
        inputs.ldeco_id(value, context)
        row = model_class.get(value)
        if row is None:
            raise tk.Invalid(tk._("No such {what}: {value}").format(what=tk._(label), value=value))
        return row.name

    @inputs.looks_up(inputs.ldeco_names)
    def many(value: Any, context: Any) -> list[str]:
        return [one(v, context) for v in ldeco_list_of_strings(value, context)]

    return one, many


ldeco_purpose_exists, ldeco_purposes_exist = _exists(m.Purpose, "purpose")
ldeco_role_exists, ldeco_roles_exist = _exists(m.Role, "role")
ldeco_legal_gateway_exists, ldeco_legal_gateways_exist = _exists(m.LegalGateway, "legal gateway")
ldeco_accreditation_exists, ldeco_accreditations_exist = _exists(m.Accreditation, "accreditation")


def _core_id(action: str, what: str):
    @inputs.looks_up(inputs.ldeco_id)
    def convert(value: Any, context: Any) -> Any:
        if value is tk.missing or value is None or value == "":
            return None
        inputs.ldeco_id(value, context)
        try:
            return tk.get_action(action)({"ignore_auth": True}, {"id": value})["id"]
        except tk.ObjectNotFound:
            raise tk.Invalid(tk._("No such {what}: {value}").format(what=tk._(what), value=value)) from None

    return convert


ldeco_user_exists = _core_id("user_show", "user")
ldeco_dataset_id = _core_id("package_show", "dataset")
ldeco_organization_id = _core_id("organization_show", "organisation")


_YES = {"true", "on", "1", "yes"}


def ldeco_dataset_access_level(key: Any, data: dict[Any, Any], errors: dict[Any, Any], context: Any) -> None:
    """A dataset's access level, safe by default: left blank, operational data
    (about real people and cases) is restricted and the rest open; operational
    data is open only when the publisher confirms it (`open_confirmed`)."""
    value = data.get(key)
    layer = data.get(("layer",))
    if value in (None, "", tk.missing):
        data[key] = "restricted" if layer == "operational" else "open"
        return
    confirmed = str(data.get(("open_confirmed",)) or "").strip().lower() in _YES
    if value == "open" and layer == "operational" and not confirmed:
        errors[key].append(tk._(
            "Operational data is about real people and cases, so it is restricted unless you confirm that it "
            "may be open: tick \"This operational data may be published openly\", or choose Restricted."))
