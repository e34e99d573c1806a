"""Typed inputs: every ldeco_* action, through the real API, answers bad
input with a clear 409 (naming the parameter), 404 or 403, never a 500, and
writes nothing when it refuses."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan.tests import factories

from ckanext.ldeco import inputs
from ckanext.ldeco import plugin as ldeco_plugin
from tests.rights.conftest import call, request_data, world  # noqa: F401 (world is a fixture)

NUL = "a\u0000b"
HUGE = "x" * (inputs.MAX_TEXT + 1)


def _row(action: str, params: dict[str, Any] | None, who: str | None, status: int, named: str, get: str = ""):
    return pytest.param(action, params, who, status, named, get, id=f"{action}:{named}:{who or 'anon'}")


# (action, JSON body, caller, status, what the answer must name, or a query string for a GET)
# Callers: None (anonymous), and the names of the people of the `inputs_world` fixture.
TABLE = [
    # ---- the 500s found by probing the running portal
    _row("ldeco_concept_show", {"id": 123}, None, 409, "id"),
    _row("ldeco_role_show", {"id": 123}, None, 409, "id"),
    _row("ldeco_quality_show", {"id": 123}, None, 409, "id"),
    _row("ldeco_purpose_show", None, None, 409, "id", get="id=a&id=b"),
    _row("ldeco_access_request_list", {"queue": True}, None, 403, "Sign in"),
    _row("ldeco_grant_list", {"dataset_id": 1}, "officer", 409, "dataset_id"),
    _row("ldeco_user_accreditation_list", {}, None, 403, "Sign in"),
    # ---- dictionary
    _row("ldeco_concept_show", {"id": ["case", "person"]}, None, 409, "id"),
    _row("ldeco_concept_show", {"id": NUL}, None, 409, "id"),
    _row("ldeco_concept_show", {"id": "x" * 5000}, None, 409, "id"),
    _row("ldeco_concept_show", {"id": "case", "rows": "many"}, None, 409, "rows"),
    _row("ldeco_concept_show", {"id": "case", "rows": -1}, None, 409, "rows"),
    _row("ldeco_concept_show", {"id": "case", "rows": 10**6}, None, 409, "rows"),
    _row("ldeco_concept_show", {"id": "case", "include_datasets": "perhaps"}, None, 409, "include_datasets"),
    _row("ldeco_concept_show", {"id": "no-such-concept"}, None, 404, "no-such-concept"),
    _row("ldeco_concept_list", {"q": ["x"]}, None, 409, "q"),
    _row("ldeco_concept_list", {"layer": 5}, None, 409, "layer"),
    _row("ldeco_concept_list", {"theme": NUL}, None, 409, "theme"),
    _row("ldeco_concept_list", {"q": HUGE}, None, 409, "q"),
    _row("ldeco_code_list_show", {"id": {"a": 1}}, None, 409, "id"),
    _row("ldeco_code_list_show", {"id": "no-such-list"}, None, 404, "no-such-list"),
    _row("ldeco_pack_list", {}, None, 200, ""),
    _row("ldeco_pack_export", {"id": 123}, None, 409, "id"),
    _row("ldeco_pack_export", {"id": "no-such-pack"}, None, 404, "no-such-pack"),
    _row("ldeco_pack_import", {"pack": "pack: x"}, None, 403, "stewards"),
    _row("ldeco_pack_import", {"pack": ["pack: x"]}, "sysadmin", 409, "pack"),
    _row("ldeco_pack_import", {"pack": "p" * (inputs.MAX_PACK + 1)}, "sysadmin", 409, "pack"),
    _row("ldeco_pack_import", {"pack": "pack: a\u0000"}, "sysadmin", 409, "pack"),
    _row("ldeco_steward_grant", {"user": "officer"}, "officer", 403, "sysadmins"),
    _row("ldeco_steward_grant", {"user": ["olu-officer"]}, "sysadmin", 409, "user"),
    _row("ldeco_steward_grant", {"user": "nobody-at-all"}, "sysadmin", 404, "nobody-at-all"),
    _row("ldeco_steward_revoke", {"user": 5}, "sysadmin", 409, "user"),
    _row("ldeco_steward_list", {}, None, 403, "sysadmins"),
    _row("ldeco_quality_show", {"id": ["a"]}, None, 409, "id"),
    _row("ldeco_quality_check", {"id": 7}, "sysadmin", 409, "id"),
    _row("ldeco_quality_check", {"id": NUL}, "sysadmin", 409, "id"),
    # ---- rights: registers (the same five shapes for each register)
    _row("ldeco_role_show", {"id": NUL}, None, 409, "id"),
    _row("ldeco_role_show", {"id": "no-such-role"}, None, 404, "no-such-role"),
    _row("ldeco_purpose_show", {"id": {"name": "x"}}, None, 409, "id"),
    _row("ldeco_legal_gateway_show", {"id": 1.5}, None, 409, "id"),
    _row("ldeco_accreditation_show", {"id": "no-such-accreditation"}, None, 404, "no-such-accreditation"),
    _row("ldeco_schedule_show", {"id": True}, None, 409, "id"),
    _row("ldeco_role_list", {}, None, 200, ""),
    _row("ldeco_purpose_list", {}, None, 200, ""),
    _row("ldeco_legal_gateway_list", {}, None, 200, ""),
    _row("ldeco_accreditation_list", {}, None, 200, ""),
    _row("ldeco_schedule_list", {"dataset_id": 1}, None, 409, "dataset_id"),
    _row("ldeco_schedule_list", {"organization_id": ["a", "b"]}, None, 409, "organization_id"),
    _row("ldeco_role_create", {"name": "spy", "title": "Spy"}, "officer", 403, "sysadmins"),
    _row("ldeco_role_create", {"name": "r1", "title": ["a"]}, "sysadmin", 409, "title"),
    _row("ldeco_role_create", {"name": "r2", "title": HUGE}, "sysadmin", 409, "title"),
    _row("ldeco_role_create", {"name": 5, "title": "T"}, "sysadmin", 409, "name"),
    _row("ldeco_purpose_create", {"name": "p1", "title": NUL}, "sysadmin", 409, "title"),
    _row("ldeco_purpose_create", {"name": "p1", "title": "P", "dpv_purpose": [1]}, "sysadmin", 409, "dpv_purpose"),
    _row("ldeco_legal_gateway_create", {"name": "g1", "title": "G", "review_date": ["2026-01-01"]},
         "sysadmin", 409, "review_date"),
    _row("ldeco_accreditation_create", {"name": "a1", "title": "A", "validity_days": True},
         "sysadmin", 409, "validity_days"),
    _row("ldeco_accreditation_create", {"name": "a2", "title": "A", "validity_days": 10**12},
         "sysadmin", 409, "validity_days"),
    _row("ldeco_schedule_create", {"name": "s1", "title": "S", "dataset_id": ["a"]}, "pat", 409, "dataset_id"),
    _row("ldeco_schedule_create", {"name": "s1", "title": "S", "organization_id": {"id": "x"}},
         "pat", 409, "organization_id"),
    _row("ldeco_schedule_create", {"name": "s1", "title": "S", "dataset_id": "family-cases",
                                   "terms": NUL}, "pat", 409, "terms"),
    _row("ldeco_schedule_create", {"name": "s1", "title": "S", "dataset_id": "family-cases"}, None, 403,
         "schedules"),
    # an outsider learns nothing from the look-ups: refused before any is made
    _row("ldeco_schedule_create", {"name": "s2", "title": "S", "dataset_id": "no-such-dataset"}, None, 403,
         "schedules"),
    _row("ldeco_schedule_create", {"name": "s2", "title": "S", "dataset_id": "no-such-dataset"}, "tom", 403,
         "schedules"),
    _row("ldeco_empowerment_create", {"user_id": "nobody-at-all", "organization_id": "greater-manchester-police",
                                      "role": "no-such-role", "start_date": "2026-01-01"}, "tom", 403, "admins"),
    _row("ldeco_role_update", {"id": 123, "title": "x"}, "sysadmin", 409, "id"),
    _row("ldeco_role_update", {"id": "no-such-role", "title": "x"}, "sysadmin", 404, "no-such-role"),
    _row("ldeco_purpose_update", {"id": "family-support", "title": ["x"]}, "sysadmin", 409, "title"),
    _row("ldeco_legal_gateway_update", {"id": "cda1998-s115", "statute": NUL}, "sysadmin", 409, "statute"),
    _row("ldeco_accreditation_update", {"id": "bpss", "title": "x"}, "officer", 403, "sysadmins"),
    _row("ldeco_schedule_update", {"id": ["family-cases-schedule"]}, "pat", 409, "id"),
    _row("ldeco_schedule_update", {"id": "family-cases-schedule", "max_grant_days": "lots"}, "pat", 409,
         "max_grant_days"),
    _row("ldeco_schedule_update", {"id": "family-cases-schedule", "auto_approve": "sometimes"}, "pat", 409,
         "auto_approve"),
    _row("ldeco_schedule_update", {"id": "family-cases-schedule", "dataset_id": 9}, "pat", 409, "dataset_id"),
    _row("ldeco_schedule_update", {"id": "family-cases-schedule", "title": "Mine"}, "tom", 403, "schedules"),
    # ---- accreditations held
    _row("ldeco_user_accreditation_list", {"user_id": 5}, "officer", 409, "user_id"),
    _row("ldeco_user_accreditation_list", {"user_id": "nobody-at-all"}, "sysadmin", 404, "nobody-at-all"),
    _row("ldeco_user_accreditation_create", {"user_id": ["a"], "accreditation": "bpss", "awarded": "2026-01-01"},
         "sysadmin", 409, "user_id"),
    _row("ldeco_user_accreditation_create", {"user_id": "olu-officer", "accreditation": "bpss",
                                             "awarded": "2026-01-01", "evidence": NUL}, "sysadmin", 409,
         "evidence"),
    _row("ldeco_user_accreditation_create", {"user_id": "olu-officer", "accreditation": "bpss",
                                             "awarded": "2026-01-01"}, None, 403, "sysadmins"),
    _row("ldeco_user_accreditation_delete", {"id": 123}, "sysadmin", 409, "id"),
    _row("ldeco_user_accreditation_delete", {"id": "no-such-record"}, "sysadmin", 404, "no-such-record"),
    # ---- empowerment
    _row("ldeco_empowerment_list", {}, None, 403, "Sign in"),
    _row("ldeco_empowerment_list", {"organization_id": 5}, "police_admin", 409, "organization_id"),
    _row("ldeco_empowerment_list", {"organization_id": "no-such-org"}, "police_admin", 404, "no-such-org"),
    _row("ldeco_empowerment_list", {"user_id": ["x"]}, "sysadmin", 409, "user_id"),
    _row("ldeco_empowerment_list", {"user_id": "nobody-at-all"}, "sysadmin", 404, "nobody-at-all"),
    _row("ldeco_empowerment_list", {"active_only": "sometimes"}, "officer", 409, "active_only"),
    _row("ldeco_empowerment_create", {"user_id": "olu-officer", "organization_id": ["x"],
                                      "role": "key-worker", "start_date": "2026-01-01"}, "police_admin", 409,
         "organization_id"),
    _row("ldeco_empowerment_create", {"user_id": "olu-officer", "organization_id": "greater-manchester-police",
                                      "role": "key-worker", "start_date": "2026-01-01"}, None, 403,
         "admins"),
    _row("ldeco_empowerment_withdraw", {"id": 123, "reason": "r"}, "police_admin", 409, "id"),
    _row("ldeco_empowerment_withdraw", {"id": "no-such-empowerment", "reason": "r"}, "sysadmin", 404,
         "no-such-empowerment"),
    _row("ldeco_empowerment_withdraw", {"id": "$empowerment", "reason": ["r"]}, "police_admin", 409, "reason"),
    # ---- handshake and requests
    _row("ldeco_handshake_evaluate", "$request", None, 403, "Sign in"),
    _row("ldeco_handshake_evaluate", "$request+empowerment_id=5", "officer", 409, "empowerment_id"),
    _row("ldeco_handshake_evaluate", "$request+accept_terms=perhaps", "officer", 409, "accept_terms"),
    _row("ldeco_handshake_evaluate", "$request+dataset_id=list", "officer", 409, "dataset_id"),
    _row("ldeco_handshake_evaluate", "$request+data_items=ints", "officer", 409, "data_items"),
    _row("ldeco_access_request_create", "$request", None, 403, "Sign in"),
    _row("ldeco_access_request_create", "$request+justification=nul", "officer", 409, "justification"),
    _row("ldeco_access_request_create", "$request+justification=huge", "officer", 409, "justification"),
    _row("ldeco_access_request_create", "$request+submit=perhaps", "officer", 409, "submit"),
    _row("ldeco_access_request_bundle_create", {"parts": [{"dataset_id": "family-cases"}]}, None, 403,
         "Sign in"),
    _row("ldeco_access_request_bundle_create", {"parts": "family-cases"}, "officer", 409, "parts"),
    _row("ldeco_access_request_bundle_create", {"parts": [{"dataset_id": 5}]}, "officer", 409, "parts"),
    _row("ldeco_access_request_bundle_create", {"parts": [{"dataset_id": "family-cases"}],
                                                "justification": NUL}, "officer", 409, "justification"),
    _row("ldeco_access_request_submit", {"id": 123}, "officer", 409, "id"),
    _row("ldeco_access_request_submit", {"id": "no-such-request"}, "officer", 404, "no-such-request"),
    _row("ldeco_access_request_submit", {"id": "$draft", "accept_terms": "perhaps"}, "officer", 409,
         "accept_terms"),
    _row("ldeco_access_request_submit", {"id": "$draft"}, None, 403, "requester"),
    _row("ldeco_access_request_show", {"id": 123}, "officer", 409, "id"),
    _row("ldeco_access_request_show", {"id": "no-such-request"}, "officer", 404, "no-such-request"),
    _row("ldeco_access_request_list", {"state": ["submitted"]}, "officer", 409, "state"),
    _row("ldeco_access_request_list", {"bundle_id": 5}, "officer", 409, "bundle_id"),
    _row("ldeco_access_request_list", {"queue": "perhaps"}, "officer", 409, "queue"),
    _row("ldeco_access_request_decide", {"id": 123, "decision": "rejected", "reason": "r"}, "editor", 409, "id"),
    _row("ldeco_access_request_decide", {"id": "$draft", "decision": "rejected", "reason": NUL}, "editor", 409,
         "reason"),
    _row("ldeco_access_request_decide", {"id": "no-such-request", "decision": "rejected", "reason": "r"},
         "editor", 404, "no-such-request"),
    _row("ldeco_access_request_withdraw", {"id": ["$draft"], "reason": "r"}, "officer", 409, "id"),
    _row("ldeco_access_request_withdraw", {"id": "$draft", "reason": HUGE}, "officer", 409, "reason"),
    # ---- grants
    _row("ldeco_grant_list", {}, None, 403, "Sign in"),
    _row("ldeco_grant_list", {"dataset_id": "no-such-dataset"}, "editor", 404, "no-such-dataset"),
    _row("ldeco_grant_revoke", {"id": 123, "reason": "r"}, "editor", 409, "id"),
    _row("ldeco_grant_revoke", {"id": "no-such-grant", "reason": "r"}, "editor", 404, "no-such-grant"),
    _row("ldeco_grant_revoke", {"id": "$grant", "reason": NUL}, "editor", 409, "reason"),
    _row("ldeco_grant_revoke", {"id": "$grant", "reason": "r"}, None, 403, "publisher"),
    _row("ldeco_odrl_offer_show", {"id": 123}, None, 409, "id"),
    _row("ldeco_odrl_offer_show", {"id": "no-such-dataset"}, None, 404, "no-such-dataset"),
    _row("ldeco_odrl_agreement_show", {"id": 123}, "officer", 409, "id"),
    _row("ldeco_odrl_agreement_show", {"id": "no-such-grant"}, "officer", 404, "no-such-grant"),
    # ---- audit
    _row("ldeco_audit_list", {}, None, 403, "audit"),
    _row("ldeco_audit_list", {"dataset_id": 5}, "sysadmin", 409, "dataset_id"),
    _row("ldeco_audit_list", {"dataset_id": "no-such-dataset"}, "sysadmin", 404, "no-such-dataset"),
    _row("ldeco_audit_list", {"limit": "lots"}, "sysadmin", 409, "limit"),
    _row("ldeco_audit_list", {"offset": [1]}, "sysadmin", 409, "offset"),
    _row("ldeco_audit_verify", {}, None, 403, "sysadmins"),
    # ---- the golden thread
    _row("ldeco_thread_show", {"id": ["a", "b"]}, None, 409, "id"),
    _row("ldeco_thread_show", {"id": "no-such-dataset"}, None, 404, "no-such-dataset"),
    _row("ldeco_thread_show", {"id": "x", "depth": 99}, None, 409, "depth"),
    # ---- records of a concept
    _row("ldeco_records_search", {"concept": 5}, None, 409, "concept"),
    _row("ldeco_records_search", {"concept": "no-such-concept"}, None, 404, "no-such-concept"),
    _row("ldeco_records_search", {"concept": "case", "filters": "{not json"}, None, 409, "filters"),
    _row("ldeco_records_search", {"concept": "case", "filters": {"status": {"above": 1}}}, None, 409, "filters"),
    _row("ldeco_records_search", {"concept": "case", "limit": "all"}, None, 409, "limit"),
    _row("ldeco_records_search", {"concept": "case", "cursor": "not-a-cursor"}, None, 409, "cursor"),
    # a well-formed cursor with a field of the wrong type ({"r": "x", "a": "y"}, encoded)
    _row("ldeco_records_search", {"concept": "case", "cursor": "eyJhIjogInkiLCAiciI6ICJ4In0="}, None, 409,
         "cursor"),
    _row("ldeco_records_aggregate", {"concept": "case"}, None, 409, "group_by"),
    _row("ldeco_records_aggregate", {"concept": "case", "group_by": [5]}, None, 409, "group_by"),
    _row("ldeco_records_aggregate", {"concept": "case", "group_by": ["status"], "filters": {"status": {"from": 1}}},
         None, 409, "filters"),
    _row("ldeco_records_aggregate", {"concept": "no-such-concept", "group_by": ["status"]}, None, 404,
         "no-such-concept"),
    _row("ldeco_statistic_create", {"dataset_id": 5, "concept": "case", "group_by": ["status"], "name": "x"},
         "editor", 409, "dataset_id"),
    _row("ldeco_statistic_create", {"dataset_id": "no-such-dataset", "concept": "case", "group_by": ["status"],
                                    "name": "x"}, "editor", 404, "no-such-dataset"),
    _row("ldeco_statistic_create", {"dataset_id": "family-cases", "concept": "case", "group_by": ["status"],
                                    "name": "x"}, "officer", 403, "publishers"),
    _row("ldeco_statistic_derive", {"id": ["a"]}, "editor", 409, "id"),
    _row("ldeco_statistic_derive", {"id": "no-such-resource"}, "editor", 403, "publishers"),
    # ---- the outbox
    _row("ldeco_outbox_list", {}, "officer", 403, "sysadmins"),
    _row("ldeco_outbox_list", {"state": "lost"}, "sysadmin", 409, "state"),
    _row("ldeco_outbox_list", {"limit": [5]}, "sysadmin", 409, "limit"),
    _row("ldeco_outbox_list", {"limit": 0}, "sysadmin", 409, "limit"),
]

_REQUEST_EDITS: dict[str, tuple[str, Any]] = {
    "empowerment_id=5": ("empowerment_id", 5),
    "accept_terms=perhaps": ("accept_terms", "perhaps"),
    "dataset_id=list": ("dataset_id", ["family-cases", "family-cases"]),
    "data_items=ints": ("data_items", [1, 2]),
    "justification=nul": ("justification", NUL),
    "justification=huge": ("justification", HUGE),
    "submit=perhaps": ("submit", "perhaps"),
}


@pytest.fixture
def inputs_world(world):  # noqa: F811 (the fixture imported above)
    """The rights world, plus a second publisher (Bolton), a grant and a draft request."""
    tom = factories.User(name="tom-publisher", image_url="")
    factories.Organization(name="bolton-council", agency_kind="council",
                           users=[{"name": tom["name"], "capacity": "admin"}])
    made = call("ldeco_access_request_create", world.officer, **request_data(world))
    grant = call("ldeco_access_request_decide", world.editor, id=made["id"], decision="approved",
                 reason="ok")["grant"]
    draft = call("ldeco_access_request_create", world.officer, **request_data(world), submit=False)
    people = {"sysadmin": world.sysadmin, "pat": world.publisher_admin, "editor": world.editor,
              "officer": world.officer, "police_admin": world.police_admin, "tom": tom}
    tokens = {who: factories.APIToken(user=user["name"])["token"] for who, user in people.items()}
    return SimpleNamespace(w=world, tokens=tokens, grant=grant, draft=draft)


def _fill(value: Any, iw: SimpleNamespace) -> Any:
    refs = {"$grant": iw.grant["id"], "$draft": iw.draft["id"], "$empowerment": iw.w.empowerment["id"]}
    if isinstance(value, str):
        return refs.get(value, value)
    if isinstance(value, list):
        return [_fill(v, iw) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, iw) for k, v in value.items()}
    return value


def _params(params: Any, iw: SimpleNamespace) -> dict[str, Any] | None:
    if isinstance(params, str) and params.startswith("$request"):
        data = request_data(iw.w)
        data["dataset_id"] = iw.w.dataset["name"]
        if "+" in params:
            key, value = _REQUEST_EDITS[params.split("+", 1)[1]]
            data[key] = value
        return data
    return _fill(params, iw)


def ldeco_row_counts() -> dict[str, int]:
    """Rows in each of ldeco's tables (the audit trail among them)."""
    model.Session.remove()
    with model.meta.engine.connect() as conn:
        tables = [t for t in sa.inspect(conn).get_table_names() if t.startswith("ldeco_")]
        return {t: conn.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}


def _named(body: dict[str, Any], named: str) -> bool:
    error = body.get("error") or {}
    return named in error or named in str(error.get("message", "")) or named in str(error)


def test_bad_input_is_a_clear_4xx_naming_the_parameter_and_writes_nothing(inputs_world, app):
    iw = inputs_world
    wrong = []
    for case in TABLE:
        action, params, who, status, named, get = case.values
        headers = {"Authorization": iw.tokens[who]} if who else {}
        before = ldeco_row_counts()
        if get:
            res = app.get(f"/api/3/action/{action}?{get}", headers=headers)
        else:
            res = app.post(f"/api/3/action/{action}", json=_params(params, iw), headers=headers)
        after = ldeco_row_counts()
        body = res.get_json(silent=True) or {}
        problems = []
        if res.status_code != status:
            problems.append(f"status {res.status_code}, not {status}")
        if status != 200 and not _named(body, named):
            problems.append(f"does not name {named!r}")
        if status != 200 and before != after:
            problems.append(f"wrote {[t for t in after if after[t] != before.get(t)]}")
        if problems:
            wrong.append(f"{case.id}: {'; '.join(problems)} — {str(body.get('error'))[:200]}")
    assert not wrong, "\n".join(wrong)


def test_every_ldeco_action_is_in_the_table_and_declares_its_schema():
    actions = {name: fn for name, fn in ldeco_plugin._actions().items() if name.startswith("ldeco_")}
    tabled = {case.values[0] for case in TABLE}
    assert sorted(set(actions) - tabled) == []
    assert sorted(name for name, fn in actions.items() if not callable(getattr(fn, "ldeco_schema", None))) == []


def test_an_action_without_a_schema_is_refused_at_load():
    def ldeco_sneaky(context, data_dict):
        return {}

    with pytest.raises(inputs.UndeclaredParameters, match="ldeco_sneaky"):
        inputs.require_schemas({"ldeco_sneaky": ldeco_sneaky})


def test_validators_refuse_the_shapes_that_break_the_database():
    text = inputs.ldeco_text
    assert text("plain", {}) == "plain"
    for bad in (["a"], {"a": 1}, True, NUL, HUGE):
        with pytest.raises(tk.Invalid):
            text(bad, {})
    assert inputs.ldeco_id("a-name", {}) == "a-name"
    for bad in (123, ["a"], NUL, "x" * (inputs.MAX_ID + 1)):
        with pytest.raises(tk.Invalid):
            inputs.ldeco_id(bad, {})
    assert inputs.ldeco_boolean("true", {}) is True and inputs.ldeco_boolean(False, {}) is False
    with pytest.raises(tk.Invalid):
        inputs.ldeco_boolean("perhaps", {})
