"""Counts for everyone under disclosure control: every answer is audited from
the outside, as tau-Argus audits a table, by solving for each suppressed
cell's feasible interval from everything the API publishes (all answers
together), with HiGHS through SciPy."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import ckan.plugins.toolkit as tk
import numpy as np
import pytest
from ckan.tests import factories
from scipy.optimize import linprog

from ckanext.ldeco import config
from ckanext.ldeco.dictionary import packs
from ckanext.ldeco.records import protection


@pytest.fixture(autouse=True)
def dictionary(portal):
    return packs.load_shipped()


def _act(action, user=None, **data):
    return tk.get_action(action)({"user": user["name"]} if user else {}, data)


def _table(org, dataset_fields, column_map, rows):
    ds = factories.Dataset(owner_org=org["id"], notes="x", **dataset_fields)
    res = factories.Resource(package_id=ds["id"], url="http://127.0.0.1/t.csv", column_map=column_map)
    tk.get_action("datastore_create")({"ignore_auth": True}, {
        "resource_id": res["id"], "force": True, "records": rows,
        "fields": [{"id": k, "type": "text"} for k in rows[0]]})
    return ds


@pytest.fixture
def cases():
    """Cases of two themes and two agencies: a council's restricted family
    cases and a district's open planning applications; and a private draft."""
    rng = random.Random(7)
    start = dt.date(2024, 1, 1)

    def rows(n, prefix):
        return [{"id": f"{prefix}-{i}", "opened": (start + dt.timedelta(days=rng.randrange(540))).isoformat(),
                 "status": rng.choice(["open", "in-progress", "closed", "closed"])} for i in range(n)]

    council = factories.Organization(title="Salford City Council")
    district = factories.Organization(title="Wyre Borough Council")
    _table(council, {"layer": "operational", "access_level": "restricted", "conforms_to": "family-case"},
           "id = case_id, family_id\nopened = opened\nstatus = status", rows(140, "TF"))
    _table(district, {"layer": "operational", "access_level": "open", "open_confirmed": True,
                      "conforms_to": "planning-application"},
           "id = reference, case_id\nopened = received_date, opened\nstatus = status", rows(60, "PA"))
    _table(council, {"layer": "operational", "access_level": "restricted", "conforms_to": "family-case",
                     "private": True}, "id = case_id, family_id\nopened = opened\nstatus = status", rows(25, "DR"))
    return {"council": council["title"], "district": district["title"]}


def test_anyone_gets_counts_over_restricted_data_with_the_rule_stated(cases):
    answer = _act("ldeco_records_aggregate", concept="case", group_by=["organisation"])
    counts = {c["key"]["organisation"]: c["count"] for c in answer["cells"]}
    # restricted and open sources alike, from both themes; never the private draft
    assert counts == {cases["council"]: 140, cases["district"]: 60} and answer["total"] == 200
    assert answer["sources"] == 2
    rule = answer["rule"]
    assert rule["threshold"] == config.records_sdc_threshold() == 10
    assert "Counts from 1 to 9 are suppressed" in rule["statement"]
    names = {d["name"] for d in answer["dimensions"]}
    assert names == {"organisation", "status", "quarter:opened"}


def test_filters_only_pick_values_of_a_dimension_grouped_by(cases):
    with pytest.raises(tk.ValidationError) as err:
        _act("ldeco_records_aggregate", concept="case", group_by=["organisation"], filters={"status": "open"})
    assert "fixed dimensions" in str(err.value.error_dict["filters"])
    with pytest.raises(tk.ValidationError) as err:
        _act("ldeco_records_aggregate", concept="case", group_by=["case_id"])
    assert "organisation" in str(err.value.error_dict["group_by"])
    picked = _act("ldeco_records_aggregate", concept="case", group_by=["organisation", "status"],
                  filters={"status": ["closed"]})
    assert {c["key"]["status"] for c in picked["cells"]} == {"closed"}


def _answers(concept: str) -> tuple[list[str], dict[tuple[str, ...], list[dict]], int]:
    dims = [d["name"] for d in _act("ldeco_records_aggregate", concept=concept,
                                     group_by=["organisation"])["dimensions"]]
    answers = {}
    for k in (1, 2):
        for group in itertools.combinations(dims, k):
            answers[group] = _act("ldeco_records_aggregate", concept=concept, group_by=list(group))["cells"]
    total = _act("ldeco_records_aggregate", concept=concept, group_by=[dims[0]])["total"]
    return dims, answers, total


def test_no_suppressed_count_can_be_recovered_from_all_the_answers_together(cases):
    """The attacker's audit: unknowns are every combination of the values the
    answers show; each published cell (and each combination an answer leaves
    out, which is zero) is a constraint; each suppressed cell's interval
    must be at least the declared protection wide."""
    dims, answers, total = _answers("case")
    values = {d: sorted({c["key"][d] for c in answers[(d,)]}) for d in dims}
    combos = list(itertools.product(*(values[d] for d in dims)))
    index = {combo: i for i, combo in enumerate(combos)}
    rows, rhs, hidden = [], [], []
    for group, cells in answers.items():
        shown = {tuple(c["key"][d] for d in group): c for c in cells}
        for key in itertools.product(*(values[d] for d in group)):
            members = [index[c] for c in combos
                       if all(c[dims.index(d)] == v for d, v in zip(group, key, strict=True))]
            cell = shown.get(key)
            if cell is None or not cell["suppressed"]:
                rows.append(members)
                rhs.append(cell["count"] if cell else 0)
            else:
                hidden.append((group, key, members))
    rows.append(list(range(len(combos))))
    rhs.append(total)
    a = np.zeros((len(rows), len(combos)))
    for r, members in enumerate(rows):
        a[r, members] = 1
    assert hidden, "the world must make some counts small"
    protection_width = config.records_sdc_protection()
    narrow = []
    for group, key, members in hidden:
        objective = np.zeros(len(combos))
        objective[members] = 1
        low = linprog(objective, A_eq=a, b_eq=rhs, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a, b_eq=rhs, bounds=(0, None), method="highs")
        assert low.status == 0 and high.status == 0
        if -high.fun - low.fun < protection_width - 1e-6:
            narrow.append((group, key, low.fun, -high.fun))
    assert not narrow, f"suppressed cells pinned down by the published ones: {narrow[:5]}"


def test_no_small_count_is_a_difference_of_two_answers(cases):
    """The plain attack: a row of a two-way answer whose total another
    answer publishes. Were exactly one of its cells suppressed, subtracting
    the others from the total would give it."""
    _dims, answers, _total = _answers("case")
    attacked = 0
    for (first, second), cells in ((g, c) for g, c in answers.items() if len(g) == 2):
        for along in (first, second):
            margins = {c["key"][along]: c for c in answers[(along,)]}
            for value, margin in margins.items():
                row = [c for c in cells if c["key"][along] == value]
                hidden = [c for c in row if c["suppressed"]]
                if margin["suppressed"] or not hidden:
                    continue
                attacked += 1
                assert len(hidden) != 1, f"{along}={value}: {hidden[0]['key']} = margin minus the rest"
    assert attacked  # the world has rows with suppressed cells under published totals


def test_the_pattern_is_audited_before_it_is_published():
    rng = random.Random(3)
    cube: dict[tuple, int] = {}
    for _ in range(300):
        key = (rng.choice("ABC"), rng.choice("xyz"), rng.choice(range(8)))
        cube[key] = cube.get(key, 0) + 1
    pattern = protection.protect(cube, 3, threshold=10, protection=10)
    assert pattern.primary <= pattern.suppressed and len(pattern.suppressed) > len(pattern.primary)
    assert protection.audit(pattern, 10) == []
    for cell in pattern.suppressed:
        low, high = protection.feasible_interval(pattern, cell)
        assert high - low >= 10 and low <= pattern.cells[cell] <= high
    # the same data always gives the same pattern: asking again tells nothing new
    assert protection.protect(dict(reversed(list(cube.items()))), 3, 10, 10).suppressed == pattern.suppressed
