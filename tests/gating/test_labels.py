"""The cheaper permission labels are core's labels, for every kind of user."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.lib.plugins import DefaultPermissionLabels, get_permission_labels
from ckan.tests import factories

from ckanext.ldeco.gating.labels import LdecoPermissionLabels


def _same(user_obj) -> list[str]:
    ours = LdecoPermissionLabels().get_user_dataset_labels(user_obj)
    cores = DefaultPermissionLabels().get_user_dataset_labels(user_obj)
    assert sorted(ours) == sorted(cores)
    assert len(ours) == len(set(ours))
    return ours


def _site() -> dict:
    return {"ignore_auth": True, "user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}


def _member(org, user, role):
    tk.get_action("organization_member_create")(_site(), {
        "id": org["id"], "username": user["name"], "role": role})


@pytest.fixture
def people(portal):
    parent, child, other, gone = (factories.Organization() for _ in range(4))
    group = factories.Group()
    users = {kind: factories.User() for kind in ("member", "editor", "admin", "many", "nobody", "left")}
    _member(other, users["member"], "member")
    _member(other, users["editor"], "editor")
    _member(parent, users["admin"], "admin")
    _member(parent, users["many"], "member")
    _member(other, users["many"], "admin")
    _member(gone, users["many"], "editor")
    tk.get_action("organization_delete")(_site(), {"id": gone["id"]})
    tk.get_action("group_member_create")(_site(), {
        "id": group["id"], "username": users["many"]["name"], "role": "member"})
    _member(other, users["left"], "editor")
    tk.get_action("organization_member_delete")(_site(), {
        "id": other["id"], "username": users["left"]["name"]})
    # child sits below parent: admins of parent reach it (roles that cascade)
    tk.get_action("member_create")(_site(), {"id": child["id"], "object": parent["id"], "object_type": "group",
                                             "capacity": "parent"})
    assert [g[0] for g in model.Group.get(parent["id"]).get_children_group_hierarchy(type="organization")] == [
        child["id"]]
    return {"orgs": (parent, child, other, gone), "users": users, "sysadmin": factories.Sysadmin()}


def test_the_portal_uses_the_cheaper_labels(portal):
    from ckanext.ldeco.plugin import LdecoPlugin

    assert isinstance(get_permission_labels(), LdecoPlugin)  # the first IPermissionLabels plugin counts
    user = factories.User()
    assert get_permission_labels().get_user_dataset_labels(model.User.get(user["id"])) == [
        "public", f"creator-{user['id']}"]


def test_anonymous(portal):
    assert _same(None) == ["public"]
    assert _same(model.AnonymousUser()) == ["public"]


def test_members_editors_admins_and_those_who_left(people):
    parent, child, other, gone = people["orgs"]
    users = people["users"]
    labels = {kind: set(_same(model.User.get(u["id"]))) for kind, u in users.items()}
    assert f"member-{other['id']}" in labels["member"] and f"member-{other['id']}" in labels["editor"]
    # an admin of the parent reaches the organisation below it; a member does not
    assert {f"member-{parent['id']}", f"member-{child['id']}"} <= labels["admin"]
    assert f"member-{child['id']}" not in labels["many"]
    # neither a deleted organisation nor a group is a label; nor a membership that ended
    assert f"member-{gone['id']}" not in labels["many"]
    assert labels["nobody"] == labels["left"] - {f"creator-{users['left']['id']}"} | {
        f"creator-{users['nobody']['id']}"} == {"public", f"creator-{users['nobody']['id']}"}


def test_sysadmins_reach_every_active_organisation(people):
    parent, child, other, gone = people["orgs"]
    labels = set(_same(model.User.get(people["sysadmin"]["id"])))
    assert {f"member-{o['id']}" for o in (parent, child, other)} <= labels
    assert f"member-{gone['id']}" not in labels


@pytest.mark.ckan_config("ckan.auth.allow_dataset_collaborators", True)
def test_collaborators(people):
    parent, _child, _other, _gone = people["orgs"]
    dataset = factories.Dataset(owner_org=parent["id"], private=True, layer="operational")
    for capacity, kind in (("editor", "nobody"), ("member", "member")):
        tk.get_action("package_collaborator_create")(_site(), {
            "id": dataset["id"], "user_id": people["users"][kind]["id"], "capacity": capacity})
        labels = _same(model.User.get(people["users"][kind]["id"]))
        assert f"collaborator-{dataset['id']}" in labels
