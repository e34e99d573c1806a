"""Catalogue actions: how dataset search behaves inside the ecosystem."""
from __future__ import annotations

import logging

import ckan.model as model  # the session is core's; the toolkit has no door to it
import ckan.plugins.toolkit as tk
from ckan import types
from ckan.lib.search import SearchError, SearchIndexError, SolrConnectionError

from ckanext.ldeco.inputs import refuse_bad_shapes

log = logging.getLogger(__name__)


class SearchUnavailable(SearchError):
    """The search index does not answer.

    A SearchError, so that core pages that already survive search errors (the
    home page, the dataset search page) render a message instead of a 500.
    """


@tk.chained_action
@tk.side_effect_free
def package_search(next_: types.Action, context: types.Context, data_dict: types.DataDict):
    refuse_bad_shapes(data_dict, flags=("include_drafts", "include_private", "include_deleted", "facet",
                                        "use_default_schema"))
    try:
        return next_(context, data_dict)
    except SolrConnectionError as err:
        log.error("search index unavailable: %s", err)
        raise SearchUnavailable(tk._("Search is unavailable right now: the search index is not answering. "
                                     "Please try again shortly.")) from err


def _saved_or_clear_error(next_: types.Action, context: types.Context, data_dict: types.DataDict):
    """Run a dataset save; if the index refuses it, nothing was committed, so
    say so in words a publisher understands (and keep the index's address,
    which the raw error carries, out of the answer)."""
    try:
        return next_(context, data_dict)
    except SearchIndexError as err:
        log.error("search index refused a dataset save: %s", err)
        model.Session.rollback()  # keep the session usable for the caller
        raise tk.ValidationError({"search_index": [tk._(
            "The dataset was not saved because the search index is not answering. "
            "Nothing was changed; please try again shortly.")]}) from err


@tk.chained_action
def package_create(next_: types.Action, context: types.Context, data_dict: types.DataDict):
    refuse_bad_shapes(data_dict, flags=("private",))
    return _saved_or_clear_error(next_, context, data_dict)


@tk.chained_action
def package_update(next_: types.Action, context: types.Context, data_dict: types.DataDict):
    # core looks the dataset up by id or name before validating: a list there is a 500
    refuse_bad_shapes(data_dict, flags=("private",), texts=("id", "name"))
    return _saved_or_clear_error(next_, context, data_dict)


def get_actions() -> dict[str, types.Action]:
    return {"package_search": package_search, "package_create": package_create,
            "package_update": package_update}
