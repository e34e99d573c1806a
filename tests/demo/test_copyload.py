"""Rows by COPY into a DataStore table: the same full text as CKAN's own
trigger, row numbers that later upserts carry on from, and a failed load
that leaves the table as it was."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan.tests import factories

from ckanext.ldeco.demo import copyload

FIELDS = [("name", "text"), ("born", "date"), ("seen", "timestamp"), ("count", "int"), ("ratio", "numeric"),
          ("score", "float"), ("ok", "bool"), ("tags", "_text")]
CSV = """name,born,seen,count,ratio,score,ok,tags
Ada Lovelace,1815-12-10,2024-01-02 03:04:05,7,1.50,0.1,true,"{a,b c}"
"Multi
line, quoted",,2024-06-30 23:59:59.5,,,,false,{}
,,,,,,,
"",1999-01-31,,0,-2,1e-7,,
"""


def _ctx():
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return {"user": site, "ignore_auth": True}


def _table(fields=FIELDS):
    org = factories.Organization()
    pkg = factories.Dataset(owner_org=org["id"], layer="operational")
    return tk.get_action("datastore_create")(_ctx(), {
        "resource": {"package_id": pkg["id"], "name": "rows"}, "force": True,
        "fields": [{"id": f, "type": t} for f, t in fields]})["resource_id"]


def _rows(conn, table):
    return conn.execute(sa.text(f'SELECT _id, _full_text::text FROM "{table}" ORDER BY _id')).fetchall()


@pytest.mark.usefixtures("portal")
def test_the_full_text_is_what_ckans_trigger_indexes():
    table = _table()
    assert copyload.copy_into_datastore(table, [f for f, _ in FIELDS], CSV) == 4
    with copyload.write_engine().begin() as conn:
        ours = _rows(conn, table)
        # the trigger computes the column again for every row where it is NULL
        conn.execute(sa.text(f'UPDATE "{table}" SET _full_text = NULL'))
        theirs = _rows(conn, table)
    assert ours == theirs
    assert [i for i, _ in ours] == [1, 2, 3, 4]
    # timestamps read as JSON spells them ("2024-01-02T03:04:05"), not as ::text
    assert "'t03'" in ours[0][1] and "'lovelac'" in ours[0][1]
    assert ours[2][1] is None        # a row of only NULLs


@pytest.mark.usefixtures("portal")
def test_columns_in_another_order_and_upserts_after_the_load():
    table = _table()
    csv = "ok,name,count\ntrue,first,1\nfalse,second,2\n"
    copyload.copy_into_datastore(table, ["ok", "name", "count"], csv)
    tk.get_action("datastore_upsert")(_ctx(), {
        "resource_id": table, "method": "insert", "force": True, "records": [{"name": "third", "count": 3}]})
    with copyload.write_engine().begin() as conn:
        got = conn.execute(sa.text(f'SELECT _id, name, count FROM "{table}" ORDER BY _id')).fetchall()
        ours = _rows(conn, table)
        conn.execute(sa.text(f'UPDATE "{table}" SET _full_text = NULL'))
        assert ours == _rows(conn, table)
    assert got == [(1, "first", 1), (2, "second", 2), (3, "third", 3)]

    # loading again numbers the rows afresh
    copyload.copy_into_datastore(table, ["name"], "name\nonly\n")
    with copyload.write_engine().begin() as conn:
        assert conn.execute(sa.text(f'SELECT _id, name FROM "{table}"')).fetchall() == [(1, "only")]


@pytest.mark.usefixtures("portal")
def test_a_failed_load_leaves_the_table_as_it_was():
    table = _table([("name", "text"), ("count", "int")])
    copyload.copy_into_datastore(table, ["name", "count"], "name,count\nkept,1\n")
    with copyload.write_engine().connect() as conn:
        indexes = conn.execute(sa.text("SELECT indexdef FROM pg_indexes WHERE tablename = :t ORDER BY 1"),
                               {"t": table}).fetchall()
    with pytest.raises(copyload.CopyError) as caught:
        copyload.copy_into_datastore(table, ["name", "count"], "name,count\nnew,2\nbad,many\n")
    assert (caught.value.line, caught.value.column) == (3, "count")
    with pytest.raises(copyload.CopyError):
        copyload.copy_into_datastore(table, ["name", "nosuch"], "name,nosuch\nx,y\n")
    with copyload.write_engine().connect() as conn:
        assert conn.execute(sa.text(f'SELECT _id, name, count FROM "{table}"')).fetchall() == [(1, "kept", 1)]
        assert conn.execute(sa.text("SELECT indexdef FROM pg_indexes WHERE tablename = :t ORDER BY 1"),
                            {"t": table}).fetchall() == indexes
