"""Actions of the rights capability: registers, accreditations awarded to
users, empowerments, the handshake, access requests and grants."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any

import ckan.model as model  # the session is core's; the toolkit has no door to it
import ckan.plugins.toolkit as tk
from ckan import types

from ckanext.ldeco import inputs
from ckanext.ldeco.audit import trail as audit_trail
from ckanext.ldeco.rights import handshake, notify, odrl
from ckanext.ldeco.rights import helpers as rights_helpers
from ckanext.ldeco.rights import model as m
from ckanext.ldeco.rights.logic import auth as rights_auth
from ckanext.ldeco.rights.logic import schema as s
from ckanext.ldeco.rights.standing import lapse_reasons, schedule_for

__all__ = ["get_actions"]

log = logging.getLogger(__name__)

PENDING = ("draft", "submitted")
MAX_PARTS = 50  # datasets asked for in one bundle


def _validate(data_dict: types.DataDict, schema: types.Schema, context: types.Context) -> dict[str, Any]:
    """Validate again inside an action (a merged update, a part of a bundle);
    what the session holds of the attempt is dropped when it fails."""
    try:
        return inputs.validate(data_dict, schema, context)
    except tk.ValidationError:
        model.Session.rollback()
        raise


def _not_found(what: str, id_: Any) -> tk.ObjectNotFound:
    return tk.ObjectNotFound(tk._("No such {what}: {id}").format(what=tk._(what), id=id_))


def _me(context: types.Context) -> model.User | None:
    """The signed-in user, or None (CKAN 2.11 gives anonymous callers a user
    object too, with an empty name: that is nobody)."""
    return rights_auth.signed_in_user(context)


def _actor(context: types.Context) -> str:
    """Who acts, for the record: the user's id; a trusted internal caller by name."""
    me = _me(context)
    return me.id if me else (context.get("user") or "system")


def _today() -> dt.date:
    return m.now().date()


# ---------------------------------------------------------------- registers


def _register_actions(register: str, model_class: Any) -> dict[str, types.Action]:
    label = register.replace("_", " ")

    @tk.side_effect_free
    @inputs.action(functools.partial(s.register_list_schema, register))
    def list_(context: types.Context, data_dict: types.DataDict) -> list[dict[str, Any]]:
        q = model.Session.query(model_class)
        if register == "schedule":
            for key in ("dataset_id", "organization_id"):
                if data_dict.get(key):
                    q = q.filter(getattr(model_class, key) == data_dict[key])
        return [row.dictize() for row in q.order_by(model_class.name)]

    @tk.side_effect_free
    @inputs.action(functools.partial(s.register_show_schema, register))
    def show(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
        row = model_class.get(data_dict["id"])
        if row is None:
            raise _not_found(label, data_dict["id"])
        return row.dictize()

    @inputs.action(functools.partial(s.register_schema, register))
    def create(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
        data = data_dict
        if model_class.get(data["name"]) is not None:
            raise tk.ValidationError(
                {
                    "name": [
                        tk._("A {what} named {name} already exists").format(
                            what=tk._(label), name=data["name"]
                        )
                    ]
                }
            )
        if register == "schedule":
            _check_schedule_target(data)
        row = model_class(**data)
        model.Session.add(row)
        model.Session.commit()
        return row.dictize()

    @inputs.action(functools.partial(s.register_update_schema, register))
    def update(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
        row = model_class.get(data_dict["id"])
        if row is None:
            raise _not_found(label, data_dict["id"])
        # patch semantics: what is not given stays as stored; the name is the
        # key other rows refer to, so it never changes
        merged = {k: v for k, v in row.dictize().items() if k not in ("id", "created", "modified")}
        merged.update({k: v for k, v in data_dict.items() if k != "id"})
        if merged["name"] != row.name:
            raise tk.ValidationError(
                {"name": [tk._("The name of a {what} cannot change").format(what=tk._(label))]}
            )
        data = _validate(merged, s.register_schema(register), context)
        if register == "schedule":
            _check_schedule_target(data)
        for key, value in data.items():
            setattr(row, key, value)
        model.Session.commit()
        return row.dictize()

    writers = "sysadmins; or the publisher’s admins" if register == "schedule" else "sysadmins"
    for fn, verb, doc in (
        (list_, "list", f"List the {label} register (anyone). Returns a list of {label} dicts."),
        (show, "show", f"Show one {label} by id or name (anyone)."),
        (create, "create", f"Create a {label} ({writers}). Returns the stored dict."),
        (
            update,
            "update",
            f"Update a {label} by id or name ({writers}"
            f"{', of both the stored and the new dataset or organisation' if register == 'schedule' else ''}); "
            "fields not given are kept; the name never changes. Returns the stored dict.",
        ),
    ):
        fn.__name__ = f"ldeco_{register}_{verb}"
        fn.__doc__ = doc
    return {
        f"ldeco_{register}_list": list_,
        f"ldeco_{register}_show": show,
        f"ldeco_{register}_create": create,
        f"ldeco_{register}_update": update,
    }


def _check_schedule_target(data: dict[str, Any]) -> None:
    if bool(data.get("dataset_id")) == bool(data.get("organization_id")):
        raise tk.ValidationError(
            {
                "dataset_id": [
                    tk._(
                        "A schedule applies to exactly one dataset or one publisher organisation: "
                        "give dataset_id or organization_id, not both"
                    )
                ]
            }
        )


# --------------------------------------------------------- accreditations held


@inputs.action(s.user_accreditation_schema)
def ldeco_user_accreditation_create(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Record that a user holds an accreditation (sysadmins). In: user_id,
    accreditation, awarded, expires (optional; defaults from the accreditation's
    validity), evidence. Out: the record, with recorded_by."""
    data = dict(data_dict)
    accreditation = m.Accreditation.get(data["accreditation"])
    if not data.get("expires") and accreditation.validity_days:
        data["expires"] = data["awarded"] + dt.timedelta(days=accreditation.validity_days)
    if data.get("expires") and data["expires"] < data["awarded"]:
        raise tk.ValidationError({"expires": [tk._("The expiry is before the award date")]})
    row = m.UserAccreditation(**data, recorded_by=_actor(context))
    model.Session.add(row)
    model.Session.commit()
    return row.dictize()


@inputs.action(s.id_schema)
def ldeco_user_accreditation_delete(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Remove an accreditation record (sysadmins). In: id."""
    id_ = data_dict["id"]
    row = m.UserAccreditation.get(id_)
    if row is None:
        raise _not_found("accreditation record", id_)
    model.Session.delete(row)
    model.Session.commit()
    return {"id": id_}


@tk.side_effect_free
@inputs.action(s.user_accreditation_list_schema)
def ldeco_user_accreditation_list(context: types.Context, data_dict: types.DataDict) -> list[dict[str, Any]]:
    """Accreditations held by a user (yourself, or anyone for sysadmins). In: user_id (optional)."""
    me = _me(context)
    q = model.Session.query(m.UserAccreditation)
    user_id = data_dict.get("user_id")
    if user_id:
        user = model.User.get(user_id)
        if user is None:
            raise _not_found("user", user_id)
        q = q.filter(m.UserAccreditation.user_id == user.id)
    elif not context.get("ignore_auth") and not (me and me.sysadmin):
        q = q.filter(m.UserAccreditation.user_id == (me.id if me else ""))
    return [r.dictize() for r in q.order_by(m.UserAccreditation.awarded)]


# --------------------------------------------------------------- empowerment


@inputs.action(s.empowerment_schema)
def ldeco_empowerment_create(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """An organisation admin empowers a member to act in a role. In: user_id,
    organization_id, role, start_date, end_date (optional). Out: the empowerment."""
    data = dict(data_dict)
    if data.get("end_date") and data["end_date"] < data["start_date"]:
        raise tk.ValidationError({"end_date": [tk._("The end date is before the start date")]})
    member = (
        model.Session.query(model.Member)
        .filter(
            model.Member.group_id == data["organization_id"],
            model.Member.table_name == "user",
            model.Member.table_id == data["user_id"],
            model.Member.state == "active",
        )
        .first()
    )
    if member is None:
        raise tk.ValidationError({"user_id": [tk._("The user is not a member of the organisation")]})
    row = m.Empowerment(
        **data, state="active", created_by=_actor(context)
    )
    model.Session.add(row)
    model.Session.commit()
    return row.dictize()


@tk.side_effect_free
@inputs.action(s.empowerment_list_schema)
def ldeco_empowerment_list(context: types.Context, data_dict: types.DataDict) -> list[dict[str, Any]]:
    """Empowerments: your own, or an organisation's (its admins; sysadmins).
    In: organization_id or user_id (optional), active_only (bool)."""
    me = _me(context)
    if me is None:  # internal callers name a user
        raise tk.NotAuthorized(tk._("Sign in to see empowerments"))
    q = model.Session.query(m.Empowerment)
    org = data_dict.get("organization_id")
    if org:
        org_id = (
            tk.get_action("organization_show")({"ignore_auth": True}, {"id": org})["id"]
            if model.Group.get(org)
            else None
        )
        if org_id is None:
            raise _not_found("organisation", org)
        if not (me.sysadmin or rights_auth._org_admin(context, org_id)):
            raise tk.NotAuthorized(tk._("Only the organisation's admins may list its empowerments"))
        q = q.filter(m.Empowerment.organization_id == org_id)
    elif data_dict.get("user_id") and me.sysadmin:
        user = model.User.get(data_dict["user_id"])
        if user is None:
            raise _not_found("user", data_dict["user_id"])
        q = q.filter(m.Empowerment.user_id == user.id)
    else:
        q = q.filter(m.Empowerment.user_id == me.id)
    rows = q.order_by(m.Empowerment.created).all()
    if data_dict.get("active_only"):
        rows = [r for r in rows if r.is_active(_today())]
    return [_empowerment_dict(r) for r in rows]


def _empowerment_dict(row: m.Empowerment) -> dict[str, Any]:
    out = row.dictize()
    org = model.Group.get(row.organization_id)
    user = model.User.get(row.user_id)
    out["organization_title"] = org.title if org else None
    out["organization_name"] = org.name if org else None
    out["user_name"] = user.name if user else None
    out["active"] = row.is_active(_today())
    return out


@inputs.action(s.withdraw_schema)
def ldeco_empowerment_withdraw(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Withdraw an empowerment (the organisation's admins). In: id, reason."""
    data = data_dict
    row = m.Empowerment.get(data["id"])
    if row is None:
        raise _not_found("empowerment", data["id"])
    if row.state != "active":
        raise tk.ValidationError({"id": [tk._("The empowerment is already withdrawn")]})
    row.state, row.withdrawn, row.withdraw_reason = "withdrawn", m.now(), data["reason"]
    row.withdrawn_by = _actor(context)
    model.Session.commit()
    return _empowerment_dict(row)


# ---------------------------------------------------------------- handshake


def _org_kind(org_id: str | None) -> str | None:
    if not org_id:
        return None
    org = tk.get_action("organization_show")({"ignore_auth": True}, {"id": org_id, "include_datasets": False})
    return org.get("agency_kind") or None


def _gather(context: types.Context, data: dict[str, Any]) -> tuple[handshake.Facts, dict[str, Any], Any]:
    """Collect the facts of a handshake. Identity comes from the account: the
    empowerment must be the signed-in user's own."""
    me = _me(context)
    if me is None:
        raise tk.NotAuthorized(tk._("Sign in to ask for access"))
    # as the user: a private dataset they cannot see stays unseen
    dataset = tk.get_action("package_show")({"user": me.name}, {"id": data["dataset_id"]})
    if not rights_helpers.ldeco_has_restricted(dataset):
        raise tk.ValidationError(
            {"dataset_id": [tk._("This dataset is open: its resources need no request")]}
        )
    empowerment = m.Empowerment.get(data["empowerment_id"])
    if empowerment is None or empowerment.user_id != me.id:
        raise tk.ValidationError({"empowerment_id": [tk._("Not one of your empowerments")]})
    if data["end_date"] < data["start_date"]:
        raise tk.ValidationError({"end_date": [tk._("The end date is before the start date")]})
    if data["start_date"] < _today():
        raise tk.ValidationError({"start_date": [tk._("Access cannot start in the past")]})
    resource_ids = {r["id"] for r in dataset.get("resources", [])}
    unknown = [r for r in data.get("resource_ids") or [] if r not in resource_ids]
    if unknown:
        raise tk.ValidationError(
            {"resource_ids": [tk._("Not resources of this dataset: {ids}").format(ids=", ".join(unknown))]}
        )
    schedule = schedule_for(dataset)
    held = model.Session.query(m.UserAccreditation).filter(m.UserAccreditation.user_id == me.id).all()
    facts = handshake.Facts(
        today=_today(),
        start_date=data["start_date"],
        end_date=data["end_date"],
        purpose=data["purpose"],
        gateway=m.LegalGateway.get(data["gateway"]).dictize(),
        empowerment=empowerment.dictize(),
        requester_kind=_org_kind(empowerment.organization_id),
        publisher_kind=_org_kind(dataset.get("owner_org")),
        schedule=schedule.dictize() if schedule else None,
        accreditations_held=[a.dictize() for a in held],
        data_items=data.get("data_items") or [],
        terms_accepted=bool(data.get("accept_terms")),
        terms_version=data.get("terms_version") or (schedule.terms_version if schedule else None),
    )
    if schedule is not None and handshake.grant_expiry(facts) < facts.start_date:
        raise tk.ValidationError(
            {
                "end_date": [
                    tk._(
                        "Access would end on {date}, before it starts: your empowerment or an "
                        "accreditation ends first"
                    ).format(date=handshake.grant_expiry(facts).isoformat())
                ]
            }
        )
    return facts, dataset, schedule


@tk.side_effect_free
@inputs.action(s.handshake_schema)
def ldeco_handshake_evaluate(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Evaluate the handshake for the signed-in user without storing anything.
    In: dataset_id, empowerment_id (one of yours), purpose, gateway, data_items,
    start_date, end_date, accept_terms, terms_version. Out: elements (key,
    label, met, reason), all_met, expiry (the grant's end if approved now) and
    the schedule's terms."""
    facts, _dataset, schedule = _gather(context, data_dict)
    result = handshake.evaluate(facts)
    result["schedule"] = _schedule_public(schedule)
    return result


def _schedule_public(schedule: m.Schedule | None) -> dict[str, Any] | None:
    if schedule is None:
        return None
    return {
        k: v
        for k, v in schedule.dictize().items()
        if k
        in (
            "id",
            "name",
            "title",
            "terms",
            "terms_version",
            "data_items",
            "max_grant_days",
            "roles",
            "purposes",
            "gateways",
            "accreditations",
            "auto_approve",
        )
    }


# ----------------------------------------------------------------- requests


def _event(request: m.AccessRequest, to_state: str, actor: str, reason: str = "") -> None:
    audit_trail.request_event(request, to_state, actor, reason)
    model.Session.add(
        m.AccessRequestEvent(
            request_id=request.id,
            from_state=request.state,
            to_state=to_state,
            actor=actor,
            reason=reason,
            at=m.now(),
        )
    )
    request.state = to_state


def _request_dict(row: m.AccessRequest, with_events: bool = True) -> dict[str, Any]:
    out = row.dictize()
    dataset = model.Package.get(row.dataset_id)
    user = model.User.get(row.user_id)
    org = model.Group.get(row.organization_id)
    out.update(
        dataset_name=dataset.name if dataset else None,
        dataset_title=dataset.title if dataset else None,
        user_name=user.name if user else None,
        organization_title=org.title if org else None,
    )
    if with_events:
        events = (
            model.Session.query(m.AccessRequestEvent)
            .filter(m.AccessRequestEvent.request_id == row.id)
            .order_by(m.AccessRequestEvent.at)
            .all()
        )
        out["events"] = [e.dictize() for e in events]
    grant = model.Session.query(m.Grant).filter(m.Grant.request_id == row.id).first()
    out["grant"] = _grant_dict(grant) if grant else None
    return out


@inputs.action(s.access_request_schema)
def ldeco_access_request_create(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Ask for access to a restricted dataset as the signed-in user.
    In: as ldeco_handshake_evaluate, plus justification and submit (default
    true; false keeps a draft). Submitting needs every element of the
    handshake met, terms included. A second pending request for the same
    dataset is refused. Out: the request with its events."""
    row = _create_one(context, dict(data_dict))
    model.Session.commit()
    notify.enqueue_sending()
    return _request_dict(row)


@inputs.action(s.bundle_schema, auth="ldeco_access_request_create")
def ldeco_access_request_bundle_create(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Ask for several datasets at once, of one or many publishers, as the
    signed-in user. In: the fields of ldeco_access_request_create that the
    parts share (empowerment_id, purpose, gateway, dates, accept_terms,
    justification, submit) and parts: a list of {dataset_id, data_items,
    resource_ids, terms_version}. Each part becomes a request of its own,
    decided by its dataset's publisher; all share a bundle_id. All or
    nothing: a part that fails stores no part. Out: bundle_id and requests."""
    parts = data_dict.get("parts")
    if not isinstance(parts, list) or not parts or not all(isinstance(p, dict) for p in parts):
        raise tk.ValidationError({"parts": [tk._("Give a list of parts, each with a dataset_id")]})
    if len(parts) > MAX_PARTS:
        raise tk.ValidationError({"parts": [tk._("Give at most {n} parts").format(n=MAX_PARTS)]})
    parts = [{k: v for k, v in p.items() if not k.startswith("__")} for p in parts]
    common = {k: v for k, v in data_dict.items() if k != "parts"}
    bundle_id = m.new_id()
    rows = []
    for n, part in enumerate(parts, 1):
        label = part.get("dataset_id") or tk._("part {n}").format(n=n)
        try:
            data = _validate({**common, **part}, s.access_request_schema(), context)
            rows.append(_create_one(context, data, bundle_id=bundle_id))
        except (tk.ValidationError, tk.ObjectNotFound, tk.NotAuthorized) as err:
            model.Session.rollback()  # nothing of the bundle is kept
            if isinstance(err, tk.ValidationError):
                problems = [
                    f"{field}: {'; '.join(map(str, msgs)) if isinstance(msgs, list) else msgs}"
                    for field, msgs in err.error_dict.items()
                ]
            else:
                problems = [str(err) or tk._("not found or not visible to you")]
            raise tk.ValidationError(
                {
                    "parts": [
                        tk._("{dataset}: {problems}").format(dataset=label, problems=" | ".join(problems))
                    ]
                }
            ) from err
    model.Session.commit()
    notify.enqueue_sending()
    return {"bundle_id": bundle_id, "requests": [_request_dict(r, with_events=False) for r in rows]}


def _create_one(
    context: types.Context, data: dict[str, Any], bundle_id: str | None = None
) -> m.AccessRequest:
    """Store one request, its first events and its notices; the caller commits."""
    facts, dataset, schedule = _gather(context, data)
    outside = handshake.items_outside(facts.data_items, facts.schedule)
    if outside and not data["submit"]:
        # a submission is refused with every unmet element; a draft is not
        # evaluated, so this is said here, before anything is stored
        raise tk.ValidationError({"data_items": [outside]})
    me = _me(context)
    assert me is not None  # _gather refuses callers who are not signed in
    duplicate = (
        model.Session.query(m.AccessRequest)
        .filter(
            m.AccessRequest.user_id == me.id,
            m.AccessRequest.dataset_id == dataset["id"],
            m.AccessRequest.state.in_(PENDING),
        )
        .first()
    )
    if duplicate is not None:
        raise tk.ValidationError(
            {
                "dataset_id": [
                    tk._("You already have a pending request for this dataset ({id})").format(id=duplicate.id)
                ]
            }
        )
    empowerment = m.Empowerment.get(data["empowerment_id"])
    row = m.AccessRequest(
        user_id=me.id,
        empowerment_id=empowerment.id,
        organization_id=empowerment.organization_id,
        role=empowerment.role,
        dataset_id=dataset["id"],
        publisher_id=dataset["owner_org"],
        resource_ids=data.get("resource_ids") or [],
        purpose=data["purpose"],
        gateway=data["gateway"],
        data_items=data.get("data_items") or [],
        start_date=data["start_date"],
        end_date=data["end_date"],
        justification=data.get("justification") or "",
        schedule_id=schedule.id if schedule else None,
        bundle_id=bundle_id,
        state="draft",
    )
    model.Session.add(row)
    model.Session.flush()
    model.Session.add(
        m.AccessRequestEvent(
            request_id=row.id,
            from_state=None,
            to_state="draft",
            actor=me.id,
            reason=tk._("created"),
            at=m.now(),
        )
    )
    if data["submit"]:
        _submit(row, facts, schedule, me.id)
    else:
        row.evaluation = handshake.evaluate(facts)
    _store_notices(row)
    return row


def _submit(row: m.AccessRequest, facts: handshake.Facts, schedule: m.Schedule | None, actor: str) -> None:
    result = handshake.evaluate(facts)
    row.evaluation = result
    if not result["all_met"]:
        model.Session.rollback()
        raise tk.ValidationError({e["key"]: [e["reason"]] for e in result["elements"] if not e["met"]})
    assert schedule is not None  # every element met implies a schedule
    row.terms_version, row.terms_accepted = schedule.terms_version, m.now()
    _event(row, "submitted", actor, tk._("terms version {v} accepted").format(v=schedule.terms_version))
    if schedule.auto_approve:
        _event(
            row,
            "approved",
            "system",
            tk._("Every element of the handshake is met and the schedule approves such requests at once"),
        )
        row.decided_by, row.decision_reason = "system", tk._("approved at once by the schedule")
        _create_grant(row, facts)


def _store_notices(row: m.AccessRequest) -> None:
    """Store the notices of a submission in its own transaction (before the commit)."""
    model.Session.flush()
    if row.state == "submitted":
        notify.request_submitted(_request_dict(row, with_events=False))
    elif row.state == "approved":
        notify.request_decided(_request_dict(row, with_events=False))


@inputs.action(s.submit_schema)
def ldeco_access_request_submit(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Submit a draft (the requester). In: id, accept_terms, terms_version. Out: the request."""
    id_ = data_dict["id"]
    row = m.AccessRequest.get(id_)
    if row is None:
        raise _not_found("access request", id_)
    if row.state != "draft":
        raise tk.ValidationError(
            {
                "state": [
                    tk._("Only a draft can be submitted; this request is {state}").format(state=row.state)
                ]
            }
        )
    data = {
        "dataset_id": row.dataset_id,
        "empowerment_id": row.empowerment_id,
        "purpose": row.purpose,
        "gateway": row.gateway,
        "data_items": row.data_items,
        "resource_ids": row.resource_ids,
        "start_date": row.start_date,
        "end_date": row.end_date,
        "accept_terms": data_dict.get("accept_terms"),
        "terms_version": data_dict.get("terms_version"),
    }
    data = _validate(data, s.handshake_schema(), context)
    facts, dataset, schedule = _gather(context, data)
    # the dataset may have moved since the draft: its publisher now decides
    row.publisher_id, row.schedule_id = dataset["owner_org"], schedule.id if schedule else None
    _submit(row, facts, schedule, _actor(context))
    _store_notices(row)
    model.Session.commit()
    notify.enqueue_sending()
    return _request_dict(row)


@tk.side_effect_free
@inputs.action(s.id_schema)
def ldeco_access_request_show(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """One request with its events and grant (the requester; the publisher's admins and editors)."""
    id_ = data_dict["id"]
    row = m.AccessRequest.get(id_)
    if row is None:
        raise _not_found("access request", id_)
    return _request_dict(row)


@tk.side_effect_free
@inputs.action(s.request_list_schema)
def ldeco_access_request_list(context: types.Context, data_dict: types.DataDict) -> list[dict[str, Any]]:
    """Requests: your own (default), or for queue=true those to datasets of the
    organisations where you are admin or editor (all for sysadmins).
    In: queue (bool), state (optional)."""
    me = _me(context)
    if me is None:  # internal callers name a user
        raise tk.NotAuthorized(tk._("Sign in to ask for access"))
    q = model.Session.query(m.AccessRequest)
    if data_dict.get("queue"):
        if not me.sysadmin:
            orgs = tk.get_action("organization_list_for_user")(
                {"user": me.name}, {"id": me.id, "permission": "update_dataset"}
            )
            q = q.filter(m.AccessRequest.publisher_id.in_([o["id"] for o in orgs] or [""]))
        q = q.filter(m.AccessRequest.state != "draft")
    else:
        q = q.filter(m.AccessRequest.user_id == me.id)
    if data_dict.get("state"):
        q = q.filter(m.AccessRequest.state == data_dict["state"])
    if data_dict.get("bundle_id"):
        q = q.filter(m.AccessRequest.bundle_id == data_dict["bundle_id"])
    return [_request_dict(r, with_events=False) for r in q.order_by(m.AccessRequest.created.desc())]


@inputs.action(s.decide_schema)
def ldeco_access_request_decide(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Decide a submitted request (the publisher's admins and editors). In: id,
    decision (approved | approved_with_conditions | rejected), reason,
    conditions (needed with approved_with_conditions). Approval re-evaluates
    the handshake and creates a grant. Out: the request with its grant."""
    data = data_dict
    row = m.AccessRequest.get(data["id"])
    if row is None:
        raise _not_found("access request", data["id"])
    if row.state != "submitted":
        raise tk.ValidationError(
            {
                "state": [
                    tk._("Only a submitted request can be decided; this one is {state}").format(
                        state=row.state
                    )
                ]
            }
        )
    if data["decision"] == "approved_with_conditions" and not data.get("conditions"):
        raise tk.ValidationError({"conditions": [tk._("Say which conditions apply")]})
    actor = _actor(context)
    if data["decision"] != "rejected":
        facts = _facts_of(row)
        result = handshake.evaluate(facts)
        row.evaluation = result
        if not result["all_met"]:
            model.Session.rollback()
            raise tk.ValidationError({e["key"]: [e["reason"]] for e in result["elements"] if not e["met"]})
        row.conditions = data.get("conditions") or ""
        _event(row, data["decision"], actor, data["reason"])
        row.decided_by, row.decision_reason = actor, data["reason"]
        _create_grant(row, facts)
    else:
        _event(row, "rejected", actor, data["reason"])
        row.decided_by, row.decision_reason = actor, data["reason"]
    model.Session.flush()
    notify.request_decided(_request_dict(row, with_events=False))
    model.Session.commit()
    notify.enqueue_sending()
    return _request_dict(row)


def _facts_of(row: m.AccessRequest) -> handshake.Facts:
    """The handshake facts of a stored request, as they stand now."""
    dataset = {"id": row.dataset_id, "owner_org": row.publisher_id}
    schedule = schedule_for(dataset)
    empowerment = m.Empowerment.get(row.empowerment_id)
    held = model.Session.query(m.UserAccreditation).filter(m.UserAccreditation.user_id == row.user_id).all()
    gateway = m.LegalGateway.get(row.gateway)
    return handshake.Facts(
        today=_today(),
        start_date=row.start_date,
        end_date=row.end_date,
        purpose=row.purpose,
        gateway=gateway.dictize() if gateway else None,
        empowerment=empowerment.dictize() if empowerment else None,
        requester_kind=_org_kind(row.organization_id),
        publisher_kind=_org_kind(row.publisher_id),
        schedule=schedule.dictize() if schedule else None,
        accreditations_held=[a.dictize() for a in held],
        data_items=row.data_items,
        terms_accepted=row.terms_accepted is not None,
        terms_version=row.terms_version,
    )


def _create_grant(row: m.AccessRequest, facts: handshake.Facts) -> m.Grant:
    grant = m.Grant(
        request_id=row.id,
        dataset_id=row.dataset_id,
        resource_ids=row.resource_ids,
        data_items=row.data_items,
        user_id=row.user_id,
        organization_id=row.organization_id,
        empowerment_id=row.empowerment_id,
        role=row.role,
        purpose=row.purpose,
        gateway=row.gateway,
        terms_version=row.terms_version,
        conditions=row.conditions or "",
        start_date=row.start_date,
        expiry=handshake.grant_expiry(facts),
        state="active",
    )
    model.Session.add(grant)
    audit_trail.grant_created(grant)
    return grant


@inputs.action(s.withdraw_schema)
def ldeco_access_request_withdraw(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Withdraw your own draft or submitted request. In: id, reason."""
    data = data_dict
    row = m.AccessRequest.get(data["id"])
    if row is None:
        raise _not_found("access request", data["id"])
    if row.state not in PENDING:
        raise tk.ValidationError(
            {
                "state": [
                    tk._("Only a draft or submitted request can be withdrawn; this one is {state}").format(
                        state=row.state
                    )
                ]
            }
        )
    _event(row, "withdrawn", _actor(context), data["reason"])
    model.Session.commit()
    return _request_dict(row)


# ------------------------------------------------------------------- grants


def _grant_dict(grant: m.Grant) -> dict[str, Any]:
    out = grant.dictize()
    reasons = lapse_reasons(grant)
    out["current"] = not reasons
    out["lapse_reasons"] = reasons
    dataset = model.Package.get(grant.dataset_id)
    out["dataset_name"] = dataset.name if dataset else None
    out["dataset_title"] = dataset.title if dataset else None
    return out


@tk.side_effect_free
@inputs.action(s.grant_list_schema)
def ldeco_grant_list(context: types.Context, data_dict: types.DataDict) -> list[dict[str, Any]]:
    """Grants: your own (default); with dataset_id, that dataset's grants (its
    publisher's admins and editors; sysadmins). Each says whether it is current
    and, if not, why."""
    me = _me(context)
    if me is None:  # internal callers name a user
        raise tk.NotAuthorized(tk._("Sign in to ask for access"))
    q = model.Session.query(m.Grant)
    if data_dict.get("dataset_id"):
        pkg = model.Package.get(data_dict["dataset_id"])
        if pkg is None:
            raise _not_found("dataset", data_dict["dataset_id"])
        if not rights_auth.may_decide(context, pkg.owner_org):
            raise tk.NotAuthorized(
                tk._("Only the publisher's admins and editors may list a dataset's grants")
            )
        q = q.filter(m.Grant.dataset_id == pkg.id)
    else:
        q = q.filter(m.Grant.user_id == me.id)
    return [_grant_dict(g) for g in q.order_by(m.Grant.created.desc())]


@inputs.action(s.withdraw_schema)
def ldeco_grant_revoke(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """Revoke a grant (the publisher's admins and editors). In: id, reason."""
    data = data_dict
    grant = m.Grant.get(data["id"])
    if grant is None:
        raise _not_found("grant", data["id"])
    if grant.state != "active":
        raise tk.ValidationError({"id": [tk._("The grant is already revoked")]})
    actor = _actor(context)
    grant.state, grant.revoked, grant.revoked_by, grant.revoke_reason = (
        "revoked",
        m.now(),
        actor,
        data["reason"],
    )
    audit_trail.grant_revoked(grant, actor, data["reason"])
    model.Session.commit()
    return _grant_dict(grant)


# -------------------------------------------------------- machine-readable


@tk.side_effect_free
@inputs.action(s.id_schema)
def ldeco_odrl_offer_show(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """The ODRL Offer (JSON-LD) of a dataset, built from the data protection
    schedule that applies to it (anyone who may see the dataset). In: id
    (dataset id or name). Out: the policy as a JSON-LD dict."""
    id_ = data_dict["id"]
    # as the caller: a private dataset stays unseen
    try:
        dataset = tk.get_action("package_show")(
            {"user": context.get("user") or "", "ignore_auth": context.get("ignore_auth", False)}, {"id": id_}
        )
    except tk.ObjectNotFound:
        raise _not_found("dataset", id_) from None
    schedule = schedule_for(dataset)
    if schedule is None:
        raise tk.ObjectNotFound(tk._("No data protection schedule applies to dataset {id}").format(id=id_))
    return odrl.offer(dataset, schedule)


@tk.side_effect_free
@inputs.action(s.id_schema)
def ldeco_odrl_agreement_show(context: types.Context, data_dict: types.DataDict) -> dict[str, Any]:
    """The ODRL Agreement (JSON-LD) of a grant, with its DPV purpose and legal
    basis (the grant's holder; the publisher's admins and editors). In: id
    (grant id). Out: the policy as a JSON-LD dict."""
    id_ = data_dict["id"]
    grant = m.Grant.get(id_)
    if grant is None:
        raise _not_found("grant", id_)
    return odrl.agreement(grant, current=not lapse_reasons(grant))


def get_actions() -> dict[str, Callable[..., Any]]:
    actions: dict[str, Callable[..., Any]] = {}
    for register, model_class in m.REGISTERS.items():
        actions.update(_register_actions(register, model_class))
    for fn in (
        ldeco_user_accreditation_create,
        ldeco_user_accreditation_delete,
        ldeco_user_accreditation_list,
        ldeco_empowerment_create,
        ldeco_empowerment_list,
        ldeco_empowerment_withdraw,
        ldeco_handshake_evaluate,
        ldeco_access_request_create,
        ldeco_access_request_bundle_create,
        ldeco_access_request_submit,
        ldeco_access_request_show,
        ldeco_access_request_list,
        ldeco_access_request_decide,
        ldeco_access_request_withdraw,
        ldeco_grant_list,
        ldeco_grant_revoke,
        ldeco_odrl_offer_show,
        ldeco_odrl_agreement_show,
    ):
        actions[fn.__name__] = fn
    return actions
