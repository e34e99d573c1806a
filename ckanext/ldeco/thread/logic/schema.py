"""Parameters of the thread API (navl schemas)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import types

from ckanext.ldeco.inputs import default, ldeco_id, ldeco_int_between

__all__ = ["thread_show", "MAX_DEPTH", "MAX_DATASETS"]

MAX_DEPTH = 6  # links followed each way: records → statistic → analysis → decision → impact is four
MAX_DATASETS = 60  # a thread larger than this is cut, and says so


@tk.validator_args
def thread_show(not_empty: types.Validator) -> types.Schema:
    return {
        "id": [not_empty, ldeco_id],
        "depth": [default(3), ldeco_int_between(1, MAX_DEPTH)],
    }
