"""Permission labels a signed-in user may see, computed as core computes them
but with one query in the common case.

Core asks organization_list_for_user, which looks the user up twice more and
dictizes every organisation, on every search by a signed-in caller. Only the
organisations' ids are needed. The rules are core's, kept exactly (and
proven equal in tests/gating/test_labels.py): memberships with a role that
may read, organisations only, active only; roles that cascade reach the
organisations below; sysadmins reach every active organisation;
collaborators are labelled as core labels them.
"""
from __future__ import annotations

from typing import Any

import ckan.authz as authz  # role tables and config permissions have no toolkit door
import ckan.model as model  # the session is core's; the toolkit has no door to it
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib.plugins import DefaultPermissionLabels

__all__ = ["LdecoPermissionLabels"]


# Written out: every search by a signed-in caller asks it (and SQLAlchemy
# would compile the ORM form afresh each time).
_MEMBERSHIPS = sa.text("""
    SELECT m.group_id, m.capacity, g.is_organization, g.state
      FROM member m JOIN "group" g ON g.id = m.group_id
     WHERE m.table_name = 'user' AND m.table_id = :user_id AND m.state = 'active'
       AND m.capacity = ANY(:roles)""")


def _organisation_ids(user_obj: Any) -> set[str]:
    orgs = model.Session.query(model.Group.id).filter(model.Group.is_organization.is_(True),
                                                       model.Group.state == "active")
    if user_obj.sysadmin:
        return {row[0] for row in orgs}
    roles = authz.get_roles_with_permission("read")
    if not roles:
        return set()
    rows = model.Session.execute(_MEMBERSHIPS, {"user_id": user_obj.id, "roles": list(roles)}).fetchall()
    ids = {group_id for group_id, _cap, is_org, state in rows if is_org and state == "active"}
    cascade = authz.check_config_permission("roles_that_cascade_to_sub_groups") or []
    below: set[str] = set()
    for group_id, capacity, _is_org, _state in rows:
        if capacity in cascade:
            group = model.Group.get(group_id)
            below |= {child[0] for child in group.get_children_group_hierarchy(type="organization")}
    below -= ids
    if below:  # core keeps only active organisations among them
        ids |= {row[0] for row in orgs.filter(model.Group.id.in_(below))}
    return ids


class LdecoPermissionLabels(DefaultPermissionLabels):
    """Dataset labels are core's; user labels are core's, computed cheaper."""

    def get_user_dataset_labels(self, user_obj: Any) -> list[str]:
        labels = ["public"]
        if not user_obj or user_obj.is_anonymous:
            return labels
        labels.append(f"creator-{user_obj.id}")
        labels.extend(f"member-{org_id}" for org_id in sorted(_organisation_ids(user_obj)))
        if authz.check_config_permission("allow_dataset_collaborators"):
            datasets = tk.get_action("package_collaborator_list_for_user")({"ignore_auth": True},
                                                                           {"id": user_obj.id})
            labels.extend(f"collaborator-{d['package_id']}" for d in datasets)
        return labels
