"""Who may search records: anyone; each source answers only what the
caller's own decision for it allows (open rows, or the rows of a grant)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import types

__all__ = ["ldeco_records_search", "ldeco_records_aggregate"]


@tk.auth_allow_anonymous_access
def ldeco_records_search(context: types.Context, data_dict: types.DataDict) -> types.AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def ldeco_records_aggregate(context: types.Context, data_dict: types.DataDict) -> types.AuthResult:
    # protected counts are for everyone: the protection is in the answer, not in who asks
    return {"success": True}
