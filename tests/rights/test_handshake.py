"""The handshake, element by element, as a pure evaluation."""

from __future__ import annotations

import datetime as dt

import pytest

from ckanext.ldeco.rights import handshake

TODAY = dt.date(2026, 3, 1)
SCHEDULE = {
    "name": "s",
    "roles": ["key-worker"],
    "purposes": ["family-support"],
    "gateways": ["ca2004-s10"],
    "data_items": ["case_id", "family_id"],
    "accreditations": ["dp-training"],
    "terms_version": "3",
    "max_grant_days": 90,
}
GATEWAY = {
    "name": "ca2004-s10",
    "title": "Children Act 2004, section 10",
    "disclosers": ["council"],
    "recipients": ["police", "council"],
}


def facts(**overrides) -> handshake.Facts:
    base = dict(
        today=TODAY,
        start_date=TODAY,
        end_date=TODAY + dt.timedelta(days=365),
        purpose="family-support",
        gateway=GATEWAY,
        empowerment={"role": "key-worker", "state": "active", "start_date": "2026-01-01", "end_date": None},
        requester_kind="police",
        publisher_kind="council",
        schedule=SCHEDULE,
        accreditations_held=[{"accreditation": "dp-training", "expires": "2026-12-31"}],
        data_items=["case_id"],
        terms_accepted=True,
        terms_version="3",
    )
    base.update(overrides)
    return handshake.Facts(**base)


def elements(f: handshake.Facts) -> dict[str, dict]:
    return {e["key"]: e for e in handshake.evaluate(f)["elements"]}


def test_every_element_met():
    result = handshake.evaluate(facts())
    assert [e["key"] for e in result["elements"]] == list(handshake.ELEMENTS)
    assert result["all_met"]
    assert all(e["reason"] for e in result["elements"])


@pytest.mark.parametrize(
    "override, key, reason",
    [
        ({"empowerment": None}, "empowerment", "no empowerment"),
        (
            {"empowerment": {"role": "key-worker", "state": "withdrawn", "start_date": "2026-01-01"}},
            "empowerment",
            "withdrawn",
        ),
        (
            {
                "empowerment": {
                    "role": "key-worker",
                    "state": "active",
                    "start_date": "2026-01-01",
                    "end_date": "2026-02-01",
                }
            },
            "empowerment",
            "ended on 2026-02-01",
        ),
        (
            {"empowerment": {"role": "key-worker", "state": "active", "start_date": "2026-04-01"}},
            "empowerment",
            "starts on 2026-04-01",
        ),
        (
            {"empowerment": {"role": "analyst", "state": "active", "start_date": "2026-01-01"}},
            "role",
            "role analyst is not among",
        ),
        ({"purpose": "research"}, "role", "purpose research is not among"),
        ({"gateway": {**GATEWAY, "name": "dea2017-s35"}}, "role", "gateway dea2017-s35 is not among"),
        ({"schedule": None}, "role", "no data protection schedule"),
        ({"publisher_kind": "health"}, "gateway", "does not let a health body disclose"),
        ({"requester_kind": "voluntary"}, "gateway", "does not let a voluntary body receive"),
        ({"accreditations_held": []}, "accreditations", "Not held: dp-training"),
        (
            {"accreditations_held": [{"accreditation": "dp-training", "expires": "2026-02-28"}]},
            "accreditations",
            "Expired: dp-training",
        ),
        ({"data_items": ["case_id", "ethnicity"]}, "data_items", "Not in the schedule: ethnicity"),
        ({"data_items": []}, "data_items", "No data items"),
        ({"terms_accepted": False}, "terms", "accept the terms (version 3)"),
        ({"terms_version": "2"}, "terms", "You accepted version 2"),
    ],
)
def test_each_element_fails_alone_with_its_reason(override, key, reason):
    result = handshake.evaluate(facts(**override))
    failing = [e for e in result["elements"] if not e["met"]]
    # an element fails alone, except where others depend on it (no
    # empowerment means no role; no schedule means no items or terms)
    cascades = {
        "no empowerment": ["empowerment", "role"],
        "no data protection schedule": ["role", "data_items", "terms"],
    }
    assert [e["key"] for e in failing] == cascades.get(reason, [key])
    assert reason in next(e for e in failing if e["key"] == key)["reason"]
    assert not result["all_met"]


def test_unexpired_accreditation_without_expiry_is_met():
    got = elements(facts(accreditations_held=[{"accreditation": "dp-training", "expires": None}]))
    assert got["accreditations"]["met"]


def test_grant_expiry_is_the_earliest_limit():
    # requested a year; schedule allows 90 days
    assert handshake.grant_expiry(facts()) == TODAY + dt.timedelta(days=90)
    # the requested end is earlier
    assert handshake.grant_expiry(facts(end_date=TODAY + dt.timedelta(days=10))) == TODAY + dt.timedelta(
        days=10
    )
    # the accreditation expires first
    held = [{"accreditation": "dp-training", "expires": "2026-03-15"}]
    assert handshake.grant_expiry(facts(accreditations_held=held)) == dt.date(2026, 3, 15)
    # the empowerment ends first
    emp = {"role": "key-worker", "state": "active", "start_date": "2026-01-01", "end_date": "2026-03-05"}
    assert handshake.grant_expiry(facts(empowerment=emp)) == dt.date(2026, 3, 5)
