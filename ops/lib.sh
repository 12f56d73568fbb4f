# shellcheck shell=bash
# Shared functions for the ops/ scripts. Sourced, never run.
#
# The caller sets BUTLER_ROOT (absolute repo root) before sourcing:
#   BUTLER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
#
# The private cluster: data in $PG_DATA, Unix socket in $PG_RUN, log in $PG_LOG,
# port ${BUTLER_PG_PORT:-54329} (never 5432, so a distro cluster does not matter).

: "${BUTLER_ROOT:?BUTLER_ROOT must be set before sourcing ops/lib.sh}"

PG_PORT="${BUTLER_PG_PORT:-54329}"
PG_SUPERUSER=postgres
PG_APP_ROLE=butler
# The least-privileged role `butler serve` runs as (schema/0010_server_role.sql).
PG_WEB_ROLE=butler_web
PG_APP_DB=butler

say() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
heading() { printf '==> %s\n' "$*"; }

is_root() { [[ $(id -u) -eq 0 ]]; }

# ---------------------------------------------------------------------------
# Tools: apt packages and Swift.

# Installs postgresql, libpq-dev and pkg-config when any of them is missing.
# (pkg-config is how SwiftPM finds libpq's headers for the CLibPQ target.)
ensure_packages() {
    local missing=() pkg
    for pkg in postgresql libpq-dev pkg-config; do
        if ! dpkg -s "$pkg" >/dev/null 2>&1; then
            missing+=("$pkg")
        fi
    done
    # dpkg may say "installed" while a binary is gone; check what we run, too.
    if [[ ${#missing[@]} -eq 0 ]] && ! find_pg_bin >/dev/null; then
        missing+=(postgresql)
    fi
    [[ ${#missing[@]} -eq 0 ]] && return 0
    apt_install "${missing[@]}"
}

# Installs Debian packages (apt-get update first), as root or through sudo.
apt_install() {
    local sudo=()
    if ! is_root; then
        command -v sudo >/dev/null || die "missing packages ($*); install them as root: apt-get install $*"
        sudo=(sudo)
    fi
    say "installing $* (apt-get)"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "$@" >&2
}

ensure_swift() {
    if ! command -v swift >/dev/null; then
        if [[ -x /opt/swift/usr/bin/swift ]]; then
            export PATH="/opt/swift/usr/bin:$PATH"
        else
            die "swift not found on PATH nor in /opt/swift/usr/bin"
        fi
    fi
}

# Prints the PostgreSQL server bin dir (15 preferred, else the newest installed).
find_pg_bin() {
    local dir
    if [[ -n ${BUTLER_PG_BIN:-} ]]; then
        [[ -x $BUTLER_PG_BIN/initdb ]] || return 1
        printf '%s\n' "$BUTLER_PG_BIN"
        return 0
    fi
    if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
        printf '%s\n' /usr/lib/postgresql/15/bin
        return 0
    fi
    dir=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1)
    [[ -n $dir ]] || return 1
    dirname "$dir"
}

# ---------------------------------------------------------------------------
# Where the cluster lives and who runs it.

# initdb/postgres refuse root: as root, the server runs as the `postgres` system user.
pg_os_user() {
    if is_root; then printf 'postgres\n'; else id -un; fi
}

# Runs a server-side command (initdb, pg_ctl) as the cluster's OS user, from `/`
# so an unreadable working directory (e.g. /root) does not bother it.
as_pg() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

# Sets PG_BASE, PG_DATA, PG_RUN, PG_LOG. The data normally lives under .data/ in the
# repo; when running as root and the postgres user cannot reach the repo (e.g. it is
# under /root), it moves to /tmp/butler-pg-<hash of repo path>.
pg_paths() {
    PG_BASE="$BUTLER_ROOT/.data"
    if is_root; then
        id postgres >/dev/null 2>&1 || die "no 'postgres' system user; is the postgresql package installed?"
        if ! runuser -u postgres -- test -x "$BUTLER_ROOT" 2>/dev/null; then
            local hash
            hash=$(printf '%s' "$BUTLER_ROOT" | sha256sum | cut -c1-10)
            PG_BASE="/tmp/butler-pg-$hash"
            if [[ -z ${BUTLER_PG_NOTED:-} ]]; then
                say "note: user postgres cannot reach $BUTLER_ROOT; cluster data lives in $PG_BASE"
                export BUTLER_PG_NOTED=1
            fi
        fi
    fi
    PG_DATA="$PG_BASE/pg"
    PG_RUN="$PG_BASE/run"
    PG_LOG="$PG_BASE/pg.log"
}

# Serializes start/stop/create-database across concurrent ops/ runs on this repo.
pg_lock() {
    mkdir -p "$PG_BASE"
    exec 9>"$PG_BASE/lock"
    flock 9
}
pg_unlock() {
    flock -u 9 2>/dev/null || true
}

pg_is_running() {
    [[ -f $PG_DATA/PG_VERSION ]] || return 1
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

# The port the running server listens on (from postmaster.pid), else the configured one.
pg_port() {
    local port=""
    if [[ -f $PG_DATA/postmaster.pid ]] && pg_is_running; then
        port=$(sed -n 4p "$PG_DATA/postmaster.pid" 2>/dev/null || true)
    fi
    printf '%s\n' "${port:-$PG_PORT}"
}

# Percent-encodes a value for a libpq URI query parameter (keeps '/').
uri_encode() {
    local LC_ALL=C s=$1 out="" c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case $c in
            [a-zA-Z0-9._~/-]) out+=$c ;;
            *) printf -v c '%%%02X' "'$c"; out+=$c ;;
        esac
    done
    printf '%s' "$out"
}

# The URI the app uses for database $1, over the Unix socket.
pg_url() {
    local db=$1
    printf 'postgresql:///%s?host=%s&port=%s&user=%s\n' \
        "$db" "$(uri_encode "$PG_RUN")" "$(pg_port)" "$PG_APP_ROLE"
}

# The URI `butler serve` uses for database $1: the least-privileged server role.
pg_web_url() {
    local db=$1
    printf 'postgresql:///%s?host=%s&port=%s&user=%s\n' \
        "$db" "$(uri_encode "$PG_RUN")" "$(pg_port)" "$PG_WEB_ROLE"
}

# psql as the superuser over the socket; extra args pass through.
pg_psql_super() {
    PGHOST="$PG_RUN" PGPORT="$(pg_port)" PGUSER="$PG_SUPERUSER" PGDATABASE="${PGDATABASE:-$PG_APP_DB}" \
        "$PG_BIN/psql" "$@"
}

# Scripted SQL as superuser on database $1; stops on the first error.
pg_sql() {
    local db=$1; shift
    PGDATABASE="$db" PGOPTIONS="-c client_min_messages=warning" \
        pg_psql_super -X -q -v ON_ERROR_STOP=1 "$@"
}

# ---------------------------------------------------------------------------
# Cluster lifecycle.

# Creates the cluster on first use. initdb runs into a scratch dir that is renamed
# when complete, so an interrupted first run never leaves a half-made cluster.
pg_init() {
    [[ -f $PG_DATA/PG_VERSION ]] && return 0
    local user tmp="$PG_DATA.init"
    user=$(pg_os_user)
    say "creating PostgreSQL cluster in $PG_DATA"
    rm -rf "$tmp"
    if [[ -d $PG_DATA ]]; then rmdir "$PG_DATA" 2>/dev/null || true; fi
    [[ -e $PG_DATA ]] && die "$PG_DATA exists but is not a cluster; move it away"
    mkdir -p "$tmp"
    chown "$user:" "$tmp"
    chmod 700 "$tmp"
    as_pg "$PG_BIN/initdb" -D "$tmp" -U "$PG_SUPERUSER" --auth=trust -E UTF8 \
        --locale=C.UTF-8 >"$PG_BASE/initdb.log" 2>&1 \
        || { cat "$PG_BASE/initdb.log" >&2; die "initdb failed"; }
    # Port and socket dir are given at start time (-p/-k), so the repo may move
    # and BUTLER_PG_PORT may change without touching this file.
    cat >>"$tmp/postgresql.conf" <<'EOF'

# --- butler dev cluster (ops/lib.sh) ---
listen_addresses = '127.0.0.1'
# 300 at start time (pg_start): the test suites run in parallel, each server test with its own pool.
max_connections = 100
shared_buffers = 256MB
synchronous_commit = off
log_line_prefix = '%m [%p] %q%u@%d '
log_timezone = 'UTC'
EOF
    mv "$tmp" "$PG_DATA"
}

# Makes the socket dir and log file, owned by the server's OS user.
pg_prepare_dirs() {
    local user
    user=$(pg_os_user)
    mkdir -p "$PG_BASE" "$PG_RUN"
    touch "$PG_LOG"
    chown "$user:" "$PG_RUN" "$PG_LOG"
    chmod 755 "$PG_RUN"
}

# Starts the server if needed (idempotent), then ensures role, database, extension.
# Returns with PG_STARTED=1 when this call started the server (read by ops/test).
# shellcheck disable=SC2034
pg_start() {
    PG_STARTED=0
    pg_init
    pg_prepare_dirs
    if pg_is_running; then
        local running
        running=$(pg_port)
        if [[ $running != "$PG_PORT" ]]; then
            say "warning: cluster already runs on port $running (BUTLER_PG_PORT=$PG_PORT ignored; ops/db stop first)"
        fi
    else
        say "starting PostgreSQL on port $PG_PORT (socket $PG_RUN, log $PG_LOG)"
        # The server must not inherit the lock fd, or it would hold the lock forever.
        if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
            -o "-p $PG_PORT -k '$PG_RUN' -c max_connections=300" start >/dev/null 9>&-; then
            tail -n 20 "$PG_LOG" >&2 || true
            die "PostgreSQL did not start (log: $PG_LOG). Is port $PG_PORT taken? Set BUTLER_PG_PORT."
        fi
        PG_STARTED=1
    fi
    pg_sql postgres <<EOF
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER', '$PG_APP_ROLE')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_APP_ROLE')
\gexec
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOINHERIT', '$PG_WEB_ROLE')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_WEB_ROLE')
\gexec
EOF
    pg_create_db "$PG_APP_DB"
}

# Creates database $1 owned by the app role (if missing) with btree_gist in public.
pg_create_db() {
    local db=$1
    pg_sql postgres <<EOF
SELECT format('CREATE DATABASE %I OWNER %I', '$db', '$PG_APP_ROLE')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db')
\gexec
EOF
    pg_sql "$db" -c 'CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public'
}

pg_drop_db() {
    local db=$1
    pg_sql postgres <<EOF
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', '$db')
\gexec
EOF
}

pg_stop() {
    if pg_is_running; then
        say "stopping PostgreSQL ($PG_DATA)"
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    fi
}

# Loads everything: PG_BIN and paths. Call once from each script.
pg_setup() {
    PG_BIN=$(find_pg_bin) || die "PostgreSQL server binaries not found (apt-get install postgresql)"
    pg_paths
}

# Starts `butler serve` (debug build) on the demo data in a throwaway database named
# butler_<purpose>_<pid>; sets DEMO_PORT, DEMO_TOKEN (agent E9001), DEMO_SEED (the CSV dir),
# DEMO_SERVER_PID, and for the console DEMO_BUTLER(_TOKEN) (E1001), DEMO_MANAGER(_TOKEN),
# DEMO_TECHNICIAN(_TOKEN) and DEMO_OTHER_BUTLER of E1001's project. Stop with demo_server_down (e.g. from an EXIT trap).
demo_server_up() {
    local purpose=$1 bin kind
    swift build --product butler-seed >/dev/null
    swift build --product butler >/dev/null
    bin=$(swift build --show-bin-path)
    pg_setup
    # Under ops/test the cluster is ops/test's to stop: `ops/db start` would claim it (it
    # removes ops/test's marker) and leave it running after the tests.
    if [[ -z ${BUTLER_UNDER_OPS_TEST:-} ]]; then
        "$BUTLER_ROOT/ops/db" start >/dev/null
    fi
    DEMO_DB="butler_${purpose}_$$"
    DEMO_PORT=${BUTLER_DEMO_PORT:-$((18000 + $$ % 1000))}
    pg_create_db "$DEMO_DB"
    BUTLER_DATABASE_URL=$(pg_url "$DEMO_DB")
    export BUTLER_DATABASE_URL
    "$bin/butler" db migrate >/dev/null
    DEMO_SEED=$(mktemp -d)
    "$bin/butler-seed" --scale demo --out "$DEMO_SEED" 2>/dev/null
    for kind in projects staff houses residents grids entrustments; do
        "$bin/butler" import "$kind" "$DEMO_SEED/$kind.csv" >/dev/null
    done
    "$bin/butler" jobs run >/dev/null
    # shellcheck disable=SC2034 # read by the scripts that call demo_server_up
    DEMO_TOKEN=$("$bin/butler" token create --staff E9001)
    # The console's roles (issue 16): the demo butler E1001, and the manager, another butler and
    # the first technician of E1001's project (staff.csv: employee_no,name,phone,role,project).
    local project
    project=$(awk -F, '$1 == "E1001" { print $5 }' "$DEMO_SEED/staff.csv")
    # shellcheck disable=SC2034 # read by the scripts that call demo_server_up
    {
        DEMO_BUTLER=E1001
        DEMO_BUTLER_TOKEN=$("$bin/butler" token create --staff E1001)
        DEMO_MANAGER=$(awk -F, -v p="$project" '$4 == "manager" && $5 == p { print $1; exit }' "$DEMO_SEED/staff.csv")
        DEMO_MANAGER_TOKEN=$("$bin/butler" token create --staff "$DEMO_MANAGER")
        DEMO_OTHER_BUTLER=$(awk -F, -v p="$project" '$4 == "butler" && $5 == p && $1 != "E1001" { print $1; exit }' "$DEMO_SEED/staff.csv")
        DEMO_TECHNICIAN=$(awk -F, -v p="$project" '$4 == "technician" && $5 == p { print $1; exit }' "$DEMO_SEED/staff.csv")
        DEMO_TECHNICIAN_TOKEN=$("$bin/butler" token create --staff "$DEMO_TECHNICIAN")
    }
    # The server runs as the role with only the privileges it needs (schema/0010).
    "$bin/butler" db grant "$PG_WEB_ROLE" >/dev/null
    # Requests as the server's role; the server's clock runs the jobs as the owner.
    BUTLER_DATABASE_URL=$(pg_web_url "$DEMO_DB") BUTLER_JOBS_DATABASE_URL=$(pg_url "$DEMO_DB") \
        "$bin/butler" serve --port "$DEMO_PORT" >"$BUTLER_ROOT/.data/$purpose-server.log" 2>&1 &
    DEMO_SERVER_PID=$!
    local _
    for _ in $(seq 1 100); do
        curl -fsS "http://127.0.0.1:$DEMO_PORT/healthz" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    die "butler serve did not come up (see .data/$purpose-server.log)"
}

demo_server_down() {
    if [[ -n ${DEMO_SERVER_PID:-} ]]; then
        kill "$DEMO_SERVER_PID" 2>/dev/null || true
        wait "$DEMO_SERVER_PID" 2>/dev/null || true
    fi
    [[ -n ${DEMO_DB:-} ]] && pg_drop_db "$DEMO_DB" >/dev/null 2>&1
    [[ -n ${DEMO_SEED:-} ]] && rm -rf "$DEMO_SEED"
    return 0
}
