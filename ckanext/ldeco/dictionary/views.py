"""Pages and exports of the data dictionary."""
from __future__ import annotations

from flask import Blueprint

__all__ = ["get_blueprints"]

dictionary = Blueprint("ldeco_dictionary", __name__)


def get_blueprints() -> list[Blueprint]:
    return [dictionary]
