#!/usr/bin/env bash
# `make stop`: stops the portal and every service the project started.
source "$(dirname "$0")/lib.sh"
stop_pidfile portal "$RUN_DIR/ckan.pid"
stop_pidfile "jobs worker" "$RUN_DIR/worker.pid"
"$ROOT/services/mail.sh" stop
"$ROOT/services/solr.sh" stop
"$ROOT/services/redis.sh" stop
"$ROOT/services/postgres.sh" stop
