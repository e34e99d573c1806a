"""Signals the dictionary sends, for other capabilities to act on without
the dictionary knowing them (CKAN's blinker namespace for extensions)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["table_written"]

# A DataStore table was created or written to: sent with the resource id,
# after the write, by the chained datastore_create and datastore_upsert.
table_written = tk.signals.ckanext.signal("ldeco_table_written")
