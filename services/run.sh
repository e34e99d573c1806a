#!/usr/bin/env bash
# `make run`: install what is missing, start the services, prepare the
# database, load the demo, rebuild the index and serve the portal.
source "$(dirname "$0")/lib.sh"
CKAN=("$VENV/bin/ckan" -c "$ROOT/ckan.ini")
PIDFILE=$RUN_DIR/ckan.pid
LOG=$LOG_DIR/ckan.log

"$ROOT/services/install.sh"
"$ROOT/services/up.sh"
# notices of the access workflow go to a local sink, readable at /access/mail
"$ROOT/services/mail.sh" start
"$ROOT/services/configure.sh"
"$ROOT/services/db.sh" "$ROOT/ckan.ini"

"${CKAN[@]}" ldeco demo load 2>>"$LOG_DIR/demo.log" || die "demo: loading failed — read $LOG_DIR/demo.log"
"${CKAN[@]}" search-index rebuild -c >>"$LOG_DIR/search-index.log" 2>&1 ||
    die "search index: rebuild failed — read $LOG_DIR/search-index.log"
info "search index: rebuilt"

# Background jobs (dictionary re-indexing, data quality checks) need a worker.
WORKER_PIDFILE=$RUN_DIR/worker.pid
if ! live_pid "$WORKER_PIDFILE" >/dev/null; then
    nohup "${CKAN[@]}" jobs worker >>"$LOG_DIR/worker.log" 2>&1 &
    echo $! >"$WORKER_PIDFILE"
    info "jobs worker: started (log $LOG_DIR/worker.log)"
fi

if pid=$(live_pid "$PIDFILE"); then
    info "portal: restarting (pid $pid)"
    stop_pidfile portal "$PIDFILE" >/dev/null
fi
check_port_free portal "$CKAN_PORT" CKAN_PORT
nohup "${CKAN[@]}" run --host "$HOST" --port "$CKAN_PORT" --disable-reloader --threaded >>"$LOG" 2>&1 &
echo $! >"$PIDFILE"
wait_http "http://$HOST:$CKAN_PORT/api/3/action/status_show" 60 ||
    die "portal: did not come up on $HOST:$CKAN_PORT — read $LOG"

info ""
info "The local data ecosystem is being served at http://$HOST:$CKAN_PORT"
"${CKAN[@]}" ldeco demo logins 2>/dev/null
info "Logs: $LOG_DIR — stop everything with: make stop"
