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

"$ROOT/services/up.sh"
"$ROOT/services/db.sh" "$ROOT/test.ini"
cd "$ROOT"
# house style: lint and type checks clean before anything runs (pinned
# ruff and mypy, their settings in pyproject.toml)
"$VENV/bin/ruff" check ckanext tests bench
"$VENV/bin/mypy" -p ckanext.ldeco
"$VENV/bin/pytest" --ckan-ini=test.ini "$@"
