#!/usr/bin/env bash
# `make test`: the whole suite against the test databases and Solr core.
# Services already running are left running; those this script starts, it
# stops again when the suite ends. Extra arguments go to pytest.
source "$(dirname "$0")/lib.sh"
"$ROOT/services/install.sh"

started=()
for svc in postgres redis solr; do
    "$ROOT/services/$svc.sh" health >/dev/null 2>&1 || started+=("$svc")
done
cleanup() {
    local svc
    for svc in "${started[@]}"; do "$ROOT/services/$svc.sh" stop || true; done
}
trap cleanup EXIT

# test.ini names the default ports; moved ones reach CKAN through its own
# environment variables, which override the ini
if [ "$PG_PORT$REDIS_PORT$SOLR_PORT" != 543463808983 ]; then
    export CKAN_SQLALCHEMY_URL=postgresql://ckan:ckan@$HOST:$PG_PORT/ckan_test
    export CKAN_DATASTORE_WRITE_URL=postgresql://ckan:ckan@$HOST:$PG_PORT/datastore_test
    export CKAN_DATASTORE_READ_URL=postgresql://datastore_ro:datastore_ro@$HOST:$PG_PORT/datastore_test
    export CKAN_SOLR_URL=http://$HOST:$SOLR_PORT/solr/ckan_test
    export CKAN_REDIS_URL=redis://$HOST:$REDIS_PORT/1
fi

"$ROOT/services/up.sh"
"$ROOT/services/db.sh" "$ROOT/test.ini"
cd "$ROOT"
# house style: lint and type checks clean before anything runs (pinned
# ruff and mypy, their settings in pyproject.toml)
"$VENV/bin/ruff" check ckanext tests bench
"$VENV/bin/mypy" -p ckanext.ldeco
"$VENV/bin/pytest" --ckan-ini=test.ini "$@"
