from __future__ import annotations

import datetime as dt

import pytest

import ckan.plugins.toolkit as tk

from ckanext.ldeco.demo import loader
from tests.demo.helpers import ecosystem


def _evaluate(user: str) -> dict:
    context = {"user": user}
    (empowerment,) = tk.get_action("ldeco_empowerment_list")(context, {})
    today = dt.date.today()
    return tk.get_action("ldeco_handshake_evaluate")(
        context,
        {
            "dataset_id": "manchester-city-council-troubled-families-cases",
            "empowerment_id": empowerment["id"],
            "purpose": "crime-reduction",
            "gateway": "cda1998-s115",
            "data_items": ["case_id", "family_id"],
            "start_date": today.isoformat(),
            "end_date": (today + dt.timedelta(days=30)).isoformat(),
            "accept_terms": True,
            "terms_version": "1",
        },
    )


@pytest.mark.usefixtures("portal")
def test_demo_loads_the_rights_journey():
    eco = ecosystem(["MAN"])
    loader.load(eco)
    assert not loader.load(eco).changed
    restricted = tk.get_action("package_search")({}, {"fq": "access_level:restricted", "rows": 100})
    assert "manchester-city-council-troubled-families-cases" in {d["name"] for d in restricted["results"]}
    assert _evaluate("gary-constable")["all_met"]
    # the health officer is empowered but holds no data protection training
    helen = [e["key"] for e in _evaluate("helen-nurse")["elements"] if not e["met"]]
    assert "accreditations" in helen
