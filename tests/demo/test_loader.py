from __future__ import annotations

import pytest

import ckan.plugins.toolkit as tk

from ckanext.ldeco.demo import loader


@pytest.mark.usefixtures("portal")
def test_small_demo_loads_and_a_second_run_changes_nothing():
    data = loader.read_demo("small")
    first = loader.load(data, progress=lambda _: None)
    assert first.changed
    assert len([c for c in first.created if c.startswith("dataset ")]) == len(data["datasets"])

    again = loader.load(data, progress=lambda _: None)
    assert not again.changed

    # every layer has a dataset, and every dataset is found through the index
    found = tk.get_action("package_search")({}, {"facet.field": ["layer"], "rows": 0})
    layers = {i["name"] for i in found["search_facets"]["layer"]["items"]}
    assert layers == {"operational", "statistical", "analytical", "political", "reference"}
    assert found["count"] == len(data["datasets"])
    officer = tk.get_action("user_show")({"ignore_auth": True}, {"id": "olu-officer"})
    assert officer["fullname"] == "Olu Officer"
    assert tk.get_action("user_show")({"ignore_auth": True}, {"id": "ldeco-admin"})["sysadmin"]


@pytest.mark.usefixtures("portal")
def test_bad_demo_input_names_the_place_and_keeps_what_was_stored():
    loader.load({"organisations": [{"name": "bolton-council", "title": "Bolton Council"}]},
                progress=lambda _: None)
    bad = {"datasets": [{"name": "no-layer", "title": "No layer", "owner_org": "bolton-council",
                         "notes": "x", "layer": "gossip"}]}
    with pytest.raises(loader.DemoError, match=r"datasets\[1\] \(no-layer\): Layer: Value must be one of"):
        loader.load(bad, progress=lambda _: None)
    assert tk.get_action("organization_show")({"ignore_auth": True}, {"id": "bolton-council"})
    with pytest.raises(tk.ObjectNotFound):
        tk.get_action("package_show")({"ignore_auth": True}, {"id": "no-layer"})


@pytest.mark.usefixtures("portal")
def test_missing_name_is_reported():
    with pytest.raises(loader.DemoError, match=r"organisations\[1\]: missing 'name'"):
        loader.load({"organisations": [{"title": "Nameless"}]}, progress=lambda _: None)


@pytest.mark.usefixtures("portal")
@pytest.mark.ckan_config("ckanext.ldeco.demo_mode", False)
def test_demo_users_need_demo_mode():
    with pytest.raises(loader.DemoError, match="demo mode"):
        loader.load({"users": [{"name": "someone", "email": "s@example.org"}]}, progress=lambda _: None)
