"""Validators of the dataset schema's ``thread`` field (a repeating role + dataset)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import types

from ckanext.ldeco.thread.links import FIELD
from ckanext.ldeco.thread.roles import ROLES, refusal

__all__ = ["ldeco_thread_role", "ldeco_thread_target"]

_missing = tk.missing


def _blank(value: Any) -> bool:
    return value is _missing or value is None or (isinstance(value, str) and not value.strip())


def ldeco_thread_role(value: Any, context: types.Context) -> Any:
    """One of the kinds of link, or empty (a blank row of the form)."""
    if _blank(value):
        return ""
    if not isinstance(value, str) or value not in ROLES:
        raise tk.Invalid(tk._("Unknown kind of link {value!r}; choose one of: {choices}").format(
            value=str(value)[:100], choices=", ".join(r.label for r in ROLES.values())))
    return value


def _visible(name: str, context: types.Context) -> dict[str, Any] | None:
    """The dataset as the person saving the link may see it (a private dataset
    of another organisation is not there for them)."""
    asking = {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj"), "use_cache": False}
    try:
        return tk.get_action("package_show")(asking, {"id": name})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None


def ldeco_thread_target(key: tuple[Any, ...], data: dict[tuple[Any, ...], Any],
                        errors: dict[tuple[Any, ...], list[str]], context: types.Context) -> None:
    """The dataset a link names: one the saver can see, not this dataset, not
    named twice for the same role, and in a layer the role joins."""
    value = data.get(key)
    role_name = data.get((FIELD, key[1], "role"))
    if _blank(value):
        if not _blank(role_name):
            errors[key].append(tk._("Name the dataset this link points to"))
        data[key] = ""
        return
    if _blank(role_name):
        errors[key].append(tk._("Choose the kind of link to {name}").format(name=str(value)[:100]))
        return
    role = ROLES.get(str(role_name))
    if role is None:
        return  # the role's own validator has said why
    name = str(value).strip()
    target = _visible(name, context)
    if target is None:
        errors[key].append(tk._("There is no dataset named {name!r} that you can see").format(name=name[:100]))
        return
    if target["id"] == data.get(("id",)) or target["name"] == data.get(("name",)):
        errors[key].append(tk._("A dataset cannot be linked to itself"))
        return
    rule = refusal(role, str(data.get(("layer",)) or ""), str(target.get("layer") or ""))
    if rule:
        errors[key].append(rule)
        return
    for other_key, other in data.items():
        if (len(other_key) == 3 and other_key[0] == FIELD and other_key[2] == "dataset"
                and other_key[1] < key[1] and other == target["name"]
                and data.get((FIELD, other_key[1], "role")) == role_name):
            errors[key].append(tk._('{name} is already linked as "{role}"').format(
                name=target["name"], role=role.label))
            return
    data[key] = target["name"]
