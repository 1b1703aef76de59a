#!/usr/bin/env bash
# Start or stop a throw-away single-node Elasticsearch for the tests (DESIGN.md §7).
#
#   .ci/elasticsearch.sh start    fetch (Maven Central, cached in ~/.m2), unpack, start, wait for health
#   .ci/elasticsearch.sh stop     stop the node started by `start`
#   .ci/elasticsearch.sh status   exit 0 when our node is running and healthy
#
# The minimal "integ-test-zip" distribution holds the server with only transport-netty4, x-pack core and
# security and apm: no analysis-common, no lang-painless, no ml. It runs with security off, bound to
# 127.0.0.1, with a fresh data directory on every start. Elasticsearch refuses to run as root, so it runs
# as the system user dichtbij-es.
set -euo pipefail

ES_VERSION=${ES_VERSION:-8.19.21}
ES_PORT=${ES_PORT:-9200}
ES_USER=${ES_USER:-dichtbij-es}
ES_HOME_BASE=${ES_HOME_BASE:-/var/tmp/dichtbij-es}
ES_HEAP=${ES_HEAP:-512m}
ES_START_TIMEOUT=${ES_START_TIMEOUT:-120}
ES_EXTRA_ARGS=${ES_EXTRA_ARGS:-}   # more "-E key=value" settings, space-separated
# Java 17 first; Temurin 25 if 17 is missing or Elasticsearch does not start on it.
ES_JAVA_CANDIDATES=${ES_JAVA_CANDIDATES:-"${ES_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64} /usr/lib/jvm/temurin-25-jdk-amd64"}

ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
M2_REPO=${M2_REPO:-$HOME/.m2/repository}
ZIP="$M2_REPO/org/elasticsearch/distribution/integ-test-zip/elasticsearch/${ES_VERSION}/elasticsearch-${ES_VERSION}.zip"
ES_HOME="$ES_HOME_BASE/elasticsearch-${ES_VERSION}"
RUN_DIR="$ES_HOME_BASE/run-${ES_PORT}"
DATA_DIR="$RUN_DIR/data"
LOGS_DIR="$RUN_DIR/logs"
PID_FILE="$RUN_DIR/elasticsearch.pid"   # the server JVM, written by Elasticsearch itself (-p)
CLI_PID_FILE="$RUN_DIR/cli.pid"         # the launcher that starts the JVM
OUT_LOG="$RUN_DIR/stdout.log"
CLUSTER_NAME=dichtbij-ci
ES_LOG="$LOGS_DIR/${CLUSTER_NAME}.log"
URL="http://127.0.0.1:${ES_PORT}"
HEALTH_URL="$URL/_cluster/health?wait_for_status=yellow&timeout=1s"

log() { echo "[elasticsearch] $*"; }
die() { echo "[elasticsearch] ERROR: $*" >&2; exit 1; }

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }
read_pid() { [[ -s "$1" ]] && tr -dc '0-9' <"$1" || true; }

# Prints the health JSON and succeeds when the node answers green or yellow.
healthy() {
    local body
    body=$(curl -s --max-time 5 "$HEALTH_URL" 2>/dev/null) || return 1
    [[ "$body" =~ \"status\":\"(green|yellow)\" ]] || return 1
    printf '%s\n' "$body"
}

ours_running() {
    local pid
    pid=$(read_pid "$PID_FILE")
    pid_alive "$pid"
}

fetch() {
    if [[ -f "$ZIP" ]]; then
        log "using cached $ZIP"
        return
    fi
    command -v mvn >/dev/null || die "mvn is needed to fetch $ARTIFACT from Maven Central"
    log "fetching $ARTIFACT from Maven Central"
    local t0=$SECONDS
    # (sed: Maven 3.8 prints bare colour codes even with -B -q)
    mvn -q -B -Dmaven.repo.local="$M2_REPO" dependency:get -Dartifact="$ARTIFACT" -Dtransitive=false 2>&1 \
        | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^$/d' \
        || die "mvn could not fetch $ARTIFACT"
    [[ -f "$ZIP" ]] || die "mvn succeeded but $ZIP is missing"
    log "fetched in $((SECONDS - t0)) s"
}

unpack() {
    if [[ -x "$ES_HOME/bin/elasticsearch" ]]; then
        log "using unpacked $ES_HOME"
        return
    fi
    command -v unzip >/dev/null || die "unzip is needed (apt-get install -y unzip)"
    log "unpacking into $ES_HOME"
    mkdir -p "$ES_HOME_BASE"
    chmod 755 "$ES_HOME_BASE"
    local tmp
    tmp=$(mktemp -d "$ES_HOME_BASE/.unpack.XXXXXX")
    unzip -q "$ZIP" -d "$tmp" || { rm -rf "$tmp"; die "could not unzip $ZIP"; }
    [[ -x "$tmp/elasticsearch-${ES_VERSION}/bin/elasticsearch" ]] \
        || { rm -rf "$tmp"; die "$ZIP does not contain elasticsearch-${ES_VERSION}/bin/elasticsearch"; }
    rm -rf "$ES_HOME"
    mv "$tmp/elasticsearch-${ES_VERSION}" "$ES_HOME"
    rmdir "$tmp"
}

ensure_user() {
    if ! id "$ES_USER" >/dev/null 2>&1; then
        log "creating system user $ES_USER"
        useradd -r -M -s /usr/sbin/nologin "$ES_USER"
    fi
}

# Starts the node with the given Java home; succeeds once the cluster answers green/yellow.
start_with() {
    local java_home=$1 cli_pid pid t0 health

    rm -rf "$DATA_DIR" "$LOGS_DIR"
    mkdir -p "$RUN_DIR" "$DATA_DIR" "$LOGS_DIR"
    rm -f "$PID_FILE" "$CLI_PID_FILE" "$OUT_LOG"
    chown -R "$ES_USER:" "$ES_HOME" "$RUN_DIR"

    log "starting Elasticsearch $ES_VERSION on $URL (java: $java_home, heap: $ES_HEAP)"
    t0=$SECONDS
    # ES_JAVA_HOME, not JAVA_HOME: the launcher ignores JAVA_HOME and otherwise looks for a bundled JDK,
    # which this distribution does not have.
    su "$ES_USER" -s /bin/bash -c "
        cd '$ES_HOME' || exit 1
        export ES_JAVA_HOME='$java_home' ES_JAVA_OPTS='-Xms$ES_HEAP -Xmx$ES_HEAP'
        nohup setsid ./bin/elasticsearch -p '$PID_FILE' \
            -E cluster.name=$CLUSTER_NAME \
            -E discovery.type=single-node \
            -E network.host=127.0.0.1 \
            -E http.port=$ES_PORT \
            -E xpack.security.enabled=false \
            -E cluster.routing.allocation.disk.threshold_enabled=false \
            -E xpack.ml.enabled=false \
            -E action.destructive_requires_name=false \
            -E path.data='$DATA_DIR' \
            -E path.logs='$LOGS_DIR' \
            $ES_EXTRA_ARGS \
            </dev/null >'$OUT_LOG' 2>&1 &
        echo \$! >'$CLI_PID_FILE'
    "
    cli_pid=$(read_pid "$CLI_PID_FILE")

    while ((SECONDS - t0 < ES_START_TIMEOUT)); do
        if health=$(healthy); then
            log "up after $((SECONDS - t0)) s (pid $(read_pid "$PID_FILE"))"
            printf '%s\n' "$health"
            return 0
        fi
        pid=$(read_pid "$PID_FILE")
        if ! pid_alive "$cli_pid" && ! pid_alive "$pid"; then
            echo "[elasticsearch] the process exited after $((SECONDS - t0)) s" >&2
            show_logs
            return 1
        fi
        sleep 1
    done
    echo "[elasticsearch] not healthy after ${ES_START_TIMEOUT} s" >&2
    show_logs
    stop_node
    return 1
}

show_logs() {
    {
        echo "---- last 50 lines of $OUT_LOG"
        tail -n 50 "$OUT_LOG" 2>/dev/null || true
        echo "---- last 50 lines of $ES_LOG"
        tail -n 50 "$ES_LOG" 2>/dev/null || true
        echo "----"
    } >&2
}

stop_node() {
    local pid cli_pid i
    pid=$(read_pid "$PID_FILE")
    cli_pid=$(read_pid "$CLI_PID_FILE")
    if ! pid_alive "$pid" && ! pid_alive "$cli_pid"; then
        log "not running"
        rm -f "$PID_FILE" "$CLI_PID_FILE"
        return 0
    fi
    log "stopping (pid ${pid:-?}, launcher ${cli_pid:-?})"
    pid_alive "$pid" && kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 30; i++)); do
        pid_alive "$pid" || pid_alive "$cli_pid" || break
        sleep 1
    done
    for p in "$pid" "$cli_pid"; do
        if pid_alive "$p"; then
            log "pid $p did not stop within 30 s; killing it"
            kill -KILL "$p" 2>/dev/null || true
        fi
    done
    rm -f "$PID_FILE" "$CLI_PID_FILE"
    log "stopped"
}

cmd_start() {
    [[ $(id -u) -eq 0 ]] || die "run as root (it creates the user $ES_USER and starts Elasticsearch as that user)"
    if ours_running; then
        if healthy; then
            log "already running (pid $(read_pid "$PID_FILE"))"
            return 0
        fi
        log "a previous node (pid $(read_pid "$PID_FILE")) is running but not healthy; restarting it"
        stop_node
    fi
    if curl -s --max-time 2 -o /dev/null "$URL/"; then
        die "something else already listens on 127.0.0.1:$ES_PORT (not started by this script); stop it or set ES_PORT"
    fi

    local t0=$SECONDS
    fetch
    unpack
    ensure_user
    log "prepared in $((SECONDS - t0)) s"

    local java_home tried=""
    for java_home in $ES_JAVA_CANDIDATES; do
        if [[ ! -x "$java_home/bin/java" ]] || ! "$java_home/bin/java" -version >/dev/null 2>&1; then
            log "no working java in $java_home; skipping"
            continue
        fi
        tried="$tried $java_home"
        if start_with "$java_home"; then
            return 0
        fi
        log "Elasticsearch did not start with $java_home"
    done
    die "Elasticsearch $ES_VERSION did not start (java tried:${tried:- none})"
}

cmd_status() {
    if ours_running && healthy >/dev/null; then
        return 0
    fi
    return 1
}

case "${1:-}" in
    start) cmd_start ;;
    stop) stop_node ;;
    status) cmd_status ;;
    *)
        echo "usage: $0 start|stop|status" >&2
        exit 2
        ;;
esac
