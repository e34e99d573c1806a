"""Typed inputs of every ldeco_* action.

Each action declares its parameters once, as a navl schema function (CKAN's
``@validator_args`` style, in its capability's ``logic/schema.py``), and is
wrapped with :func:`action`, which checks the types of the caller's data,
then the caller's access, then the whole schema (look-ups of ids and names
included), and only then runs the action. Auth functions and the database only
ever see typed values; bad input is a ``ValidationError`` (409) naming the
parameter, never a 500; a caller who may not call the action gets a 403
before anything is looked up for them.

The schema and the action's docstring are the single description of its
parameters (an API description can be generated from them). The plugin hands
its actions through :func:`require_schemas`, so an ``ldeco_*`` action without
a schema stops the portal from loading instead of going out unchecked.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import types

__all__ = [
    "MAX_ID",
    "MAX_TITLE",
    "MAX_TEXT",
    "MAX_PACK",
    "MAX_ITEMS",
    "UndeclaredParameters",
    "action",
    "default",
    "looks_up",
    "is_presence",
    "type_check",
    "shape_schema",
    "validate",
    "require_schemas",
    "get_validators",
    "ldeco_id",
    "ldeco_title",
    "ldeco_text",
    "ldeco_pack_text",
    "ldeco_boolean",
    "ldeco_int_between",
    "ldeco_names",
    "refuse_bad_shapes",
]

# Sane maxima, far above any honest value, so that a huge string is refused
# before it reaches a query, an index or a stored row.
MAX_ID = 100  # ids are UUIDs (36 characters) or names (CKAN allows 100)
MAX_TITLE = 1_000  # titles, labels, short search text, versions
MAX_TEXT = 100_000  # descriptions, terms, reasons, justifications
MAX_PACK = 1_000_000  # a theme pack's YAML (the shipped ones are a few kB)
MAX_ITEMS = 1_000  # entries of a list parameter

SchemaFunction = Callable[[], types.Schema]


class UndeclaredParameters(RuntimeError):
    """An ldeco_* action registered without a schema of its parameters."""


# ------------------------------------------------------------- validators


def type_check(validator: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a validator that checks only a value's type and size (no
    database, no meaning): these run before the auth function."""
    validator.ldeco_type = True  # type: ignore[attr-defined]
    return validator


def _text(value: Any, max_length: int, numbers: bool) -> str:
    if isinstance(value, (list, tuple)):
        raise tk.Invalid(tk._("Give one value, not a list"))
    if isinstance(value, dict):
        raise tk.Invalid(tk._("Give a text value, not an object"))
    if numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise tk.Invalid(tk._("Must be text"))
    if "\x00" in value:
        # PostgreSQL cannot store or compare text holding NUL
        raise tk.Invalid(tk._("Must not contain NUL characters"))
    if len(value) > max_length:
        raise tk.Invalid(tk._("Must be at most {max} characters long").format(max=max_length))
    return value


def _text_validator(name: str, max_length: int, numbers: bool, doc: str) -> Callable[[Any, Any], Any]:
    """A type-checking validator of one text value, at most max_length long
    (numbers taken as their text when `numbers`); missing values pass."""
    def validator(value: Any, context: Any) -> Any:
        if value is tk.missing or value is None:
            return value
        return _text(value, max_length, numbers)

    validator.__name__ = validator.__qualname__ = name
    validator.__doc__ = doc
    return type_check(validator)


ldeco_id = _text_validator("ldeco_id", MAX_ID, False,
                           "One id or name: text (numbers are refused), at most MAX_ID characters.")
ldeco_title = _text_validator("ldeco_title", MAX_TITLE, True,
                              "Short text (a title, a label, a search, a version): at most MAX_TITLE characters.")
ldeco_text = _text_validator("ldeco_text", MAX_TEXT, True,
                             "Free text (a description, terms, a reason): at most MAX_TEXT characters.")
ldeco_pack_text = _text_validator("ldeco_pack_text", MAX_PACK, False,
                                  "A pack's YAML text: at most MAX_PACK characters.")


_TRUE = {"true", "t", "yes", "y", "on", "1"}
_FALSE = {"false", "f", "no", "n", "off", "0", ""}


@type_check
def ldeco_boolean(value: Any, context: Any) -> Any:
    """true or false (JSON booleans, 0/1, or true/false, yes/no, on/off as text)."""
    if value is tk.missing or value is None:
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise tk.Invalid(tk._("Must be true or false"))


def ldeco_int_between(low: int, high: int) -> Callable[[Any, Any], Any]:
    """A whole number from low to high (a number, or digits as text)."""

    def whole_number(value: Any, context: Any) -> Any:
        if value is tk.missing or value is None or value == "":
            return value
        if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
            raise tk.Invalid(tk._("Must be a whole number"))
        if isinstance(value, str) and len(value) > 20:
            raise tk.Invalid(tk._("Must be a whole number"))
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise tk.Invalid(tk._("Must be a whole number")) from None
        if not low <= number <= high:
            raise tk.Invalid(tk._("Must be from {low} to {high}").format(low=low, high=high))
        return number

    whole_number.ldeco_range = (low, high)  # type: ignore[attr-defined]  # read by API descriptions
    return type_check(whole_number)


@type_check
def ldeco_names(value: Any, context: Any) -> list[str]:
    """A list of names, from a list or a comma/newline separated text; empty means none.
    At most MAX_ITEMS entries of at most MAX_TITLE characters; duplicates dropped."""
    if value is tk.missing or value is None or value == "":
        return []
    if isinstance(value, str):
        value = value.replace("\n", ",").split(",")
    if not isinstance(value, (list, tuple)):
        raise tk.Invalid(tk._("Must be a list of names"))
    if len(value) > MAX_ITEMS:
        raise tk.Invalid(tk._("Give at most {n} names").format(n=MAX_ITEMS))
    out: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise tk.Invalid(tk._("Must be a list of names"))
        item = _text(item, MAX_TITLE, numbers=False).strip()
        if item and item not in out:
            out.append(item)
    return out


def get_validators() -> dict[str, Callable[..., Any]]:
    return {
        "ldeco_id": ldeco_id,
        "ldeco_title": ldeco_title,
        "ldeco_text": ldeco_text,
        "ldeco_pack_text": ldeco_pack_text,
        "ldeco_boolean": ldeco_boolean,
        "ldeco_int_between": ldeco_int_between,
        "ldeco_names": ldeco_names,
    }


# ------------------------------------------------------ validate or raise


def _refuse_unnestable(data_dict: Mapping[str, Any], schema: types.Schema) -> None:
    """navl flattens lists of objects by position and fails (a 400 naming
    nothing) on a list mixing objects with other values, or on anything but
    a list of objects where the schema nests one: refuse those here, naming
    the parameter."""
    for key, value in data_dict.items():
        nested = schema.get(key)
        listed = isinstance(value, list) and value and isinstance(value[0], dict)
        if isinstance(nested, dict) or listed:
            if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
                raise tk.ValidationError({key: [tk._("Give a list of {key}, each an object").format(key=key)]})
            for item in value:
                _refuse_unnestable(item, nested if isinstance(nested, dict) else {})


def validate(data_dict: types.DataDict, schema: types.Schema, context: types.Context) -> dict[str, Any]:
    """The caller's data, validated and converted by the schema, or a
    ValidationError naming each bad parameter. Parameters the schema does not
    declare (a form's CSRF token, a client's extras) are dropped, never passed on."""
    if not isinstance(data_dict, Mapping):
        raise tk.ValidationError({"__root__": [tk._("Give the parameters as an object")]})
    _refuse_unnestable(data_dict, schema)
    data, errors = tk.navl_validate(dict(data_dict), schema, context)
    if errors:
        raise tk.ValidationError(errors)
    data.pop("__extras", None)
    data.pop("__junk", None)
    return data


def default(value: Any) -> types.Validator:
    """core's ``default``, marked: the type check before auth leaves it out,
    an update that keeps what is not given can too, and an API description
    can show the value."""
    validator = tk.get_validator("default")(value)
    validator.ldeco_default = value  # type: ignore[attr-defined]
    return validator


def looks_up(shape: Callable[[Any, Any], Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a validator that reads the database: before auth, only its
    ``shape`` (a pure type check) runs."""

    def mark(validator: Callable[..., Any]) -> Callable[..., Any]:
        validator.ldeco_shape = shape  # type: ignore[attr-defined]
        return validator

    return mark


def is_presence(validator: Any) -> bool:
    """Whether a validator says only whether a value must be there (or its default)."""
    return validator in (tk.get_validator("not_empty"), tk.get_validator("ignore_missing")) or hasattr(
        validator, "ldeco_default"
    )


def shape_schema(schema: types.Schema) -> types.Schema:
    """The schema's type checks alone (validators marked as such, and the
    shape of each look-up): every field optional, empty values left for the
    whole schema. It runs before the auth function, so a caller who may not
    call the action learns nothing from the database, and wrong types are
    named whoever calls."""
    ignore_empty = tk.get_validator("ignore_empty")
    out: dict[str, Any] = {}
    for key, validators in schema.items():
        if isinstance(validators, dict):
            out[key] = shape_schema(validators)
            continue
        kept = [getattr(f, "ldeco_shape", f) for f in validators]
        out[key] = [ignore_empty, *(f for f in kept if getattr(f, "ldeco_type", False))]
    return out


def action(
    schema: SchemaFunction, auth: str | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare an action's parameters and run it in the one safe order:

    1. the schema's type checks (:func:`shape_schema`): 409 naming the parameter;
    2. ``tk.check_access`` with the auth function of the action's name (or
       ``auth``), which sees typed values only: 403;
    3. the whole schema, look-ups included: 409 naming every bad parameter
       (or 404 from the action);
    4. the action, with the validated data (parameters not declared are dropped).
    """

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def validated(context: types.Context, data_dict: types.DataDict) -> Any:
            full = schema()
            typed = validate(data_dict, shape_schema(full), context)
            # the name is read now: register actions are named after they are made
            tk.check_access(auth or validated.__name__, context, typed)
            return fn(context, validate(data_dict, full, context))

        validated.ldeco_schema = schema  # type: ignore[attr-defined]
        validated.ldeco_auth = auth  # type: ignore[attr-defined]
        return validated

    return decorate


def require_schemas(actions: dict[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """The actions, once every ldeco_* one among them declares its schema."""
    missing = sorted(
        name for name, fn in actions.items() if name.startswith("ldeco_") and not callable(
            getattr(fn, "ldeco_schema", None))
    )
    if missing:
        raise UndeclaredParameters(
            "ldeco actions without a schema of their parameters (wrap them with inputs.action): "
            + ", ".join(missing)
        )
    return actions


# ------------------------------------------------- core actions we chain
# Core reads some parameters of the actions ldeco chains without checking
# their type (a list where it reads a flag: a server error). The chains
# refuse those shapes first, so nothing passing through ldeco answers 500.

_FLAG_WORDS = {"true", "false", "yes", "no", "on", "off", "t", "f", "y", "n", "1", "0", ""}


def refuse_bad_shapes(data_dict: Mapping[str, Any], *, flags: tuple[str, ...] = (),
                      texts: tuple[str, ...] = ()) -> None:
    """A ValidationError naming each flag that is not true/false and each
    text that is not a text."""
    wrong: dict[str, list[str]] = {}
    for key in flags:
        value = data_dict.get(key)
        if value is None or isinstance(value, bool):
            continue
        if not isinstance(value, str) or value.strip().lower() not in _FLAG_WORDS:
            wrong[key] = [tk._("Must be true or false")]
    for key in texts:
        value = data_dict.get(key)
        if value is not None and not isinstance(value, str):
            wrong[key] = [tk._("Must be a text")]
    if wrong:
        raise tk.ValidationError(wrong)
