"""Validators that check dataset and organisation metadata against the
dictionary. Each accepts what a publisher is likely to type (a code, a URI
or a label) and stores one canonical value; anything unknown is refused with
a message that says what was expected."""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import types

from ckanext.ldeco.dictionary import model as dm
from ckanext.ldeco.dictionary import queries

__all__ = ["get_validators", "AREA_LIST", "FUNCTION_LIST", "SERVICE_LIST"]

AREA_LIST = "nw-england-area"
FUNCTION_LIST = "lgsl-function"
SERVICE_LIST = "lgsl-service"
_MISSING: tuple[Any, ...] = (None, "", [], tk.missing)
_GSS = re.compile(r"^[EWSNK]\d{8}$")


def _not_loaded(code_list: str) -> tk.Invalid:
    return tk.Invalid(
        tk._(
            'The dictionary\'s code list "{0}" is not loaded, so this value cannot be checked; '
            'ask a sysadmin to run "ckan ldeco dictionary load".'
        ).format(code_list)
    )


def _loaded(code_list: str) -> bool:
    import ckan.model as model  # the session is core's; the toolkit has no door to it

    return model.Session.query(dm.CodeList.name).filter(dm.CodeList.name == code_list).first() is not None


def ldeco_concept(
    key: types.FlattenKey, data: types.FlattenDataDict, errors: types.FlattenErrorDict, context: types.Context
) -> Any:
    """conforms_to: a concept id (or its URI or label), stored as the id; the
    concept's version is stored beside it in conforms_to_version and kept
    while the dataset goes on declaring the same concept."""
    value = data.get(key)
    version_key = key[:-1] + ("conforms_to_version",)
    if value in _MISSING:
        data[key] = ""
        data[version_key] = ""
        return
    value = str(value).strip()
    import ckan.model as model  # the session is core's; the toolkit has no door to it

    q = model.Session.query(dm.Concept)
    concept = (
        q.filter(dm.Concept.name == value).first()
        or q.filter(dm.Concept.uri == value).first()
        or q.filter(sa.func.lower(dm.Concept.label) == value.lower()).first()
    )
    if concept is None:
        examples = ", ".join(c.name for c in q.order_by(dm.Concept.name).limit(5)) or tk._("none loaded")
        errors[key].append(
            tk._(
                '"{0}" is not a concept of the data dictionary. Give a concept id from the '
                "dictionary page, such as: {1}"
            ).format(value, examples)
        )
        return
    data[key] = concept.name
    wanted = data.get(version_key)
    known = {
        v
        for (v,) in model.Session.query(dm.ConceptVersion.version).filter(
            dm.ConceptVersion.concept == concept.name
        )
    }
    if wanted not in _MISSING:
        try:
            if int(wanted) in known:
                data[version_key] = str(int(wanted))
                return
        except (TypeError, ValueError):
            pass
        errors[version_key].append(
            tk._('Concept "{0}" has no version "{1}" (versions: {2})').format(
                concept.name, wanted, ", ".join(str(v) for v in sorted(known))
            )
        )
        return
    # an update that does not mention the version keeps the one stored
    package = context.get("package")
    if (
        package is not None
        and package.extras.get("conforms_to") == concept.name
        and package.extras.get("conforms_to_version")
    ):
        data[version_key] = package.extras["conforms_to_version"]
        return
    data[version_key] = str(concept.version)


def ldeco_conforms_to_version(value: Any, context: types.Context) -> Any:
    """Filled in by ldeco_concept; kept here only as text."""
    return "" if value in _MISSING else str(value)


def _code(code_list: str, what: str, example: str):
    def validator(value: Any, context: types.Context) -> Any:
        if value in _MISSING:
            return ""
        item = queries.find_code(code_list, str(value))
        if item is None:
            if not _loaded(code_list):
                raise _not_loaded(code_list)
            raise tk.Invalid(
                tk._(
                    '"{0}" is not in the {1}. Give its number, its label or its URI, for example {2}.'
                ).format(value, what, example)
            )
        return item.uri or item.code

    return validator


ldeco_lgsl_function = _code(
    FUNCTION_LIST, "Local Government Function List (LGFL)", '"16" or "Community safety"'
)
ldeco_lgsl_service = _code(
    SERVICE_LIST, "Local Government Service List (LGSL)", '"557" or "Road maintenance"'
)


def _gss(value: str) -> str:
    code = value.strip().upper()
    item = queries.code_item(AREA_LIST, code) if _GSS.match(code) else queries.find_code(AREA_LIST, value)
    if item is None:
        if not _loaded(AREA_LIST):
            raise _not_loaded(AREA_LIST)
        if not _GSS.match(code):
            raise tk.Invalid(
                tk._(
                    '"{0}" is not an ONS GSS code: a GSS code is a letter and eight digits, '
                    "such as E08000003 for Manchester."
                ).format(value)
            )
        raise tk.Invalid(
            tk._(
                '"{0}" is not an area this portal knows: give the ONS GSS code of an area of '
                "North West England (a district such as E08000003, a ward of Manchester, "
                "E47000001 for Greater Manchester or E12000002 for the region)."
            ).format(value)
        )
    return item.code


def ldeco_gss_code(value: Any, context: types.Context) -> Any:
    """One ONS GSS code of a known area (an area's name is accepted too)."""
    if value in _MISSING:
        return ""
    return _gss(str(value))


def ldeco_gss_codes(value: Any, context: types.Context) -> Any:
    """Several GSS codes, separated by commas or spaces, stored comma-separated."""
    if value in _MISSING:
        return ""
    parts = value if isinstance(value, list) else re.split(r"[,\s;]+", str(value))
    codes: list[str] = []
    for part in parts:
        if str(part).strip():
            code = _gss(str(part))
            if code not in codes:
                codes.append(code)
    return ",".join(codes)


def _find_concept(value: Any) -> dm.Concept | None:
    import ckan.model as model  # the session is core's; the toolkit has no door to it

    value = str(value).strip()
    q = model.Session.query(dm.Concept)
    return (
        q.filter(dm.Concept.name == value).first()
        or q.filter(dm.Concept.uri == value).first()
        or q.filter(sa.func.lower(dm.Concept.label) == value.lower()).first()
    )


def ldeco_resource_concept(value: Any, context: types.Context) -> Any:
    """A resource's concept (id, URI or label), stored as the id."""
    if value in _MISSING:
        return ""
    concept = _find_concept(value)
    if concept is None:
        raise tk.Invalid(
            tk._(
                '"{0}" is not a concept of the data dictionary. Give a concept id from the '
                "dictionary page, such as family-case."
            ).format(value)
        )
    return concept.name


def parse_column_map(text: str) -> list[tuple[str, str]]:
    """``column = property`` lines (``:`` works too) into pairs; blank lines
    skipped. ``column = a, b`` gives one pair per property: one column may
    serve several properties."""
    pairs: list[tuple[str, str]] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        column, sep, props = line.partition("=") if "=" in line else line.partition(":")
        names = [p.strip() for p in props.split(",")] if sep else [""]
        pairs.extend((column.strip(), name) for name in names)
    return pairs


def ldeco_column_map(
    key: types.FlattenKey, data: types.FlattenDataDict, errors: types.FlattenErrorDict, context: types.Context
) -> Any:
    """A resource's columns mapped to the properties of its concept (the
    resource's own, else the dataset's). Stored as ``column=property`` lines."""
    value = data.get(key)
    if value in _MISSING:
        data[key] = ""
        return
    concept = data.get(key[:-1] + ("conforms_to",)) or data.get(("conforms_to",))
    if concept in _MISSING:
        errors[key].append(
            tk._(
                "Choose the concept the resource (or its dataset) conforms to before "
                "mapping columns to its properties."
            )
        )
        return
    found = _find_concept(concept)
    if found is None:
        return  # the concept's own validator reports it
    concept = found.name
    properties = {p["name"] for p in queries.effective_properties(concept)}
    out: dict[str, list[str]] = {}
    source: dict[str, str] = {}
    for column, prop in parse_column_map(str(value)):
        if not column or not prop:
            errors[key].append(
                tk._('"{0}" is not a mapping: write one "column = property" per line.').format(column or prop)
            )
            continue
        if prop not in properties:
            errors[key].append(
                tk._('"{0}" is not a property of concept "{1}"; its properties are: {2}.').format(
                    prop, concept, ", ".join(sorted(properties))
                )
            )
            continue
        if prop in source:
            if source[prop] != column:
                errors[key].append(
                    tk._('Property "{0}" is mapped from two columns, "{1}" and "{2}"; keep one.').format(
                        prop, source[prop], column
                    )
                )
            continue
        source[prop] = column
        out.setdefault(column, []).append(prop)
    # one line per column, its properties comma-separated, in the order given
    data[key] = "\n".join(f"{column}={', '.join(props)}" for column, props in out.items())


def get_validators() -> dict[str, Any]:
    return {
        "ldeco_resource_concept": ldeco_resource_concept,
        "ldeco_column_map": ldeco_column_map,
        "ldeco_concept": ldeco_concept,
        "ldeco_conforms_to_version": ldeco_conforms_to_version,
        "ldeco_lgsl_function": ldeco_lgsl_function,
        "ldeco_lgsl_service": ldeco_lgsl_service,
        "ldeco_gss_code": ldeco_gss_code,
        "ldeco_gss_codes": ldeco_gss_codes,
    }
