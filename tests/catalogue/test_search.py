"""The catalogue on the real search index: datasets are found through Solr,
and an index that does not answer gives a clear message, never a 500."""
from __future__ import annotations

import contextlib

import ckan.plugins.toolkit as tk
import pytest
from ckan.lib.search.common import SolrSettings
from ckan.tests import factories

from ckanext.ldeco.catalogue.logic.action import SearchUnavailable

# Nothing listens on port 9 of loopback (discard): Solr "down" without a mock.
UNREACHABLE_SOLR = "http://127.0.0.1:9/solr/ckan_test"


@contextlib.contextmanager
def solr_unreachable():
    url, user, password = SolrSettings.get()
    SolrSettings.init(UNREACHABLE_SOLR, user, password)
    try:
        yield
    finally:
        SolrSettings.init(url, user, password)


@pytest.fixture
def solr_down():
    with solr_unreachable():
        yield


def _dataset(org, **kw):
    return factories.Dataset(owner_org=org["id"], layer="statistical", notes="Counted quarterly.", **kw)


@pytest.mark.usefixtures("portal")
def test_created_dataset_is_found_by_package_search():
    org = factories.Organization()
    ds = _dataset(org, title="School absence by ward")
    result = tk.get_action("package_search")({}, {"q": "absence"})
    assert [r["name"] for r in result["results"]] == [ds["name"]]
    # and the field of our schema reaches the index
    result = tk.get_action("package_search")({}, {"fq": "layer:statistical"})
    assert result["count"] == 1


@pytest.mark.usefixtures("portal")
def test_layer_is_required_and_checked():
    org = factories.Organization()
    with pytest.raises(tk.ValidationError) as err:
        factories.Dataset(owner_org=org["id"], notes="x", layer="gossip")
    assert "layer" in err.value.error_dict


@pytest.mark.usefixtures("portal", "solr_down")
def test_search_with_solr_down_raises_a_clear_error():
    with pytest.raises(SearchUnavailable, match="Search is unavailable"):
        tk.get_action("package_search")({}, {"q": "anything"})


def test_search_pages_with_solr_down_say_search_is_unavailable(portal, solr_down):
    page = portal.get("/dataset/")
    assert page.status_code == 200
    assert "Search is unavailable right now" in page.get_data(as_text=True)
    assert portal.get("/").status_code == 200


def test_api_search_with_solr_down_is_a_clear_error(portal, solr_down):
    res = portal.get("/api/3/action/package_search?q=x", status=409)
    assert "Search is unavailable" in res.json["error"]["message"]


@pytest.mark.usefixtures("portal")
def test_dataset_saved_while_solr_is_down_is_not_half_written():
    """With the index down a save fails as a whole: nothing is left in the
    database that the index does not know about."""
    org = factories.Organization()
    with solr_unreachable(), pytest.raises(tk.ValidationError) as err:
        _dataset(org, name="saved-while-down")
    message = err.value.error_dict["search_index"][0]
    assert "not saved" in message and "search index" in message
    assert "127.0.0.1" not in str(err.value)  # the index's address stays private
    # package_show reads the database, not the index
    with pytest.raises(tk.ObjectNotFound):
        tk.get_action("package_show")({"ignore_auth": True}, {"id": "saved-while-down"})
