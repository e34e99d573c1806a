# Shared helpers for the service scripts. Sourced, never run.
# Everything a script creates lives under one git-ignored folder, $STATE.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=${LDECO_STATE:-$ROOT/.state}
LOG_DIR=$STATE/log
RUN_DIR=$STATE/run
VENV=$ROOT/.venv

# Loopback ports; override in the environment if one is taken.
PG_PORT=${PG_PORT:-5434}
REDIS_PORT=${REDIS_PORT:-6380}
SOLR_PORT=${SOLR_PORT:-8983}
CKAN_PORT=${CKAN_PORT:-5000}
MAIL_PORT=${MAIL_PORT:-8025}  # the demo's mail sink (make run)
HOST=127.0.0.1

mkdir -p "$LOG_DIR" "$RUN_DIR"

info() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# True when something listens on 127.0.0.1:PORT.
port_in_use() {
    (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# The pid in FILE when that process is alive, else nothing.
live_pid() {
    local file=$1 pid
    [ -f "$file" ] || return 1
    pid=$(cat "$file" 2>/dev/null) || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && printf '%s' "$pid"
}

# Wait up to SECONDS for URL to answer 2xx.
wait_http() {
    local url=$1 seconds=$2 i
    for ((i = 0; i < seconds * 2; i++)); do
        curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
        sleep 0.5
    done
    return 1
}

# Stop the process recorded in FILE (and only it), waiting up to 30 s.
stop_pidfile() {
    local name=$1 file=$2 pid i
    if ! pid=$(live_pid "$file"); then
        rm -f "$file"
        info "$name: not running"
        return 0
    fi
    kill -TERM "$pid"
    for ((i = 0; i < 60; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
    info "$name: stopped (pid $pid)"
}

# Refuse to start NAME when PORT is taken by a process that is not ours.
check_port_free() {
    local name=$1 port=$2
    if port_in_use "$port"; then
        die "$name: port $HOST:$port is already in use by another process — free it or set ${3:-PORT} to another port"
    fi
}
