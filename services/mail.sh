#!/usr/bin/env bash
# A local mail sink on 127.0.0.1:$MAIL_PORT for the demo: aiosmtpd (pinned in
# requirements-dev.txt) keeps every message it receives in a maildir under
# .state/mail and delivers nothing further, so the portal's notices can be
# sent, and read, without a real mail server.
# Usage: mail.sh start|stop|health
source "$(dirname "$0")/lib.sh"

PIDFILE=$RUN_DIR/mail.pid
LOG=$LOG_DIR/mail.log
MAILDIR=$STATE/mail

healthy() {
    # an SMTP server greets with 220
    local greeting
    greeting=$( (exec 3<>"/dev/tcp/$HOST/$MAIL_PORT" && read -r -t 2 line <&3 && printf '%s' "$line") 2>/dev/null) ||
        return 1
    [[ $greeting == 220* ]]
}

start() {
    if live_pid "$PIDFILE" >/dev/null && healthy; then
        info "mail sink: already running on $HOST:$MAIL_PORT"
        return 0
    fi
    [ -x "$VENV/bin/aiosmtpd" ] || die "mail sink: aiosmtpd is not installed — run services/install.sh"
    check_port_free "mail sink" "$MAIL_PORT" MAIL_PORT
    # the handler makes the maildir (with its cur/new/tmp) when it is missing
    nohup "$VENV/bin/aiosmtpd" -n -l "$HOST:$MAIL_PORT" -c aiosmtpd.handlers.Mailbox "$MAILDIR" >>"$LOG" 2>&1 &
    echo $! >"$PIDFILE"
    local i
    for ((i = 0; i < 40; i++)); do
        healthy && { info "mail sink: running on $HOST:$MAIL_PORT (messages kept in $MAILDIR)"; return 0; }
        sleep 0.25
    done
    die "mail sink: did not come up on $HOST:$MAIL_PORT — read $LOG"
}

case "${1:-}" in
start) start ;;
stop) stop_pidfile "mail sink" "$PIDFILE" ;;
health | status) healthy && info "mail sink: healthy on $HOST:$MAIL_PORT" || { info "mail sink: not running"; exit 1; } ;;
*) die "usage: $0 start|stop|health" ;;
esac
