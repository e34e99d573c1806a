"""What the portal exposes, found at run time rather than listed: the
registered actions and the parameter names each one reads. A new action
is found, and its parameters with it, without editing a test."""
from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from typing import Any

import ckan.logic as logic  # the action registry: the toolkit only hands out one action at a time
import ckan.plugins.toolkit as tk

__all__ = ["actions", "action_functions", "known_params", "writes", "passes_through"]

# `:param name:` (core), `In: a, b (optional), c` (ours), ``name`` and `name` in prose
_DOC_PARAM = re.compile(r":param\s+(?:\w+\s+)?(\w+):")
_DOC_IN = re.compile(r"\bIn:\s*([^.]*)")
_DOC_TICK = re.compile(r"`+(\w+)`+")
# data_dict["x"], data_dict.get("x"), get_or_bust(data_dict, "x" or [..]), _get_or_bust(data_dict, ...)
_SRC_KEY = re.compile(r"data_dict(?:\.get|\.pop|\.setdefault)?\s*[\[(]\s*[\"'](\w+)[\"']")
_SRC_BUST = re.compile(r"get_or_bust\(\s*data_dict\s*,\s*([^)]*)\)")
_SRC_SCHEMA = re.compile(r"((?:\w+\.)?\w*schema\w*)\s*\(")
_WORD = re.compile(r"[\"'](\w+)[\"']")
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def actions() -> dict[str, Callable[..., Any]]:
    """Every registered action, by name (the registry fills on first use)."""
    tk.get_action("package_show")
    return dict(logic._actions)


def action_functions(fn: Callable[..., Any]) -> list[Callable[..., Any]]:
    """The functions behind a registered action: CKAN wraps each in a
    closure and chains plugins' versions with functools.partial."""
    out: list[Callable[..., Any]] = []
    todo: list[Any] = [fn]
    while todo:
        f = todo.pop()
        if isinstance(f, functools.partial):
            todo.append(f.func)
            todo.extend(a for a in f.args if callable(a))
            continue
        if not callable(f) or f in out:
            continue
        out.append(f)
        for cell in getattr(f, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if callable(value) and (isinstance(value, functools.partial) or inspect.isfunction(value)):
                todo.append(value)
    return out


def _schema_keys(f: Callable[..., Any], expr: str) -> set[str]:
    owner, _, name = expr.rpartition(".")
    scope: Any = f.__globals__.get(owner) if owner else None
    target = getattr(scope, name, None) if owner else f.__globals__.get(name)
    if not callable(target) or inspect.isclass(target):
        return set()
    closure_words = [c.cell_contents for c in getattr(f, "__closure__", None) or ()
                     if isinstance(getattr(c, "cell_contents", None), str)]
    for args in ([], *([w] for w in closure_words)):
        try:
            schema = target(*args)
        except Exception:  # not a schema function, or it wants arguments we cannot guess
            continue
        if isinstance(schema, dict):
            return {k for k in schema if isinstance(k, str) and not k.startswith("__")}
    return set()


@functools.cache
def _params_of(f: Callable[..., Any]) -> frozenset[str]:
    names: set[str] = set()
    doc = inspect.getdoc(f) or ""
    names.update(_DOC_PARAM.findall(doc))
    for clause in _DOC_IN.findall(doc):
        names.update(w for w in re.findall(r"\b([a-z][a-z0-9_]*)\b", clause) if "_" in w or len(w) > 1)
    names.update(_DOC_TICK.findall(doc))
    try:
        src = inspect.getsource(f)
    except (OSError, TypeError):
        src = ""
    names.update(_SRC_KEY.findall(src))
    for args in _SRC_BUST.findall(src):
        names.update(_WORD.findall(args))
    for expr in set(_SRC_SCHEMA.findall(src)):
        if hasattr(f, "__globals__"):
            names.update(_schema_keys(f, expr))
    return frozenset(n for n in names if _IDENT.match(n) and n not in {"optional", "or", "and", "the"})


def known_params(name: str, fn: Callable[..., Any] | None = None) -> set[str]:
    """The parameter names an action documents, reads or validates."""
    fn = fn or actions()[name]
    names: set[str] = set()
    for f in action_functions(fn):
        names.update(_params_of(f))
    return names


def writes(fn: Callable[..., Any]) -> bool:
    return not getattr(fn, "side_effect_free", False)


def passes_through(fn: Callable[..., Any], folder: str) -> bool:
    """Whether the action, or a plugin's link in its chain, is code under this folder."""
    return any(folder in (getattr(getattr(f, "__code__", None), "co_filename", "") or "")
               for f in action_functions(fn))
