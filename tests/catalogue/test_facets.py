"""The organisation type facet on /dataset, and the Access facet's labels."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.lib import jobs
from ckan.tests import factories

from ckanext.ldeco.catalogue import search


def _facet(field: str, **params) -> dict[str, int]:
    found = tk.get_action("package_search")({}, {"facet.field": [field], "rows": 0, **params})
    return {i["name"]: i["count"] for i in found["search_facets"][field]["items"]}


@pytest.fixture
def orgs(portal):
    county = factories.Organization(name="lancashire", organisation_type="County")
    district = factories.Organization(name="wyre", organisation_type="Non-metropolitan District")
    untyped = factories.Organization(name="a-charity")
    for org, n in ((county, 2), (district, 1), (untyped, 1)):
        for _ in range(n):
            factories.Dataset(owner_org=org["id"], layer="statistical", notes="Counts.",
                              access_level="restricted" if org is district else "open")
    return county, district, untyped


def test_datasets_are_faceted_and_filtered_by_their_organisation_type(orgs):
    assert _facet(search.ORG_TYPE_FIELD) == {"County": 2, "Non-metropolitan District": 1}
    found = tk.get_action("package_search")({}, {"fq": f'{search.ORG_TYPE_FIELD}:"County"'})
    assert found["count"] == 2
    assert {d["organization"]["name"] for d in found["results"]} == {"lancashire"}


def test_a_changed_organisation_type_reaches_the_index_through_a_job(orgs):
    county, _, _ = orgs
    queue = jobs.get_queue()
    queue.empty()
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    tk.get_action("organization_patch")({"user": site_user},
                                        {"id": county["id"], "organisation_type": "Unitary"})
    queued = [j for j in queue.jobs if j.func_name.endswith("reindex_organisation")]
    assert len(queued) == 1 and list(queued[0].args) == [county["id"], "Unitary"]
    queue.empty()
    assert search.reindex_organisation(*queued[0].args) == 2
    assert _facet(search.ORG_TYPE_FIELD) == {"Unitary": 2, "Non-metropolitan District": 1}

    # an update that leaves the type alone queues nothing
    tk.get_action("organization_patch")({"user": site_user}, {"id": county["id"], "title": "Lancashire CC"})
    assert not [j for j in queue.jobs if j.func_name.endswith("reindex_organisation")]


def test_the_dataset_page_shows_both_facets_with_their_labels(orgs, app):
    page = app.get("/dataset/").get_data(as_text=True)
    assert '<nav aria-label="Organisation type">' in page and '<nav aria-label="Access">' in page
    for label in ("County", "Non-metropolitan District", "Open", "Restricted"):
        assert f'<span class="item-label">{label}</span>' in page
    narrowed = app.get("/dataset/", query_string={search.ORG_TYPE_FIELD: "County"}).get_data(as_text=True)
    assert "2 datasets found" in narrowed
