"""Dictionary stewards: users a sysadmin has allowed to import packs."""
from __future__ import annotations

import ckan.model as model  # the session is core's; the toolkit has no door to it

from ckanext.ldeco.dictionary import model as dm

__all__ = ["is_steward", "grant", "revoke", "all_stewards"]


def is_steward(user_id: str) -> bool:
    return model.Session.query(dm.Steward).filter(dm.Steward.user_id == user_id).count() > 0


def grant(user_id: str, granted_by: str) -> dm.Steward:
    row = model.Session.query(dm.Steward).filter(dm.Steward.user_id == user_id).one_or_none()
    if row is None:
        row = dm.Steward(user_id=user_id, granted_by=granted_by)
        model.Session.add(row)
        model.Session.commit()
    return row


def revoke(user_id: str) -> bool:
    n = model.Session.query(dm.Steward).filter(dm.Steward.user_id == user_id).delete()
    model.Session.commit()
    return bool(n)


def all_stewards() -> list[dm.Steward]:
    return model.Session.query(dm.Steward).order_by(dm.Steward.granted_at).all()
