#!/usr/bin/env bash
# Start or stop the preinstalled PostgreSQL cluster for the tests (DESIGN.md §7).
#
#   .ci/postgres.sh start    start the cluster (created first when it does not exist, e.g. a second
#                            one: PG_CLUSTER=restart-test PG_PORT=5440); ensure role and database
#                            "dichtbij" (password "dichtbij")
#   .ci/postgres.sh stop     stop the cluster
#   .ci/postgres.sh restart  restart it (fast: open sessions are cut, as a crash or failover would)
#   .ci/postgres.sh status   exit 0 when the cluster is online
#   .ci/postgres.sh drop     stop and remove a cluster this script created (never "main")
#
# Then: DATABASE_URL=postgres://dichtbij:dichtbij@127.0.0.1:5432/dichtbij
# The role has CREATEDB because pytest-django creates (and drops) test_dichtbij.
set -euo pipefail

PG_VERSION=${PG_VERSION:-15}
PG_CLUSTER=${PG_CLUSTER:-main}
PG_PORT=${PG_PORT:-5432}
DB_NAME=${DB_NAME:-dichtbij}
DB_USER=${DB_USER:-dichtbij}
DB_PASSWORD=${DB_PASSWORD:-dichtbij}
# The default 128MB is for tiny machines; PostgreSQL's advice is about a quarter of the memory.
# The supplier index and its GIN indexes must stay in memory (docs/benchmarks.md).
PG_SHARED_BUFFERS=${PG_SHARED_BUFFERS:-1GB}

log() { echo "[postgres] $*"; }
die() { echo "[postgres] ERROR: $*" >&2; exit 1; }

exists() { pg_lsclusters --no-header 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c { found = 1 } END { exit !found }'; }
online() { pg_lsclusters --no-header 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c && $4 == "online" { found = 1 } END { exit !found }'; }

# psql as the postgres superuser over the local socket (peer auth); "cd /" avoids
# "could not change directory" when the caller's directory is not readable by postgres.
as_postgres() { su postgres -s /bin/bash -c "cd / && psql -X -q -v ON_ERROR_STOP=1 -p $PG_PORT $*"; }

cmd_start() {
    [[ $(id -u) -eq 0 ]] || die "run as root (it uses pg_ctlcluster and su postgres)"
    command -v pg_ctlcluster >/dev/null || die "pg_ctlcluster not found: apt-get install -y postgresql"
    local t0=$SECONDS
    if ! exists; then
        # Started by hand only (start.conf manual): a test cluster must not come back at boot.
        log "creating cluster $PG_VERSION/$PG_CLUSTER on port $PG_PORT"
        pg_createcluster --start-conf manual -p "$PG_PORT" "$PG_VERSION" "$PG_CLUSTER" >/dev/null \
            || die "pg_createcluster $PG_VERSION $PG_CLUSTER failed"
        touch "/etc/postgresql/$PG_VERSION/$PG_CLUSTER/created-by-dichtbij-ci"
    fi
    if online; then
        log "cluster $PG_VERSION/$PG_CLUSTER already running"
    else
        log "starting cluster $PG_VERSION/$PG_CLUSTER"
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start || online || die "pg_ctlcluster $PG_VERSION $PG_CLUSTER start failed"
    fi
    wait_ready

    # Idempotent: create or update the role, then create the database if missing.
    as_postgres -d postgres <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
        CREATE ROLE "$DB_USER" LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
    ELSE
        ALTER ROLE "$DB_USER" LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
    END IF;
END
\$\$;
SELECT 'CREATE DATABASE "$DB_NAME" OWNER "$DB_USER"'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB_NAME')\gexec
SQL

    # Memory for the buffer cache: changing it needs a restart, done only when it differs.
    local current
    current=$(as_postgres -d postgres -At -c "'SHOW shared_buffers'")
    if [[ "$current" != "$PG_SHARED_BUFFERS" ]]; then
        log "shared_buffers $current -> $PG_SHARED_BUFFERS (restart)"
        as_postgres -d postgres -c "\"ALTER SYSTEM SET shared_buffers = '$PG_SHARED_BUFFERS'\""
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart
        wait_ready
    fi

    # Check the way the tests connect: TCP with the password (scram-sha-256).
    PGPASSWORD="$DB_PASSWORD" PGCONNECT_TIMEOUT=5 \
        psql -X -q -At -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -d "$DB_NAME" -c 'select 1' >/dev/null \
        || die "cannot connect as $DB_USER to $DB_NAME on 127.0.0.1:$PG_PORT"
    log "ready in $((SECONDS - t0)) s: postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME"
}

wait_ready() {
    local i
    for ((i = 0; i < 60; i++)); do
        pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && return 0
        sleep 0.5
    done
    die "PostgreSQL does not accept connections on 127.0.0.1:$PG_PORT"
}

cmd_restart() {
    online || die "cluster $PG_VERSION/$PG_CLUSTER is not running"
    local t0=$SECONDS
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart -m fast || die "pg_ctlcluster restart failed"
    wait_ready
    log "restarted cluster $PG_VERSION/$PG_CLUSTER in $((SECONDS - t0)) s"
}

cmd_drop() {
    [[ "$PG_CLUSTER" != main ]] || die "refusing to drop the main cluster"
    exists || { log "cluster $PG_VERSION/$PG_CLUSTER does not exist"; return 0; }
    [[ -f "/etc/postgresql/$PG_VERSION/$PG_CLUSTER/created-by-dichtbij-ci" ]] \
        || die "cluster $PG_VERSION/$PG_CLUSTER was not created by this script; not dropping it"
    log "dropping cluster $PG_VERSION/$PG_CLUSTER"
    pg_dropcluster --stop "$PG_VERSION" "$PG_CLUSTER"
}

cmd_stop() {
    if online; then
        log "stopping cluster $PG_VERSION/$PG_CLUSTER"
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop
    else
        log "cluster $PG_VERSION/$PG_CLUSTER not running"
    fi
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_restart ;;
    status) online ;;
    drop) cmd_drop ;;
    *)
        echo "usage: $0 start|stop|restart|status|drop" >&2
        exit 2
        ;;
esac
