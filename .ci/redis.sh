#!/usr/bin/env bash
# Start or stop a throw-away Redis (or Valkey) for the tests: the shared cache of DESIGN.md §7.
#
#   .ci/redis.sh start    start a server on 127.0.0.1:$REDIS_PORT (memory only, nothing saved to disk)
#   .ci/redis.sh stop     stop the server started by `start`
#   .ci/redis.sh status   exit 0 when our server answers PING
#
# Then: CACHE_URL=redis://127.0.0.1:6379/0
# The server comes from Debian's packages (apt-get install -y redis-server; valkey-server works the
# same where a release has it). The tests empty the cache before every test (FLUSHDB), so point
# CACHE_URL at a server or database number that holds nothing else.
set -euo pipefail

REDIS_PORT=${REDIS_PORT:-6379}
REDIS_RUN_BASE=${REDIS_RUN_BASE:-/var/tmp/dichtbij-redis}
REDIS_MAXMEMORY=${REDIS_MAXMEMORY:-256mb}
RUN_DIR="$REDIS_RUN_BASE/run-${REDIS_PORT}"
PID_FILE="$RUN_DIR/redis.pid"
LOG_FILE="$RUN_DIR/redis.log"

log() { echo "[redis] $*"; }
die() { echo "[redis] ERROR: $*" >&2; exit 1; }

server_binary() {
    command -v redis-server || command -v valkey-server || true
}

cli_binary() {
    command -v redis-cli || command -v valkey-cli || true
}

read_pid() { [[ -s "$PID_FILE" ]] && tr -dc '0-9' <"$PID_FILE" || true; }

ours_running() {
    local pid
    pid=$(read_pid)
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

answers() {
    local cli
    cli=$(cli_binary)
    [[ -n "$cli" ]] && [[ $("$cli" -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
}

cmd_start() {
    local server t0=$SECONDS i
    if ours_running && answers; then
        log "already running on 127.0.0.1:$REDIS_PORT (pid $(read_pid))"
        return 0
    fi
    server=$(server_binary)
    [[ -n "$server" ]] || die "redis-server not found: apt-get install -y redis-server"
    if answers; then
        die "something else already answers on 127.0.0.1:$REDIS_PORT (not started by this script); stop it or set REDIS_PORT"
    fi
    mkdir -p "$RUN_DIR"
    rm -f "$PID_FILE"
    # A cache, not a store: no snapshots, no append-only file; the oldest keys go when it is full.
    "$server" --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
        --save '' --appendonly no --dir "$RUN_DIR" \
        --maxmemory "$REDIS_MAXMEMORY" --maxmemory-policy allkeys-lru \
        --daemonize yes --pidfile "$PID_FILE" --logfile "$LOG_FILE" \
        || die "$server did not start (see $LOG_FILE)"
    for ((i = 0; i < 50; i++)); do
        answers && break
        sleep 0.2
    done
    if ! answers; then
        tail -n 20 "$LOG_FILE" >&2 || true
        die "no answer on 127.0.0.1:$REDIS_PORT"
    fi
    log "ready in $((SECONDS - t0)) s (pid $(read_pid), $("$server" --version | cut -d' ' -f1-3)): redis://127.0.0.1:$REDIS_PORT/0"
}

cmd_stop() {
    local pid i
    pid=$(read_pid)
    if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then
        log "not running"
        rm -f "$PID_FILE"
        return 0
    fi
    log "stopping (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid did not stop within 10 s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PID_FILE"
    log "stopped"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) ours_running && answers ;;
    *)
        echo "usage: $0 start|stop|status" >&2
        exit 2
        ;;
esac
