#!/usr/bin/env bash
# Local Apache Solr 9.10.1 for CKAN, run from Maven Central jars (services/solr).
#
#   services/solr.sh start    build if needed, create cores, start, wait for health
#   services/solr.sh stop     stop the Solr this script started (pid file only)
#   services/solr.sh health   exit 0 when every core answers /admin/ping
#   services/solr.sh status   running+healthy: 0, running but unhealthy: 1, stopped: 3
#
# Environment: SOLR_PORT (8983), SOLR_JAVA_MEM ("-Xms128m -Xmx512m"),
# SOLR_JAVA_OPTS (extra JVM flags), SOLR_START_TIMEOUT (90 s),
# CKAN_PYTHON (python that has ckan installed; default .venv/bin/python).
# CKAN's solr_url: http://127.0.0.1:$SOLR_PORT/solr/ckan (tests: .../solr/ckan_test).
set -euo pipefail

SERVICES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ -f "$SERVICES_DIR/lib.sh" ]]; then
    # shellcheck source=/dev/null
    source "$SERVICES_DIR/lib.sh"
fi

# Standalone fallbacks, used only when lib.sh is absent or lacks them.
: "${ROOT:=$(cd "$SERVICES_DIR/.." && pwd)}"
: "${STATE:=${LDECO_STATE:-$ROOT/.state}}"
: "${LOG_DIR:=$STATE/log}"
: "${RUN_DIR:=$STATE/run}"
declare -F info >/dev/null || info() { printf '%s\n' "$*"; }
declare -F die >/dev/null || die() { printf 'error: %s\n' "$*" >&2; exit 1; }
declare -F port_in_use >/dev/null || port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

SOLR_HOST=127.0.0.1
SOLR_PORT=${SOLR_PORT:-8983}
SOLR_DIR=$SERVICES_DIR/solr
SOLR_HOME=$STATE/solr/home
SOLR_PID_FILE=$RUN_DIR/solr.pid
SOLR_LOG=$LOG_DIR/solr.log
SOLR_BUILD_LOG=$LOG_DIR/solr-build.log
SOLR_BUILD_STAMP=$SOLR_DIR/target/.build-stamp
SOLR_MAIN=org.ckanext.ldeco.solr.SolrLauncher
SOLR_CORES=(ckan ckan_test)
SOLR_START_TIMEOUT=${SOLR_START_TIMEOUT:-90}
SOLR_JAVA_MEM=${SOLR_JAVA_MEM:--Xms128m -Xmx512m}
SOLR_JAVA_OPTS=${SOLR_JAVA_OPTS:-}

# Paths in messages are shown relative to the repo root.
rel() { printf '%s' "${1#"$ROOT"/}"; }

solr_base_url() { printf 'http://%s:%s/solr' "$SOLR_HOST" "$SOLR_PORT"; }

# The pid from the pid file when that process is alive and is our launcher
# for our solr home (guards against a recycled pid).
solr_pid() {
    local pid args
    [[ -f "$SOLR_PID_FILE" ]] || return 1
    pid=$(<"$SOLR_PID_FILE") || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    args=$(ps -ww -o args= -p "$pid" 2>/dev/null) || return 1
    [[ "$args" == *"$SOLR_MAIN "*" $SOLR_HOME"* ]] || return 1
    printf '%s' "$pid"
}

# Port the running launcher was given (first argument after the main class).
solr_pid_port() {
    local args
    args=$(ps -ww -o args= -p "$1" 2>/dev/null) || return 1
    args=${args#*"$SOLR_MAIN "}
    printf '%s' "${args%% *}"
}

# Who listens on the port, for the "port taken" message (best effort).
port_owner() {
    command -v ss >/dev/null 2>&1 || return 0
    ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(([^)]*' | head -n1 |
        sed -E 's/users:\(\("([^"]*)",pid=([0-9]+).*/ (\1, pid \2)/' || true
}

http_get() {
    curl -fsS --max-time 5 "$1" 2>/dev/null
}

# One core is healthy when its ping handler answers status OK.
core_healthy() {
    local body
    body=$(http_get "$(solr_base_url)/$1/admin/ping?wt=json") || return 1
    [[ "$body" == *'"status":"OK"'* ]]
}

# Prints the first unhealthy core, if any.
first_unhealthy_core() {
    local core
    for core in "${SOLR_CORES[@]}"; do
        core_healthy "$core" || { printf '%s' "$core"; return 0; }
    done
    return 1
}

solr_healthy() { ! first_unhealthy_core >/dev/null; }

# True once Solr reports a core that failed to load (bad config or schema):
# no point waiting out the timeout then.
core_init_failed() {
    local body
    body=$(http_get "$(solr_base_url)/admin/cores?action=STATUS&indexInfo=false&wt=json&indent=false") || return 1
    [[ "$body" == *'"initFailures":{"'* ]]
}

needs_build() {
    [[ -f "$SOLR_BUILD_STAMP" && -d "$SOLR_DIR/target/dependency" ]] || return 0
    [[ -n "$(find "$SOLR_DIR/pom.xml" "$SOLR_DIR/src" -newer "$SOLR_BUILD_STAMP" -print -quit)" ]]
}

build() {
    command -v mvn >/dev/null 2>&1 || die "solr: Maven (mvn) is needed to build services/solr"
    info "solr: building services/solr (Maven; log $(rel "$SOLR_BUILD_LOG"))"
    if ! mvn -B -q -Dstyle.color=never -f "$SOLR_DIR/pom.xml" clean package >"$SOLR_BUILD_LOG" 2>&1; then
        die "solr: Maven build failed — read $(rel "$SOLR_BUILD_LOG")"
    fi
    touch "$SOLR_BUILD_STAMP"
}

ckan_schema() {
    local py=${CKAN_PYTHON:-$ROOT/.venv/bin/python}
    [[ -x "$py" ]] || return 1
    "$py" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))' 2>/dev/null
}

# Lays out solr.xml and one core per name. The configset is refreshed on every
# start so edits take effect; schema.xml comes from the installed ckan package.
prepare_home() {
    local schema core conf
    schema=$(ckan_schema) || schema=
    [[ -n "$schema" && -f "$schema" ]] || schema=
    mkdir -p "$SOLR_HOME"
    cp -f "$SOLR_DIR/solr.xml" "$SOLR_HOME/solr.xml"
    for core in "${SOLR_CORES[@]}"; do
        conf=$SOLR_HOME/$core/conf
        if [[ -z "$schema" && ! -f "$conf/schema.xml" ]]; then
            die "solr: CKAN's schema.xml not found — install ckan into .venv (or set CKAN_PYTHON) before creating core '$core'"
        fi
        mkdir -p "$conf"
        cp -f "$SOLR_DIR"/configset/conf/* "$conf/"
        [[ -z "$schema" ]] || cp -f "$schema" "$conf/schema.xml"
        [[ -f "$SOLR_HOME/$core/core.properties" ]] || printf 'name=%s\n' "$core" >"$SOLR_HOME/$core/core.properties"
    done
}

# Waits for every core to be healthy while the process stays alive.
wait_healthy() {
    local pid=$1 deadline=$((SECONDS + SOLR_START_TIMEOUT))
    while ((SECONDS < deadline)); do
        kill -0 "$pid" 2>/dev/null || return 1
        solr_healthy && return 0
        core_init_failed && return 1
        sleep 0.5
    done
    return 1
}

kill_and_wait() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 60; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.5
    done
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.25
    done
}

cmd_start() {
    local pid started=$SECONDS running_port
    mkdir -p "$LOG_DIR" "$RUN_DIR"

    if pid=$(solr_pid); then
        running_port=$(solr_pid_port "$pid")
        if [[ "$running_port" != "$SOLR_PORT" ]]; then
            die "solr: already running (pid $pid) on $SOLR_HOST:$running_port, not $SOLR_PORT — run services/solr.sh stop first"
        fi
        if solr_healthy; then
            info "solr: already running (pid $pid) at $(solr_base_url) — nothing to do"
            return 0
        fi
        # Ours but not ready yet (e.g. still loading cores): wait instead of starting twice.
        wait_healthy "$pid" ||
            die "solr: did not come up on $SOLR_HOST:$SOLR_PORT — read $(rel "$SOLR_LOG")"
        info "solr: up (pid $pid) at $(solr_base_url)"
        return 0
    fi
    rm -f "$SOLR_PID_FILE"

    if port_in_use "$SOLR_PORT"; then
        die "solr: port $SOLR_HOST:$SOLR_PORT is already in use by another process$(port_owner "$SOLR_PORT") — free it or set SOLR_PORT"
    fi

    command -v java >/dev/null 2>&1 || die "solr: java (17+) is needed to run Solr"
    if needs_build; then
        build
    fi
    prepare_home

    # shellcheck disable=SC2086 # SOLR_JAVA_MEM/SOLR_JAVA_OPTS are word lists
    nohup java $SOLR_JAVA_MEM \
        -XX:+UseSerialGC -Xss512k \
        -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Duser.timezone=UTC \
        -Dsolr.log.dir="$LOG_DIR" -Dsolr.install.dir="$SOLR_DIR" -Djetty.port="$SOLR_PORT" -Dhost="$SOLR_HOST" \
        $SOLR_JAVA_OPTS \
        -cp "$SOLR_DIR/target/classes:$SOLR_DIR/target/dependency/*" \
        "$SOLR_MAIN" "$SOLR_PORT" "$SOLR_HOME" \
        </dev/null >>"$SOLR_LOG" 2>&1 &
    pid=$!
    printf '%s\n' "$pid" >"$SOLR_PID_FILE"

    if ! wait_healthy "$pid"; then
        kill_and_wait "$pid"
        rm -f "$SOLR_PID_FILE"
        die "solr: did not come up on $SOLR_HOST:$SOLR_PORT — read $(rel "$SOLR_LOG")"
    fi
    info "solr: up (pid $pid) at $(solr_base_url) — cores ${SOLR_CORES[*]} — in $((SECONDS - started)) s"
}

cmd_stop() {
    local pid
    if ! pid=$(solr_pid); then
        rm -f "$SOLR_PID_FILE"
        info "solr: not running"
        return 0
    fi
    kill_and_wait "$pid"
    if kill -0 "$pid" 2>/dev/null; then
        die "solr: pid $pid did not exit"
    fi
    rm -f "$SOLR_PID_FILE"
    info "solr: stopped (pid $pid)"
}

cmd_health() {
    local core
    if core=$(first_unhealthy_core); then
        die "solr: core '$core' is not healthy at $(solr_base_url)/$core/admin/ping"
    fi
    info "solr: healthy at $(solr_base_url) (cores ${SOLR_CORES[*]})"
}

cmd_status() {
    local pid core
    if ! pid=$(solr_pid); then
        info "solr: stopped"
        return 3
    fi
    if core=$(first_unhealthy_core); then
        info "solr: running (pid $pid) but core '$core' is not healthy at $(solr_base_url)"
        return 1
    fi
    info "solr: running (pid $pid) at $(solr_base_url), cores ${SOLR_CORES[*]} healthy"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
health) cmd_health ;;
status) cmd_status ;;
*)
    printf 'usage: %s start|stop|health|status\n' "$(basename "$0")" >&2
    exit 2
    ;;
esac
