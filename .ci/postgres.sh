#!/usr/bin/env bash
# Start or stop the preinstalled PostgreSQL cluster for the tests (DESIGN.md §7).
#
#   .ci/postgres.sh start    start the cluster; ensure role and database "dichtbij" (password "dichtbij")
#   .ci/postgres.sh stop     stop the cluster
#   .ci/postgres.sh status   exit 0 when the cluster is online
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

online() { pg_lsclusters --no-header 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c && $4 == "online" { found = 1 } END { exit !found }'; }

# psql as the postgres superuser over the local socket (peer auth); "cd /" avoids
# "could not change directory" when the caller's directory is not readable by postgres.
as_postgres() { su postgres -s /bin/bash -c "cd / && psql -X -q -v ON_ERROR_STOP=1 -p $PG_PORT $*"; }

cmd_start() {
    [[ $(id -u) -eq 0 ]] || die "run as root (it uses pg_ctlcluster and su postgres)"
    command -v pg_ctlcluster >/dev/null || die "pg_ctlcluster not found: apt-get install -y postgresql"
    local t0=$SECONDS
    if online; then
        log "cluster $PG_VERSION/$PG_CLUSTER already running"
    else
        log "starting cluster $PG_VERSION/$PG_CLUSTER"
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start || online || die "pg_ctlcluster $PG_VERSION $PG_CLUSTER start failed"
    fi
    local i
    for ((i = 0; i < 30; i++)); do
        pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
        sleep 1
    done
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" || die "PostgreSQL does not accept connections on 127.0.0.1:$PG_PORT"

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
        for ((i = 0; i < 30; i++)); do
            pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
            sleep 1
        done
    fi

    # Check the way the tests connect: TCP with the password (scram-sha-256).
    PGPASSWORD="$DB_PASSWORD" PGCONNECT_TIMEOUT=5 \
        psql -X -q -At -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -d "$DB_NAME" -c 'select 1' >/dev/null \
        || die "cannot connect as $DB_USER to $DB_NAME on 127.0.0.1:$PG_PORT"
    log "ready in $((SECONDS - t0)) s: postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME"
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
    status) online ;;
    *)
        echo "usage: $0 start|stop|status" >&2
        exit 2
        ;;
esac
