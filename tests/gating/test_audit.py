"""The audit trail is appended by the database (lock, head, hash, insert in
one statement); the application's own verification must agree with it, and
appends racing from several connections must never fork the chain."""
from __future__ import annotations

import threading

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa

from ckanext.ldeco.audit import model as audit


def _verify() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return tk.get_action("ldeco_audit_verify")({"user": site_user}, {})


@pytest.mark.usefixtures("clean_db")
def test_the_database_chains_records_as_the_application_verifies_them():
    first = audit.append("access.download", "refused", actor="ann", dataset_id="d-1",
                         detail={"reason": "Zoë's grant expired", "items": ["ward", "family_id"]})
    second = audit.append("access.download", "allowed", actor="bob", detail={})
    assert (first["seq"], second["seq"]) == (1, 2)
    assert first["prev_hash"] == audit.GENESIS and second["prev_hash"] == first["hash"]
    # the hash the database wrote is the one the application computes
    assert first["hash"] == audit._digest(audit.GENESIS, first)
    assert _verify() == {"intact": True, "checked": 2, "first_broken": None, "problem": None}


@pytest.mark.usefixtures("clean_db")
def test_appends_racing_from_several_connections_keep_one_chain():
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                audit.append("access.datastore_search", "allowed", actor=f"worker-{n}", detail={"i": i})
        except BaseException as err:  # reported below, not lost in the thread
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with model.meta.engine.connect() as conn:
        seqs = [row.seq for row in conn.execute(sa.text("SELECT seq FROM ldeco_audit_event ORDER BY seq"))]
    assert seqs == list(range(1, 41))
    assert _verify()["intact"] is True


@pytest.mark.usefixtures("clean_db")
def test_a_record_appended_with_the_callers_change_goes_when_the_change_is_rolled_back():
    audit.append("grant.created", "allowed", actor="pub", in_session=True)
    model.Session.rollback()
    audit.append("access.download", "refused", actor="ann")
    with model.meta.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM ldeco_audit_event")).scalar() == 1
    assert _verify()["intact"] is True
