#!/usr/bin/env bash
# Starts PostgreSQL, Redis and Solr (each a no-op when already healthy) and
# makes sure the databases and roles exist.
source "$(dirname "$0")/lib.sh"
"$ROOT/services/postgres.sh" start
"$ROOT/services/postgres.sh" setup
"$ROOT/services/redis.sh" start
"$ROOT/services/solr.sh" start
