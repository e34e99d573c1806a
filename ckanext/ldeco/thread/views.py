"""The thread's page: what each kind of link means (role IRIs resolve here)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.ldeco.thread.helpers import ldeco_thread_roles

__all__ = ["get_blueprints"]

thread = Blueprint("ldeco_thread", __name__)


def roles() -> str:
    return tk.render("ldeco/thread/roles.html", extra_vars={"roles": ldeco_thread_roles()})


thread.add_url_rule("/thread", view_func=roles)


def get_blueprints() -> list[Blueprint]:
    return [thread]
