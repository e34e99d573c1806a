"""Pages of the rights handshake: request access, my access, the publisher's
queue, one request, and the register admin pages."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import types
from flask import Blueprint, make_response
from flask.views import MethodView

from ckanext.ldeco.rights import access, notify
from ckanext.ldeco.rights import model as m
from ckanext.ldeco.rights.labels import Labels

__all__ = ["get_blueprints"]

rights = Blueprint("ldeco_rights", __name__)

# register → the fields its create form offers (name, title, description come first)
REGISTER_FORM_FIELDS = {
    "purpose": ["dpv_purpose"],
    "role": [],
    "accreditation": ["type", "issuer", "validity_days"],
    "legal_gateway": [
        "statute",
        "provision",
        "legislation_url",
        "legislation_uri",
        "objective",
        "disclosers",
        "recipients",
        "conditions",
        "review_date",
    ],
    "schedule": [
        "dataset_id",
        "organization_id",
        "roles",
        "purposes",
        "gateways",
        "data_items",
        "accreditations",
        "terms",
        "terms_version",
        "max_grant_days",
        "auto_approve",
    ],
}


def _context() -> types.Context:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _form() -> dict[str, Any]:
    form = tk.request.form
    data: dict[str, Any] = {k: v for k, v in form.items()}
    for key in ("data_items", "resource_ids"):
        if key in form:
            data[key] = form.getlist(key)
    return data


def _allowed(auth: str, data: dict[str, Any]) -> bool:
    try:
        return tk.check_access(auth, _context(), data)
    except tk.NotAuthorized:
        return False


def _require_login(target: str) -> Any:
    tk.h.flash_error(tk._("Sign in to continue"))
    return tk.redirect_to("user.login", came_from=target)


class RequestAccessView(MethodView):
    """The handshake form: choose, check element by element, accept, submit."""

    def _page(
        self,
        dataset_id: str,
        data: dict[str, Any],
        evaluation: dict[str, Any] | None = None,
        errors: dict[str, Any] | None = None,
    ) -> str:
        context = _context()
        dataset = tk.get_action("package_show")(context, {"id": dataset_id})
        empowerments = tk.get_action("ldeco_empowerment_list")(context, {"active_only": True})
        purposes = tk.get_action("ldeco_purpose_list")(context, {})
        gateways = tk.get_action("ldeco_legal_gateway_list")(context, {})
        from ckanext.ldeco.rights.standing import schedule_for

        schedule = schedule_for(dataset)
        today = dt.date.today()
        data.setdefault("start_date", today.isoformat())
        data.setdefault("end_date", (today + dt.timedelta(days=90)).isoformat())
        restricted = [
            r for r in dataset.get("resources", []) if access.resource_level(dataset, r) == "restricted"
        ]
        return tk.render(
            "ldeco/rights/request_access.html",
            extra_vars={
                "pkg_dict": dataset,
                "empowerments": empowerments,
                "purposes": purposes,
                "gateways": gateways,
                "schedule": schedule.dictize() if schedule else None,
                "restricted_resources": restricted,
                "data": data,
                "evaluation": evaluation,
                "errors": errors or {},
                "labels": Labels(),
            },
        )

    def get(self, id: str) -> Any:
        if not tk.current_user.is_authenticated:
            return _require_login(tk.url_for("ldeco_rights.request_access", id=id))
        try:
            return self._page(id, {})
        except tk.ObjectNotFound:
            return tk.abort(404, tk._("Dataset not found"))
        except tk.NotAuthorized:
            return tk.abort(403, tk._("Not authorised to see this dataset"))

    def post(self, id: str) -> Any:
        if not tk.current_user.is_authenticated:
            return _require_login(tk.url_for("ldeco_rights.request_access", id=id))
        data = _form()
        data["dataset_id"] = id
        context = _context()
        try:
            evaluation = tk.get_action("ldeco_handshake_evaluate")(context, dict(data))
        except tk.ValidationError as err:
            return self._page(id, data, errors=err.error_dict)
        except tk.NotAuthorized:
            return tk.abort(403, tk._("Not authorised to see this dataset"))
        if data.get("action") != "submit":
            return self._page(id, data, evaluation=evaluation)
        try:
            request_ = tk.get_action("ldeco_access_request_create")(context, dict(data))
        except tk.ValidationError as err:
            return self._page(id, data, evaluation=evaluation, errors=err.error_dict)
        tk.h.flash_success(tk._("Your request was submitted."))
        return tk.redirect_to("ldeco_rights.request_read", id=request_["id"])


def my_access() -> Any:
    if not tk.current_user.is_authenticated:
        return _require_login(tk.url_for("ldeco_rights.my_access"))
    context = _context()
    return tk.render(
        "ldeco/rights/my_access.html",
        extra_vars={
            "requests": tk.get_action("ldeco_access_request_list")(context, {}),
            "grants": tk.get_action("ldeco_grant_list")(context, {}),
            "empowerments": tk.get_action("ldeco_empowerment_list")(context, {}),
            "accreditations": tk.get_action("ldeco_user_accreditation_list")(context, {}),
            # organisations where the user may empower members (admins only)
            "admin_orgs": tk.get_action("organization_list_for_user")(
                context, {"id": tk.current_user.id, "permission": "membership"}
            ),
            "labels": Labels(),
            # the notices to this user that wait because no mail goes out
            "mail": {**notify.mail_status(), "waiting": notify.outbox_counts(tk.current_user.id)["pending"]},
        },
    )


def queue() -> Any:
    if not tk.current_user.is_authenticated:
        return _require_login(tk.url_for("ldeco_rights.queue"))
    requests_ = tk.get_action("ldeco_access_request_list")(_context(), {"queue": True})
    return tk.render(
        "ldeco/rights/queue.html",
        extra_vars={
            "pending": [r for r in requests_ if r["state"] == "submitted"],
            "decided": [r for r in requests_ if r["state"] != "submitted"],
            "may_decide": tk.h.ldeco_requests_to_decide() is not None,
            "labels": Labels(),
        },
    )


def mail() -> Any:
    """The outbox for sysadmins: whether mail goes out, and every notice with
    its delivery state (under `make run`, what the local mail sink received)."""
    if not tk.current_user.is_authenticated:
        return _require_login(tk.url_for("ldeco_rights.mail"))
    state = tk.request.args.get("state") or None
    try:
        outbox = tk.get_action("ldeco_outbox_list")(_context(), {"state": state, "limit": 200})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only sysadmins may read the outbox"))
    except tk.ValidationError as err:
        return tk.abort(400, "; ".join(f"{k}: {' '.join(v)}" for k, v in err.error_dict.items()))
    return tk.render("ldeco/rights/mail.html", extra_vars={"outbox": outbox, "state": state})


class RequestView(MethodView):
    """One request: its handshake, events and grant; decide or withdraw it."""

    def _page(self, id: str, errors: dict[str, Any] | None = None) -> Any:
        context = _context()
        try:
            request_ = tk.get_action("ldeco_access_request_show")(context, {"id": id})
        except tk.ObjectNotFound:
            return tk.abort(404, tk._("Request not found"))
        except tk.NotAuthorized:
            return tk.abort(403, tk._("Only the requester and the publisher may see this request"))
        may_decide = request_["state"] == "submitted" and _allowed("ldeco_access_request_decide", {"id": id})
        grant = request_.get("grant")
        may_revoke = bool(
            grant and grant["state"] == "active" and _allowed("ldeco_grant_revoke", {"id": grant["id"]})
        )
        return tk.render(
            "ldeco/rights/request_read.html",
            extra_vars={
                "req": request_,
                "may_decide": may_decide,
                "may_revoke": may_revoke,
                "errors": errors or {},
                "is_requester": tk.current_user.is_authenticated
                and request_["user_id"] == tk.current_user.id,
                "labels": Labels(),
            },
        )

    def get(self, id: str) -> Any:
        if not tk.current_user.is_authenticated:
            return _require_login(tk.url_for("ldeco_rights.request_read", id=id))
        return self._page(id)

    def post(self, id: str) -> Any:
        if not tk.current_user.is_authenticated:
            return _require_login(tk.url_for("ldeco_rights.request_read", id=id))
        data = _form()
        data["id"] = id
        if data.get("action") == "revoke":
            action = "ldeco_grant_revoke"
            data = {"id": data.get("grant_id"), "reason": data.get("reason")}
        elif data.get("action") == "withdraw":
            action = "ldeco_access_request_withdraw"
        else:
            action = "ldeco_access_request_decide"
        try:
            tk.get_action(action)(_context(), data)
        except tk.ValidationError as err:
            return self._page(id, errors=err.error_dict)
        except tk.NotAuthorized as err:
            return tk.abort(403, str(err))
        tk.h.flash_success(tk._("Saved."))
        return tk.redirect_to("ldeco_rights.request_read", id=id)


class RegisterView(MethodView):
    """A register: everyone may read it; sysadmins add to it here."""

    def _page(
        self, register: str, data: dict[str, Any] | None = None, errors: dict[str, Any] | None = None
    ) -> Any:
        if register not in m.REGISTERS:
            return tk.abort(404, tk._("No such register"))
        context = _context()
        rows = tk.get_action(f"ldeco_{register}_list")(context, {})
        may_create = tk.current_user.is_authenticated and tk.current_user.sysadmin
        return tk.render(
            "ldeco/rights/register.html",
            extra_vars={
                "register": register,
                "registers": list(m.REGISTERS),
                "rows": rows,
                "may_create": may_create,
                "form_fields": ["name", "title", "description"] + REGISTER_FORM_FIELDS[register],
                "data": data or {},
                "errors": errors or {},
            },
        )

    def get(self, register: str) -> Any:
        return self._page(register)

    def post(self, register: str) -> Any:
        if register not in m.REGISTERS:
            return tk.abort(404, tk._("No such register"))
        data = _form()
        try:
            tk.get_action(f"ldeco_{register}_create")(_context(), dict(data))
        except tk.ValidationError as err:
            return self._page(register, data, err.error_dict)
        except tk.NotAuthorized:
            return tk.abort(403, tk._("Only sysadmins may change the registers"))
        tk.h.flash_success(tk._("Added {name}.").format(name=data.get("name")))
        return tk.redirect_to("ldeco_rights.register", register=register)


class EmpowermentsView(MethodView):
    """An organisation's admins empower members to act in roles, and withdraw."""

    def _page(self, id: str, errors: dict[str, Any] | None = None) -> Any:
        context = _context()
        try:
            org = tk.get_action("organization_show")(context, {"id": id, "include_datasets": False})
            empowerments = tk.get_action("ldeco_empowerment_list")(context, {"organization_id": org["id"]})
        except tk.ObjectNotFound:
            return tk.abort(404, tk._("Organisation not found"))
        except tk.NotAuthorized:
            return tk.abort(403, tk._("Only the organisation's admins may manage its empowerments"))
        members = []
        for user_id, _type, _capacity in tk.get_action("member_list")(
            {"ignore_auth": True}, {"id": org["id"], "object_type": "user"}
        ):
            user = tk.get_action("user_show")({"ignore_auth": True}, {"id": user_id})
            if user["name"] != tk.config.get("ckan.site_id"):  # the site's own user acts for no one
                members.append(user)
        return tk.render(
            "ldeco/rights/empowerments.html",
            extra_vars={
                "org": org,
                "empowerments": empowerments,
                "members": sorted(members, key=lambda u: u["name"]),
                "roles": tk.get_action("ldeco_role_list")(context, {}),
                "today": m.now().date().isoformat(),
                "errors": errors or {},
                "labels": Labels(),
            },
        )

    def get(self, id: str) -> Any:
        if not tk.current_user.is_authenticated:
            return _require_login(tk.url_for("ldeco_rights.empowerments", id=id))
        return self._page(id)

    def post(self, id: str) -> Any:
        if not tk.current_user.is_authenticated:
            return _require_login(tk.url_for("ldeco_rights.empowerments", id=id))
        data = _form()
        try:
            if data.get("action") == "withdraw":
                tk.get_action("ldeco_empowerment_withdraw")(
                    _context(), {"id": data.get("id"), "reason": data.get("reason")}
                )
            else:
                org = tk.get_action("organization_show")({"ignore_auth": True}, {"id": id})
                data["organization_id"] = org["id"]
                tk.get_action("ldeco_empowerment_create")(
                    _context(), {k: v for k, v in data.items() if k != "action"}
                )
        except tk.ObjectNotFound:
            return tk.abort(404, tk._("Not found"))
        except tk.ValidationError as err:
            return self._page(id, err.error_dict)
        except tk.NotAuthorized:
            return tk.abort(403, tk._("Only the organisation's admins may manage its empowerments"))
        tk.h.flash_success(tk._("Saved."))
        return tk.redirect_to("ldeco_rights.empowerments", id=id)


def _jsonld(action: str, id: str) -> Any:
    try:
        policy = tk.get_action(action)(_context(), {"id": id})
    except tk.ObjectNotFound as err:
        return tk.abort(404, str(err) or tk._("Not found"))
    except tk.NotAuthorized as err:
        return tk.abort(403, str(err) or tk._("Not authorised"))
    response = make_response(json.dumps(policy, ensure_ascii=False, indent=2))
    response.headers["Content-Type"] = "application/ld+json; charset=utf-8"
    return response


def odrl_offer(id: str) -> Any:
    return _jsonld("ldeco_odrl_offer_show", id)


def odrl_agreement(id: str) -> Any:
    return _jsonld("ldeco_odrl_agreement_show", id)


rights.add_url_rule("/dataset/<id>/odrl.jsonld", view_func=odrl_offer)
rights.add_url_rule("/access/grant/<id>/odrl.jsonld", view_func=odrl_agreement)
rights.add_url_rule("/dataset/<id>/request-access", view_func=RequestAccessView.as_view("request_access"))
rights.add_url_rule("/access/my", view_func=my_access)
rights.add_url_rule("/organization/<id>/empowerments", view_func=EmpowermentsView.as_view("empowerments"))
rights.add_url_rule("/access/queue", view_func=queue)
rights.add_url_rule("/access/mail", view_func=mail)
rights.add_url_rule("/access/request/<id>", view_func=RequestView.as_view("request_read"))
rights.add_url_rule("/access/registers/<register>", view_func=RegisterView.as_view("register"))


def get_blueprints() -> list[Blueprint]:
    return [rights]
