from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest


@pytest.mark.usefixtures("with_plugins")
def test_status_show_lists_the_plugins():
    status = tk.get_action("status_show")({}, {})
    for plugin in ("ldeco", "scheming_datasets", "scheming_organizations", "dcat", "datastore", "activity"):
        assert plugin in status["extensions"]


@pytest.mark.usefixtures("with_plugins")
def test_config_options_are_declared():
    # strict config mode refuses undeclared keys; ours must be known with defaults
    assert tk.config["ckanext.ldeco.demo_mode"] is True  # set in test.ini
    assert tk.config.get("ckanext.ldeco.demo.password")


@pytest.mark.usefixtures("with_plugins")
def test_dataset_schema_comes_from_the_project():
    schema = tk.get_action("scheming_dataset_schema_show")({}, {"type": "dataset"})
    names = [f["field_name"] for f in schema["dataset_fields"]]
    assert "layer" in names
    layers = [c["value"] for c in next(f for f in schema["dataset_fields"] if f["field_name"] == "layer")["choices"]]
    assert layers == ["operational", "statistical", "analytical", "political", "reference"]
