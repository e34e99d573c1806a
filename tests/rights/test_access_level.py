from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories


@pytest.mark.usefixtures("portal")
def test_access_level_defaults_open_is_indexed_filtered_and_faceted():
    org = factories.Organization()
    open_ = factories.Dataset(owner_org=org["id"], layer="statistical", notes="x")
    closed = factories.Dataset(owner_org=org["id"], layer="operational", notes="x", access_level="restricted")
    mixed = factories.Dataset(
        owner_org=org["id"],
        layer="operational",
        notes="x",
        access_level="open",
        open_confirmed=True,
        resources=[
            {"name": "aggregate", "url": "http://127.0.0.1/a.csv"},
            {"name": "records", "url": "http://127.0.0.1/r.csv", "access_level": "restricted"},
        ],
    )
    assert tk.get_action("package_show")({}, {"id": open_["id"]})["access_level"] == "open"
    shown = tk.get_action("package_show")({}, {"id": mixed["id"]})
    assert [r.get("access_level") for r in shown["resources"]] in ([None, "restricted"], ["", "restricted"])

    found = tk.get_action("package_search")({}, {"fq": "access_level:restricted"})
    assert [d["id"] for d in found["results"]] == [closed["id"]]
    found = tk.get_action("package_search")({}, {"fq": "ldeco_has_restricted:true", "sort": "name asc"})
    assert {d["id"] for d in found["results"]} == {closed["id"], mixed["id"]}
    facets = tk.get_action("package_search")({}, {"facet.field": ["access_level"], "rows": 0})
    assert {i["name"]: i["count"] for i in facets["search_facets"]["access_level"]["items"]} == {
        "open": 2,
        "restricted": 1,
    }


@pytest.mark.usefixtures("portal")
def test_operational_data_is_restricted_unless_its_publisher_confirms_it_open():
    org = factories.Organization()
    # left blank: operational data restricted, other layers open
    assert factories.Dataset(owner_org=org["id"], layer="operational", notes="x")["access_level"] == "restricted"
    assert factories.Dataset(owner_org=org["id"], layer="analytical", notes="x")["access_level"] == "open"
    with pytest.raises(tk.ValidationError) as err:
        factories.Dataset(owner_org=org["id"], layer="operational", notes="x", access_level="open")
    assert "restricted unless you confirm" in err.value.error_dict["access_level"][0]
    opened = factories.Dataset(owner_org=org["id"], layer="operational", notes="x", access_level="open",
                               open_confirmed="true")
    assert (opened["access_level"], opened["open_confirmed"]) == ("open", True)
    # and no layer is assumed: the publisher chooses
    with pytest.raises(tk.ValidationError) as err:
        factories.Dataset(owner_org=org["id"], notes="x")
    assert "layer" in err.value.error_dict


@pytest.mark.usefixtures("portal")
def test_access_level_refuses_unknown_values():
    org = factories.Organization()
    with pytest.raises(tk.ValidationError) as err:
        factories.Dataset(owner_org=org["id"], layer="statistical", notes="x", access_level="secret")
    assert "access_level" in err.value.error_dict


def test_search_page_offers_the_access_facet(portal):
    org = factories.Organization()
    factories.Dataset(owner_org=org["id"], layer="operational", notes="x", access_level="restricted")
    body = portal.get("/dataset/").get_data(as_text=True)
    assert "Access" in body and "access_level=restricted" in body
