"""Every channel decides through the one auth function, `ldeco_resource_access`,
asked with tk.check_access after core's dataset visibility; and an access a
person sees is one audit record."""
from __future__ import annotations

import ckan.authz as authz
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from tests.gating.conftest import TABLE_DATA
from tests.gating.test_leaks import _api


def _download(app, world, resource, who="officer", suffix=""):
    return app.get(f"/dataset/{world.dataset['name']}/resource/{resource['id']}/download{suffix}",
                   headers=world.token(who), follow_redirects=False)


def _access_records(world) -> list[tuple[str, str]]:
    trail = tk.get_action("ldeco_audit_list")({"user": world.publisher["name"]},
                                              {"dataset_id": world.dataset["id"]})
    return [(e["event"], e["outcome"]) for e in reversed(trail) if e["event"].startswith("access.")]


@pytest.fixture
def refusing_rule(monkeypatch):
    """Another plugin's rule chained onto ours (as IAuthFunctions chaining
    would register it): refuse every access, whatever our decision says."""
    def refuse(context, data_dict):
        return {"success": False, "msg": "refused by another plugin's rule"}

    functions = authz._AuthFunctions
    functions._build()
    monkeypatch.setitem(functions._functions, "ldeco_resource_access", refuse)


def test_a_rule_chained_to_the_auth_function_governs_every_channel(app, world, grant_for, refusing_rule):
    grant_for(["family_id", "ward", "headline_problem", "key_worker"])  # everything
    assert _download(app, world, world.link).status_code == 403
    assert _download(app, world, world.upload, suffix="/families.csv").status_code == 403
    _api(app, world, "officer", "datastore_search", status=403, resource_id=world.table["id"])
    _api(app, world, "officer", "datastore_info", status=403, id=world.table["id"])
    dump = app.get(f"/datastore/dump/{world.table['id']}", headers=world.token("officer"))
    assert dump.status_code in (403, 404) and TABLE_DATA not in dump.get_data(as_text=True)


def test_a_private_datasets_open_resource_is_not_granted_to_outsiders(portal):
    org = factories.Organization()
    dataset = factories.Dataset(owner_org=org["id"], private=True, access_level="open", layer="statistical",
                                notes="Counts.")
    resource = factories.Resource(package_id=dataset["id"], url="http://127.0.0.1:9/open.csv")
    outsider = factories.User()
    with pytest.raises(tk.NotAuthorized):
        tk.check_access("ldeco_resource_access", {"user": outsider["name"]}, {"id": resource["id"]})
    with pytest.raises(tk.NotAuthorized):
        tk.check_access("ldeco_resource_access", {"user": ""}, {"id": resource["id"]})
    member = factories.User()
    tk.get_action("organization_member_create")({"ignore_auth": True}, {
        "id": org["id"], "username": member["name"], "role": "member"})
    assert tk.check_access("ldeco_resource_access", {"user": member["name"]}, {"id": resource["id"]})


def test_a_download_cut_to_the_granted_columns_is_one_record(app, world, grant_for, ckan_config, monkeypatch):
    # small pages, so that the dump takes several searches
    monkeypatch.setattr("ckanext.datastore.blueprint.PAGINATE_BY", 1)
    tk.get_action("datastore_upsert")({"ignore_auth": True}, {
        "resource_id": world.table["id"], "method": "insert", "force": True,
        "records": [{"family_id": f"F-{n}", "ward": "E05011368", "headline_problem": "crime",
                     "key_worker": TABLE_DATA} for n in range(2, 5)]})
    grant_for(["family_id", "ward"])
    before = _access_records(world)
    redirect = _download(app, world, world.table)
    assert redirect.status_code == 302
    dump = app.get(redirect.headers["Location"], headers=world.token("officer"))
    assert dump.status_code == 200 and dump.get_data(as_text=True).count("F-") == 4
    assert _access_records(world)[len(before):] == [("access.datastore_dump", "allowed")]
