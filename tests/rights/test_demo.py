from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import pytest

from ckanext.ldeco.demo import loader

from ..demo.helpers import ecosystem

CASES = "manchester-city-council-troubled-families-cases"


def _evaluate(user: str, purpose: str, gateway: str) -> dict:
    context = {"user": user}
    (empowerment,) = tk.get_action("ldeco_empowerment_list")(context, {})
    today = dt.date.today()
    return tk.get_action("ldeco_handshake_evaluate")(
        context,
        {
            "dataset_id": CASES,
            "empowerment_id": empowerment["id"],
            "purpose": purpose,
            "gateway": gateway,
            "data_items": ["case_id", "family_id"],
            "start_date": today.isoformat(),
            "end_date": (today + dt.timedelta(days=30)).isoformat(),
            "accept_terms": True,
            "terms_version": "1",
        },
    )


@pytest.mark.usefixtures("portal")
def test_demo_loads_the_rights_journey():
    # the demo's rights content (demo/data/rights.yaml): Gary is empowered and
    # accredited; Helen is empowered but holds no accreditation
    eco = ecosystem(["MAN"])
    loader.load(eco)
    assert not loader.load(eco).changed
    restricted = tk.get_action("package_search")({}, {"fq": "access_level:restricted", "rows": 1000})
    names = {d["name"] for d in restricted["results"]}
    assert {CASES, "greater-manchester-police-asb-incidents-manchester-city-council"} <= names
    assert _evaluate("gary-constable", "crime-reduction", "cda1998-s115")["all_met"]
    helen = [
        e["key"] for e in _evaluate("helen-nurse", "safeguarding", "ca2004-s11")["elements"] if not e["met"]
    ]
    assert "accreditations" in helen
