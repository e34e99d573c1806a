#!/usr/bin/env bash
# Redis on 127.0.0.1:$REDIS_PORT, from Debian's redis-server package.
# Usage: redis.sh start|stop|health|status
source "$(dirname "$0")/lib.sh"

PIDFILE=$RUN_DIR/redis.pid
LOG=$LOG_DIR/redis.log
DATA=$STATE/redis

healthy() {
    [ "$(redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
}

start() {
    command -v redis-server >/dev/null || die "redis: redis-server not found — install Debian's redis-server (make run does)"
    if live_pid "$PIDFILE" >/dev/null && healthy; then
        info "redis: already running on $HOST:$REDIS_PORT"
        return 0
    fi
    check_port_free redis "$REDIS_PORT" REDIS_PORT
    mkdir -p "$DATA"
    redis-server --bind "$HOST" --port "$REDIS_PORT" --daemonize yes --pidfile "$PIDFILE" \
        --logfile "$LOG" --dir "$DATA" --save '' --appendonly no >/dev/null ||
        die "redis: did not come up on $HOST:$REDIS_PORT — read $LOG"
    local i
    for ((i = 0; i < 40; i++)); do
        healthy && { info "redis: running on $HOST:$REDIS_PORT"; return 0; }
        sleep 0.25
    done
    die "redis: did not come up on $HOST:$REDIS_PORT — read $LOG"
}

case "${1:-}" in
start) start ;;
stop) stop_pidfile redis "$PIDFILE" ;;
health | status) healthy && info "redis: healthy on $HOST:$REDIS_PORT" || { info "redis: not running"; exit 1; } ;;
*) die "usage: $0 start|stop|health" ;;
esac
