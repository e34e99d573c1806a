"""ODRL policies in JSON-LD: a dataset's Offer from its schedule, a grant's
Agreement with its DPV purpose and legal basis. Parsed as RDF without
fetching anything, so the context written out in the policy must be enough."""

from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
import pytest
import rdflib
from ckan.tests import factories
from rdflib import RDF, Namespace, URIRef

from .conftest import call, request_data

ODRL = Namespace("http://www.w3.org/ns/odrl/2/")
DPV = Namespace("https://w3id.org/dpv#")
LDECO = Namespace("urn:ldeco:rights:")


def _graph(policy: dict) -> rdflib.Graph:
    return rdflib.Graph().parse(data=json.dumps(policy), format="json-ld")


def _grant(world) -> dict:
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    return call("ldeco_access_request_decide", world.editor, id=made["id"], decision="approved", reason="ok")[
        "grant"
    ]


def _constraints(g: rdflib.Graph, left: URIRef) -> list[rdflib.term.Node]:
    return [c for c in g.subjects(ODRL.leftOperand, left)]


def test_offer_states_the_schedule_as_odrl(world):
    offer = call("ldeco_odrl_offer_show", None, id=world.dataset["name"])
    g = _graph(offer)
    policy = URIRef(offer["uid"])
    assert (policy, RDF.type, ODRL.Offer) in g
    permission = g.value(policy, ODRL.permission)
    assert g.value(permission, ODRL.action) == ODRL.use
    assert str(g.value(permission, ODRL.target)).endswith(world.dataset["id"])
    assert str(g.value(permission, ODRL.assigner)).endswith("/organization/manchester-city-council")

    purposes = _constraints(g, ODRL.purpose)
    assert len(purposes) == 1 and g.value(purposes[0], ODRL.operator) == ODRL.isAnyOf
    allowed = set(g.objects(purposes[0], ODRL.rightOperand))
    assert DPV.PublicBenefit in allowed or any(str(p).startswith(str(DPV)) for p in allowed)
    assert len(allowed) == 2

    bases = set(g.objects(permission, DPV.hasLegalBasis))
    assert URIRef("http://www.legislation.gov.uk/id/ukpga/1998/37/section/115") in bases
    assert len(bases) == 2

    items = {str(v) for v in g.objects(_constraints(g, LDECO.dataItem)[0], ODRL.rightOperand)}
    assert items == {"case_id", "family_id", "headline_problems"}
    longest = g.value(_constraints(g, ODRL.elapsedTime)[0], ODRL.rightOperand)
    assert str(longest) == "P180D"
    accreditations = _constraints(g, LDECO.accreditation)
    assert g.value(accreditations[0], ODRL.operator) == ODRL.isAllOf
    assert str(g.value(policy, LDECO.termsVersion)) == "2"


def test_offer_page_serves_json_ld_and_refuses_unknown_or_unscheduled(world, app):
    res = app.get(f"/dataset/{world.dataset['name']}/odrl.jsonld")
    assert res.status_code == 200
    assert res.headers["Content-Type"].startswith("application/ld+json")
    assert (URIRef(res.json["uid"]), RDF.type, ODRL.Offer) in _graph(res.json)

    assert app.get("/dataset/no-such-dataset/odrl.jsonld").status_code == 404
    plain = factories.Dataset(owner_org=world.police["id"], layer="operational")
    res = app.get(f"/dataset/{plain['name']}/odrl.jsonld")
    assert res.status_code == 404
    assert "No data protection schedule" in res.body
    with pytest.raises(tk.ObjectNotFound, match="No data protection schedule"):
        call("ldeco_odrl_offer_show", None, id=plain["id"])


def test_offer_of_a_private_dataset_stays_unseen(world):
    private = factories.Dataset(owner_org=world.council["id"], private=True, layer="operational")
    call(
        "ldeco_schedule_create",
        world.sysadmin,
        name="private-schedule",
        title="Private",
        dataset_id=private["id"],
        roles=["key-worker"],
        purposes=["family-support"],
        gateways=["ca2004-s10"],
        data_items=["case_id"],
    )
    with pytest.raises(tk.NotAuthorized):
        call("ldeco_odrl_offer_show", world.officer, id=private["id"])
    assert call("ldeco_odrl_offer_show", world.editor, id=private["id"])["type"] == "Offer"


def test_agreement_has_dpv_purpose_legal_basis_parties_and_dates(world):
    grant = _grant(world)
    agreement = call("ldeco_odrl_agreement_show", world.officer, id=grant["id"])
    g = _graph(agreement)
    policy = URIRef(agreement["uid"])
    assert (policy, RDF.type, ODRL.Agreement) in g
    permission = g.value(policy, ODRL.permission)
    assert g.value(permission, DPV.hasPurpose) == DPV.PublicBenefit or str(
        g.value(permission, DPV.hasPurpose)
    ).startswith(str(DPV))
    assert g.value(permission, DPV.hasLegalBasis) == URIRef(
        "http://www.legislation.gov.uk/id/ukpga/1998/37/section/115"
    )
    assert str(g.value(permission, ODRL.assignee)).endswith("/user/olu-officer")
    assert str(g.value(permission, ODRL.assigner)).endswith("/organization/manchester-city-council")
    assert str(g.value(policy, LDECO.onBehalfOf)).endswith("/organization/greater-manchester-police")
    dates = {
        str(g.value(c, ODRL.operator)).rsplit("/", 1)[-1]: str(g.value(c, ODRL.rightOperand))
        for c in _constraints(g, ODRL.dateTime)
    }
    assert dates == {"gteq": grant["start_date"], "lteq": grant["expiry"]}
    assert str(g.value(policy, LDECO.state)) == "current"

    call("ldeco_grant_revoke", world.editor, id=grant["id"], reason="project ended")
    assert call("ldeco_odrl_agreement_show", world.editor, id=grant["id"])["state"] == "revoked"


def test_agreement_only_for_its_holder_and_publisher(world, app):
    grant = _grant(world)
    outsider = factories.User()
    with pytest.raises(tk.NotAuthorized):
        call("ldeco_odrl_agreement_show", outsider, id=grant["id"])
    with pytest.raises(tk.NotAuthorized):
        call("ldeco_odrl_agreement_show", world.police_admin, id=grant["id"])
    assert app.get(f"/access/grant/{grant['id']}/odrl.jsonld").status_code == 403
    with pytest.raises(tk.ObjectNotFound):
        call("ldeco_odrl_agreement_show", world.officer, id="no-such-grant")
