#!/usr/bin/env bash
# Creates or upgrades the CKAN database behind an ini file (core and plugin
# migrations) and grants the DataStore's read-only role. Usage: db.sh INI
source "$(dirname "$0")/lib.sh"
ini=${1:?usage: db.sh INI}
CKAN=("$VENV/bin/ckan" -c "$ini")
datastore_db=$(sed -n 's|^ckan.datastore.write_url *= *.*/\([A-Za-z0-9_]*\)$|\1|p' "$ini")

"${CKAN[@]}" db init >>"$LOG_DIR/db.log" 2>&1 || die "database: 'ckan db init' failed for $ini — read $LOG_DIR/db.log"
"${CKAN[@]}" db upgrade >>"$LOG_DIR/db.log" 2>&1 || die "database: 'ckan db upgrade' failed for $ini — read $LOG_DIR/db.log"
"${CKAN[@]}" datastore set-permissions 2>>"$LOG_DIR/db.log" | "$ROOT/services/postgres.sh" apply-sql "$datastore_db" >/dev/null ||
    die "database: DataStore permissions failed for $datastore_db — read $LOG_DIR/db.log"
info "database: $(basename "$ini") schema is current"
