#!/usr/bin/env bash
# Installs what is missing on a Debian 12 machine (as root) and the project's
# virtualenv. Fast when nothing changed: a stamp records what was installed.
source "$(dirname "$0")/lib.sh"

# command → Debian package that provides it
declare -A NEEDS=(
    [/usr/lib/postgresql/15/bin/initdb]=postgresql-15
    [redis-server]=redis-server
    [java]=openjdk-17-jre-headless
    [mvn]=maven
    [pg_config]=libpq-dev
    [gcc]=build-essential
    [curl]=curl
    [chromium]=chromium
)

missing=()
for cmd in "${!NEEDS[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || [ -x "$cmd" ] || missing+=("${NEEDS[$cmd]}")
done
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)

if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "install: missing Debian packages (${missing[*]}) — run as root, or install them first"
    info "install: apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >>"$LOG_DIR/install.log" 2>&1 || die "install: apt-get update failed — read $LOG_DIR/install.log"
    apt-get install -y -qq "${missing[@]}" >>"$LOG_DIR/install.log" 2>&1 ||
        die "install: apt-get install ${missing[*]} failed — read $LOG_DIR/install.log"
fi

PY=$(command -v python3.11 || command -v python3)
"$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' ||
    die "install: Python 3.11 is required, found $("$PY" --version)"

[ -x "$VENV/bin/python" ] || { info "install: creating $VENV"; "$PY" -m venv "$VENV"; }

stamp=$STATE/install.stamp
want=$(cat "$ROOT/setup.py" "$ROOT/requirements-dev.txt" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    info "install: Python packages (a few minutes the first time; log in $LOG_DIR/install.log)"
    {
        "$VENV/bin/pip" install -q --upgrade pip setuptools wheel &&
            "$VENV/bin/pip" install -q -e "$ROOT" -r "$ROOT/requirements-dev.txt"
    } >>"$LOG_DIR/install.log" 2>&1 || die "install: pip install failed — read $LOG_DIR/install.log"
    echo "$want" >"$stamp"
fi

# The translations: .po files are kept in git, .mo files are built here
# (again whenever a catalogue changed).
for po in "$ROOT"/i18n/*/LC_MESSAGES/*.po; do
    [ -e "$po" ] || continue
    if [ ! -f "${po%.po}.mo" ] || [ "$po" -nt "${po%.po}.mo" ]; then
        (cd "$ROOT" && "$VENV/bin/python" setup.py -q compile_catalog) >>"$LOG_DIR/install.log" 2>&1 ||
            die "install: compiling the translations failed — read $LOG_DIR/install.log"
        info "install: translations compiled"
        break
    fi
done
