"""The demo portal shows "all Cases" across themes."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest

from ckanext.ldeco.demo import loader
from ckanext.ldeco.dictionary import stewards
from tests.demo.helpers import ecosystem


@pytest.mark.usefixtures("portal")
def test_demo_has_cases_of_three_themes_and_a_steward():
    loader.load(ecosystem(["MAN"]))
    found = tk.get_action("package_search")({}, {"fq": "ldeco_concept:case", "rows": 50})
    concepts = {d["conforms_to"] for d in found["results"]}
    assert concepts == {"family-case", "planning-application", "pothole-report"}
    steward = tk.get_action("user_show")({"ignore_auth": True}, {"id": "dana-steward"})
    assert stewards.is_steward(steward["id"])
