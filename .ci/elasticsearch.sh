#!/usr/bin/env bash
# Start or stop a throw-away Elasticsearch for the tests (DESIGN.md §7): one node, or a cluster.
#
#   .ci/elasticsearch.sh start             fetch (Maven Central, cached in ~/.m2), unpack, start
#                                          $ES_NODES nodes, wait until they form one healthy cluster
#   .ci/elasticsearch.sh stop              stop the nodes started by `start`
#   .ci/elasticsearch.sh status            exit 0 when our nodes run and form a healthy cluster
#   .ci/elasticsearch.sh stop-node PORT    stop the one node whose HTTP port is PORT
#   .ci/elasticsearch.sh start-node PORT   start it again (same settings, its data kept) and wait
#                                          until it has rejoined the cluster
#
# ES_NODES=1 (the default) is a single node on 127.0.0.1:$ES_PORT. ES_NODES=2 adds a node on
# $ES_PORT+1 (transport $ES_TRANSPORT_PORT and +1) that joins the first through discovery.seed_hosts:
# the first is master and data node, the others data nodes only. (Two master-eligible nodes cannot
# elect a master when either stops, so a cluster that must survive losing any node needs three; this
# one must survive losing a data node, which is what the cluster test does.)
#
# The minimal "integ-test-zip" distribution holds the server with only transport-netty4, x-pack core and
# security and apm: no analysis-common, no lang-painless, no ml. It runs with security off, bound to
# 127.0.0.1, with a fresh data directory on every `start`. Elasticsearch refuses to run as root, so it
# runs as the system user dichtbij-es.
set -euo pipefail

ES_VERSION=${ES_VERSION:-8.19.21}
ES_PORT=${ES_PORT:-9200}
ES_TRANSPORT_PORT=${ES_TRANSPORT_PORT:-$((ES_PORT + 100))}
ES_NODES=${ES_NODES:-1}
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
CLUSTER_NAME=dichtbij-ci

[[ "$ES_NODES" =~ ^[1-9]$ ]] || { echo "[elasticsearch] ERROR: ES_NODES must be 1 to 9, not '$ES_NODES'" >&2; exit 2; }

log() { echo "[elasticsearch] $*"; }
die() { echo "[elasticsearch] ERROR: $*" >&2; exit 1; }

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }
read_pid() { [[ -s "$1" ]] && tr -dc '0-9' <"$1" || true; }

# Per node, by its HTTP port: its own folder with data, logs, config, pid files and launch script.
run_dir() { echo "$ES_HOME_BASE/run-$1"; }
pid_file() { echo "$(run_dir "$1")/elasticsearch.pid"; }   # the server JVM, written by Elasticsearch (-p)
cli_pid_file() { echo "$(run_dir "$1")/cli.pid"; }         # the launcher that starts the JVM
out_log() { echo "$(run_dir "$1")/stdout.log"; }
node_ports() {
    local i
    for ((i = 0; i < ES_NODES; i++)); do echo $((ES_PORT + i)); done
}

# Prints the health JSON and succeeds when the node at PORT answers green or yellow and, with a
# second argument N, the cluster has N nodes.
healthy() {
    local port=$1 nodes=${2:-} body
    body=$(curl -s --max-time 5 \
        "http://127.0.0.1:$port/_cluster/health?wait_for_status=yellow&timeout=1s${nodes:+&wait_for_nodes=$nodes}" \
        2>/dev/null) || return 1
    [[ "$body" =~ \"status\":\"(green|yellow)\" && "$body" =~ \"timed_out\":false ]] || return 1
    printf '%s\n' "$body"
}

node_running() {
    local pid
    pid=$(read_pid "$(pid_file "$1")")
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

# The -E settings of the node with HTTP port PORT and index INDEX in the cluster.
node_settings() {
    local port=$1 index=$2 transport=$((ES_TRANSPORT_PORT + $2)) seeds="" i
    echo "-E cluster.name=$CLUSTER_NAME"
    echo "-E node.name=dichtbij-$port"
    echo "-E network.host=127.0.0.1"
    echo "-E http.port=$port"
    echo "-E transport.port=$transport"
    if ((ES_NODES == 1)); then
        echo "-E discovery.type=single-node"
    else
        for ((i = 0; i < ES_NODES; i++)); do seeds+="${seeds:+,}127.0.0.1:$((ES_TRANSPORT_PORT + i))"; done
        echo "-E discovery.seed_hosts=$seeds"
        if ((index == 0)); then
            echo "-E cluster.initial_master_nodes=dichtbij-$ES_PORT"
        else
            echo "-E node.roles=data"
        fi
    fi
    echo "-E xpack.security.enabled=false"
    echo "-E cluster.routing.allocation.disk.threshold_enabled=false"
    echo "-E xpack.ml.enabled=false"
    echo "-E action.destructive_requires_name=false"
    echo "-E path.data=$(run_dir "$port")/data"
    echo "-E path.logs=$(run_dir "$port")/logs"
}

# Writes a fresh folder for the node (empty data, its own copy of the config: nodes started at once
# must not share the keystore Elasticsearch writes on start) and the script that launches it.
prepare_node() {
    local port=$1 index=$2 java_home=$3 dir
    dir=$(run_dir "$port")
    rm -rf "$dir"
    mkdir -p "$dir/data" "$dir/logs"
    cp -a "$ES_HOME/config" "$dir/config"
    rm -f "$dir/config/elasticsearch.keystore"
    # ES_JAVA_HOME, not JAVA_HOME: the launcher ignores JAVA_HOME and otherwise looks for a bundled JDK,
    # which this distribution does not have.
    cat >"$dir/launch.sh" <<EOF
#!/usr/bin/env bash
# Written by .ci/elasticsearch.sh start: starts the node on 127.0.0.1:$port in the background.
cd '$ES_HOME' || exit 1
export ES_JAVA_HOME='$java_home' ES_JAVA_OPTS='-Xms$ES_HEAP -Xmx$ES_HEAP' ES_PATH_CONF='$dir/config'
nohup setsid ./bin/elasticsearch -p '$(pid_file "$port")' \\
    $(node_settings "$port" "$index" | tr '\n' ' ') $ES_EXTRA_ARGS \\
    </dev/null >'$(out_log "$port")' 2>&1 &
echo \$! >'$(cli_pid_file "$port")'
EOF
    chown -R "$ES_USER:" "$ES_HOME" "$dir"
}

launch_node() {
    local port=$1 dir
    dir=$(run_dir "$port")
    rm -f "$(pid_file "$port")" "$(cli_pid_file "$port")" "$(out_log "$port")"
    su "$ES_USER" -s /bin/bash -c "bash '$dir/launch.sh'"
}

# Exit 0 once the node at PORT (or the cluster, with N) is healthy; 1 when a node died or time ran out.
wait_healthy() {
    local port=$1 nodes=${2:-} t0=$SECONDS health p pid cli_pid
    while ((SECONDS - t0 < ES_START_TIMEOUT)); do
        if health=$(healthy "$port" "$nodes"); then
            log "healthy after $((SECONDS - t0)) s"
            printf '%s\n' "$health"
            return 0
        fi
        for p in "${@:3}"; do
            pid=$(read_pid "$(pid_file "$p")")
            cli_pid=$(read_pid "$(cli_pid_file "$p")")
            if ! pid_alive "$cli_pid" && ! pid_alive "$pid"; then
                echo "[elasticsearch] the node on port $p exited after $((SECONDS - t0)) s" >&2
                show_logs "$p"
                return 1
            fi
        done
        sleep 1
    done
    echo "[elasticsearch] not healthy after ${ES_START_TIMEOUT} s" >&2
    for p in "${@:3}"; do show_logs "$p"; done
    return 1
}

show_logs() {
    local port=$1 es_log
    es_log="$(run_dir "$port")/logs/${CLUSTER_NAME}.log"
    {
        echo "---- last 50 lines of $(out_log "$port")"
        tail -n 50 "$(out_log "$port")" 2>/dev/null || true
        echo "---- last 50 lines of $es_log"
        tail -n 50 "$es_log" 2>/dev/null || true
        echo "----"
    } >&2
}

stop_node() {
    local port=$1 pid cli_pid i p
    pid=$(read_pid "$(pid_file "$port")")
    cli_pid=$(read_pid "$(cli_pid_file "$port")")
    if ! pid_alive "$pid" && ! pid_alive "$cli_pid"; then
        log "node on port $port not running"
        rm -f "$(pid_file "$port")" "$(cli_pid_file "$port")"
        return 0
    fi
    log "stopping the node on port $port (pid ${pid:-?}, launcher ${cli_pid:-?})"
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
    rm -f "$(pid_file "$port")" "$(cli_pid_file "$port")"
    log "stopped the node on port $port"
}

cmd_start() {
    [[ $(id -u) -eq 0 ]] || die "run as root (it creates the user $ES_USER and starts Elasticsearch as that user)"
    local ports port all=1 t0=$SECONDS
    mapfile -t ports < <(node_ports)
    for port in "${ports[@]}"; do node_running "$port" || all=0; done
    if ((all)); then
        if healthy "$ES_PORT" "$ES_NODES"; then
            log "already running (${#ports[@]} node(s) from port $ES_PORT)"
            return 0
        fi
        log "a previous cluster is running but not healthy; restarting it"
    fi
    for port in "${ports[@]}"; do stop_node "$port" >/dev/null; done
    for port in "${ports[@]}"; do
        if curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$port/"; then
            die "something else already listens on 127.0.0.1:$port (not started by this script); stop it or set ES_PORT"
        fi
    done

    fetch
    unpack
    ensure_user
    log "prepared in $((SECONDS - t0)) s"

    local java_home tried="" i
    for java_home in $ES_JAVA_CANDIDATES; do
        if [[ ! -x "$java_home/bin/java" ]] || ! "$java_home/bin/java" -version >/dev/null 2>&1; then
            log "no working java in $java_home; skipping"
            continue
        fi
        tried="$tried $java_home"
        log "starting Elasticsearch $ES_VERSION: ${#ports[@]} node(s) on 127.0.0.1:${ports[*]} (java: $java_home, heap: $ES_HEAP each)"
        for ((i = 0; i < ${#ports[@]}; i++)); do
            prepare_node "${ports[i]}" "$i" "$java_home"
            launch_node "${ports[i]}"
        done
        if wait_healthy "$ES_PORT" "$ES_NODES" "${ports[@]}"; then
            return 0
        fi
        log "Elasticsearch did not start with $java_home"
        for port in "${ports[@]}"; do stop_node "$port"; done
    done
    die "Elasticsearch $ES_VERSION did not start (java tried:${tried:- none})"
}

cmd_stop() {
    local port
    for port in $(node_ports | sort -rn); do stop_node "$port"; done
}

cmd_status() {
    local port
    for port in $(node_ports); do node_running "$port" || return 1; done
    healthy "$ES_PORT" "$ES_NODES" >/dev/null
}

cmd_start_node() {
    [[ $(id -u) -eq 0 ]] || die "run as root (it starts Elasticsearch as the user $ES_USER)"
    local port=$1
    [[ -f "$(run_dir "$port")/launch.sh" ]] || die "no node on port $port was started by '$0 start'"
    if node_running "$port" && healthy "$port" >/dev/null; then
        log "the node on port $port is already running"
        return 0
    fi
    stop_node "$port" >/dev/null
    log "starting the node on port $port again"
    launch_node "$port"
    wait_healthy "$port" "" "$port" >/dev/null || die "the node on port $port did not rejoin its cluster"
    log "the node on port $port is back"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    stop-node) stop_node "${2:?usage: $0 stop-node PORT}" ;;
    start-node) cmd_start_node "${2:?usage: $0 start-node PORT}" ;;
    *)
        echo "usage: $0 start|stop|status|stop-node PORT|start-node PORT" >&2
        exit 2
        ;;
esac
