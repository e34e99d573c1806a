#!/usr/bin/env bash
# A project-local PostgreSQL 15 cluster on 127.0.0.1:$PG_PORT, from Debian's packages.
# Usage: postgres.sh start|stop|health|status|setup
source "$(dirname "$0")/lib.sh"

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PGBASE=$STATE/postgres
LOG=$LOG_DIR/postgres.log
# PostgreSQL refuses to run as root, and the postgres user cannot always reach
# a checkout (a home folder closed to others, say): then the cluster lives in
# the postgres user's own folder, one per checkout.
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$STATE" 2>/dev/null; then
    PGBASE=/var/lib/postgresql/ldeco-$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)
    LOG=$PGBASE/postgres.log
fi
PGDATA=$PGBASE/data
PGSOCK=$PGBASE/run

# Database names and roles. Passwords are for this loopback cluster only;
# production takes its own from the environment (see README).
DB_USER=ckan
DB_PASS=ckan
DS_RO_USER=datastore_ro
DS_RO_PASS=datastore_ro
DATABASES="ckan datastore ckan_test datastore_test"

# PostgreSQL refuses to run as root: run its binaries as the postgres user then.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        # from / : the postgres user may not be allowed into the current folder
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

pg_owner_prepare() {
    mkdir -p "$PGBASE" "$PGSOCK"
    touch "$LOG"
    if [ "$(id -u)" = 0 ]; then
        chown -R postgres:postgres "$PGBASE" "$LOG"
        as_pg test -w "$PGBASE" || die "postgres: the postgres user cannot write to $PGBASE"
    fi
}

psql_super() {
    as_pg "$PG_BIN/psql" -h "$PGSOCK" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"
}

healthy() {
    as_pg "$PG_BIN/pg_isready" -q -h "$HOST" -p "$PG_PORT" 2>/dev/null
}

start() {
    [ -x "$PG_BIN/initdb" ] || die "postgres: $PG_BIN/initdb not found — install Debian's postgresql-15 (make run does)"
    pg_owner_prepare
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        info "postgres: creating cluster in $PGDATA"
        as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
            -E UTF8 --locale=C.UTF-8 >>"$LOG" 2>&1 || die "postgres: initdb failed — read $LOG"
    fi
    if as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
        healthy && { info "postgres: already running on $HOST:$PG_PORT"; return 0; }
    fi
    check_port_free postgres "$PG_PORT" PG_PORT
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$LOG" -w -t 60 \
        -o "-c listen_addresses=$HOST -p $PG_PORT -c unix_socket_directories='$PGSOCK' -c max_connections=200 -c fsync=${PG_FSYNC:-on}" \
        start >/dev/null || die "postgres: did not come up on $HOST:$PG_PORT — read $LOG"
    healthy || die "postgres: did not come up on $HOST:$PG_PORT — read $LOG"
    info "postgres: running on $HOST:$PG_PORT"
}

# Roles and databases; safe to run again.
setup() {
    psql_super -d postgres <<SQL
DO \$\$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASS';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DS_RO_USER') THEN
    CREATE ROLE $DS_RO_USER LOGIN PASSWORD '$DS_RO_PASS';
  END IF;
END\$\$;
SQL
    local db
    for db in $DATABASES; do
        if [ -z "$(psql_super -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
            psql_super -d postgres -c "CREATE DATABASE $db OWNER $DB_USER ENCODING 'UTF8'"
            info "postgres: created database $db"
        fi
    done
}

# Apply the DataStore permissions SQL (from `ckan datastore set-permissions`) on stdin.
apply_sql() {
    psql_super -d "$1"
}

stop() {
    if [ -f "$PGDATA/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
        as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
        info "postgres: stopped"
    else
        info "postgres: not running"
    fi
}

# Stop and delete the cluster (for make reset).
destroy() {
    stop
    rm -rf "$PGBASE"
    info "postgres: cluster deleted"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
destroy) destroy ;;
setup) setup ;;
apply-sql) apply_sql "$2" ;;
health | status) healthy && info "postgres: healthy on $HOST:$PG_PORT" || { info "postgres: not running"; exit 1; } ;;
*) die "usage: $0 start|stop|destroy|setup|health|apply-sql DB" ;;
esac
