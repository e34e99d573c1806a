from __future__ import annotations

import datetime as dt

import pytest

import ckan.plugins.toolkit as tk

from ckanext.ldeco.demo import loader


def _evaluate(user: str) -> dict:
    context = {"user": user}
    (empowerment,) = tk.get_action("ldeco_empowerment_list")(context, {})
    today = dt.date.today()
    return tk.get_action("ldeco_handshake_evaluate")(
        context,
        {
            "dataset_id": "troubled-families-family-cases-manchester",
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
    loader.load(loader.read_demo("small"), progress=lambda _: None)
    assert not loader.load(loader.read_demo("small"), progress=lambda _: None).changed
    restricted = tk.get_action("package_search")({}, {"fq": "access_level:restricted"})
    assert restricted["count"] == 2
    assert _evaluate("olu-officer")["all_met"]
    una = [e for e in _evaluate("una-officer")["elements"] if not e["met"]]
    assert [e["key"] for e in una] == ["accreditations"]
