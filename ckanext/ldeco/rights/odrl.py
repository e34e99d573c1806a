"""Machine-readable rights: ODRL 2.2 policies in JSON-LD.

A dataset's data protection schedule becomes an ODRL *Offer* (what may be
asked for: roles, purposes as DPV terms, legal bases, data items, required
accreditations, the longest grant); a grant becomes an ODRL *Agreement*
between the publisher and the grantee, with its DPV purpose, its legal basis
(the gateway's legislation.gov.uk identifier) and its dates.

The JSON-LD context is written out in full rather than referenced by URL, so a
consumer can expand the policy without fetching anything.
"""

from __future__ import annotations

from typing import Any

import ckan.model as model  # the toolkit has no door to plain row lookups
import ckan.plugins.toolkit as tk

from ckanext.ldeco.rights import model as m

__all__ = ["CONTEXT", "LDECO", "offer", "agreement"]

ODRL = "http://www.w3.org/ns/odrl/2/"
DPV = "https://w3id.org/dpv#"
# our own terms (roles, data items, accreditations, terms text) have no
# ODRL or DPV equivalent; a URN keeps them unambiguous without a host name
LDECO = "urn:ldeco:rights:"

_ID = {"@type": "@id"}
_VOCAB = {"@type": "@vocab"}

CONTEXT: dict[str, Any] = {
    "odrl": ODRL,
    "dpv": DPV,
    "dct": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "ldeco": LDECO,
    "uid": "@id",
    "type": "@type",
    "Offer": "odrl:Offer",
    "Agreement": "odrl:Agreement",
    "profile": {"@id": "odrl:profile", **_ID},
    "permission": {"@id": "odrl:permission", "@container": "@set"},
    "duty": {"@id": "odrl:duty", "@container": "@set"},
    "constraint": {"@id": "odrl:constraint", "@container": "@set"},
    "target": {"@id": "odrl:target", **_ID},
    "assigner": {"@id": "odrl:assigner", **_ID},
    "assignee": {"@id": "odrl:assignee", **_ID},
    "action": {"@id": "odrl:action", **_VOCAB},
    "leftOperand": {"@id": "odrl:leftOperand", **_VOCAB},
    "operator": {"@id": "odrl:operator", **_VOCAB},
    "rightOperand": {"@id": "odrl:rightOperand"},
    "use": "odrl:use",
    "purpose": "odrl:purpose",
    "dateTime": "odrl:dateTime",
    "elapsedTime": "odrl:elapsedTime",
    "eq": "odrl:eq",
    "lteq": "odrl:lteq",
    "gteq": "odrl:gteq",
    "isAnyOf": "odrl:isAnyOf",
    "isAllOf": "odrl:isAllOf",
    "hasPurpose": {"@id": "dpv:hasPurpose", **_ID},
    "hasLegalBasis": {"@id": "dpv:hasLegalBasis", **_ID},
    "title": "dct:title",
    "issued": {"@id": "dct:issued", "@type": "xsd:dateTime"},
    "role": "ldeco:role",
    "dataItem": "ldeco:dataItem",
    "accreditation": "ldeco:accreditation",
    "onBehalfOf": {"@id": "ldeco:onBehalfOf", **_ID},
    "terms": "ldeco:terms",
    "termsVersion": "ldeco:termsVersion",
    "conditions": "ldeco:conditions",
    "state": "ldeco:state",
}


def _dataset_uri(dataset: dict[str, Any]) -> str:
    # the same URI as the dataset's DCAT record, so both descriptions meet
    from ckanext.dcat.utils import dataset_uri

    return dataset_uri(dataset)


def _org_uri(org_id: str | None) -> str | None:
    org = model.Group.get(org_id) if org_id else None
    return tk.url_for("organization.read", id=org.name, _external=True) if org else None


def _purpose_ref(name: str) -> dict[str, Any]:
    """The purpose as its DPV term when the register maps it, else our own term."""
    row = m.Purpose.get(name)
    ref = (row.dpv_purpose if row and row.dpv_purpose else None) or f"{LDECO}purpose:{name}"
    return {"@id": ref, "title": row.title if row else name}


def _gateway_ref(name: str) -> dict[str, Any]:
    row = m.LegalGateway.get(name)
    if row is None:
        return {"@id": f"{LDECO}gateway:{name}", "title": name}
    uri = row.legislation_uri or row.legislation_url or f"{LDECO}gateway:{name}"
    return {"@id": uri, "title": f"{row.statute} {row.provision}".strip() or row.title}


def _list_constraint(left: str, values: list[Any], operator: str = "isAnyOf") -> dict[str, Any]:
    return {"leftOperand": left, "operator": operator, "rightOperand": values}


def offer(dataset: dict[str, Any], schedule: m.Schedule) -> dict[str, Any]:
    """The ODRL Offer of a dataset under its schedule."""
    target = _dataset_uri(dataset)
    assigner = _org_uri(dataset.get("owner_org"))
    constraints = [
        _list_constraint("purpose", [_purpose_ref(p) for p in schedule.purposes or []]),
        _list_constraint("role", list(schedule.roles or [])),
        _list_constraint("dataItem", list(schedule.data_items or [])),
        {
            "leftOperand": "elapsedTime",
            "operator": "lteq",
            "rightOperand": {"@value": f"P{schedule.max_grant_days}D", "@type": "xsd:duration"},
        },
    ]
    if schedule.accreditations:
        constraints.append(_list_constraint("accreditation", list(schedule.accreditations), "isAllOf"))
    return {
        "@context": CONTEXT,
        "uid": tk.url_for("ldeco_rights.odrl_offer", id=dataset["name"], _external=True),
        "type": "Offer",
        "title": schedule.title,
        "assigner": assigner,
        "target": target,
        "terms": schedule.terms,
        "termsVersion": schedule.terms_version,
        "permission": [
            {
                "target": target,
                "assigner": assigner,
                "action": "use",
                "constraint": constraints,
                "hasLegalBasis": [_gateway_ref(g) for g in schedule.gateways or []],
            }
        ],
    }


def agreement(grant: m.Grant, current: bool) -> dict[str, Any]:
    """The ODRL Agreement a grant stands for, between its publisher and its holder."""
    pkg = model.Package.get(grant.dataset_id)
    dataset = {"id": grant.dataset_id, "name": pkg.name if pkg else grant.dataset_id}
    if pkg is not None:
        dataset.update(uri=pkg.extras.get("uri"), owner_org=pkg.owner_org)
    target = _dataset_uri({k: v for k, v in dataset.items() if v})
    user = model.User.get(grant.user_id)
    assignee = (
        tk.url_for("user.read", id=user.name, _external=True) if user else f"{LDECO}user:{grant.user_id}"
    )
    assigner = _org_uri(pkg.owner_org if pkg else None)
    purpose = _purpose_ref(grant.purpose)
    gateway = _gateway_ref(grant.gateway)
    return {
        "@context": CONTEXT,
        "uid": tk.url_for("ldeco_rights.odrl_agreement", id=grant.id, _external=True),
        "type": "Agreement",
        "issued": {"@value": grant.created.isoformat(), "@type": "xsd:dateTime"},
        "assigner": assigner,
        "assignee": assignee,
        "onBehalfOf": _org_uri(grant.organization_id),
        "target": target,
        "termsVersion": grant.terms_version,
        "conditions": grant.conditions or None,
        "state": "current" if current else grant.state if grant.state != "active" else "lapsed",
        "permission": [
            {
                "target": target,
                "assigner": assigner,
                "assignee": assignee,
                "action": "use",
                "hasPurpose": purpose["@id"],
                "hasLegalBasis": gateway,
                "constraint": [
                    {"leftOperand": "purpose", "operator": "eq", "rightOperand": purpose},
                    {"leftOperand": "role", "operator": "eq", "rightOperand": grant.role},
                    _list_constraint("dataItem", list(grant.data_items or [])),
                    {
                        "leftOperand": "dateTime",
                        "operator": "gteq",
                        "rightOperand": {"@value": grant.start_date.isoformat(), "@type": "xsd:date"},
                    },
                    {
                        "leftOperand": "dateTime",
                        "operator": "lteq",
                        "rightOperand": {"@value": grant.expiry.isoformat(), "@type": "xsd:date"},
                    },
                ],
            }
        ],
    }
