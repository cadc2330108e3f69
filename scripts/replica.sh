#!/usr/bin/env bash
# A real PostgreSQL streaming replica (hot standby) of the local primary, for the read-routing tests.
#   scripts/replica.sh start   pg_basebackup -R into a second cluster on $REPLICA_PORT (5433) and start it
#   scripts/replica.sh test    start, migrate a fresh database on the primary, run the `replica` tests, clean up
#   scripts/replica.sh stop    stop the standby and remove its directory
# `test` then runs the same tests again through pgbouncer in transaction mode (port $BOUNCER_PORT, 6432), one pool
# for the primary and one for the standby, with FAZHI_PGBOUNCER=1 as a deployment behind it would set.
# The primary must accept replication connections from 127.0.0.1 (a pg_hba line is added if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
PORT=${REPLICA_PORT:-5433}
DIR=${REPLICA_DIR:-/tmp/fazhi-replica-$PORT}
BOUNCER_PORT=${BOUNCER_PORT:-6432}
BOUNCER_DIR=${BOUNCER_DIR:-/tmp/fazhi-pgbouncer-$BOUNCER_PORT}
PSQL=(psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atq)
if [ "$(id -u)" = 0 ]; then AS=(runuser -u postgres --); else AS=(); fi

bouncer_stop() {
  if [ -f "$BOUNCER_DIR/pgbouncer.pid" ]; then kill "$(cat "$BOUNCER_DIR/pgbouncer.pid")" 2>/dev/null || true; sleep 0.5; fi
  rm -rf "$BOUNCER_DIR"
}

bouncer_start() {  # $1: the database name on both clusters
  bouncer_stop
  mkdir -p "$BOUNCER_DIR"
  cat >"$BOUNCER_DIR/pgbouncer.ini" <<INI
[databases]
$1 = host=127.0.0.1 port=$PRIMARY_PORT dbname=$1
${1}_replica = host=127.0.0.1 port=$PORT dbname=$1
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = trust
admin_users = postgres
auth_file = $BOUNCER_DIR/userlist.txt
pool_mode = transaction
max_client_conn = 200
default_pool_size = 10
ignore_startup_parameters = extra_float_digits,options
pidfile = $BOUNCER_DIR/pgbouncer.pid
logfile = $BOUNCER_DIR/pgbouncer.log
INI
  echo '"postgres" ""' >"$BOUNCER_DIR/userlist.txt"
  [ ${#AS[@]} -eq 0 ] || chown -R postgres "$BOUNCER_DIR"
  "${AS[@]}" /usr/sbin/pgbouncer -d "$BOUNCER_DIR/pgbouncer.ini"  # it refuses to run as root
  for _ in $(seq 1 30); do
    psql -h 127.0.0.1 -p "$BOUNCER_PORT" -U postgres -Atqc 'SELECT 1' "$1" >/dev/null 2>&1 && break
    sleep 0.5
  done
  echo "pgbouncer (transaction pooling) on port $BOUNCER_PORT"
}

stop() {
  if [ -f "$DIR/postmaster.pid" ]; then "${AS[@]}" "$PGBIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null || true; fi
  rm -rf "$DIR"
}

start() {
  hba=$("${PSQL[@]}" -c "SHOW hba_file")
  if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba"; then
    echo "host replication all 127.0.0.1/32 trust" >>"$hba"
    "${PSQL[@]}" -c "SELECT pg_reload_conf()" >/dev/null
  fi
  stop
  mkdir -p "$DIR" && chmod 700 "$DIR"
  [ ${#AS[@]} -eq 0 ] || chown postgres "$DIR"
  "${AS[@]}" "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR" -R -X stream -c fast
  # Debian keeps the configuration outside the data directory: give the standby its own
  printf "port = %s\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '/tmp'\nhot_standby = on\n" "$PORT" \
    | "${AS[@]}" tee "$DIR/postgresql.conf" >/dev/null
  printf "local all all trust\nhost all all 127.0.0.1/32 trust\n" | "${AS[@]}" tee "$DIR/pg_hba.conf" >/dev/null
  "${AS[@]}" touch "$DIR/pg_ident.conf"
  "${AS[@]}" "$PGBIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w start >/dev/null
  for _ in $(seq 1 30); do
    [ "$(psql -h 127.0.0.1 -p "$PORT" -U postgres -Atqc 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ] && break
    sleep 1
  done
  echo "standby on port $PORT (in recovery: $(psql -h 127.0.0.1 -p "$PORT" -U postgres -Atqc 'SELECT pg_is_in_recovery()'))"
}

run_tests() {
  db="fazhi_replica_$$"
  trap 'bouncer_stop; "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; stop' EXIT
  start
  "${PSQL[@]}" -c "CREATE DATABASE $db"
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/$db"
  export DATABASE_REPLICA_URLS="postgres://postgres@127.0.0.1:$PORT/$db" FAZHI_REPLICA_REAL=1
  # migrate runs as production would (FAZHI_DEBUG=0), which refuses the development key
  export FAZHI_SECRET_KEY="replica-check-$$-$(date +%s)-$RANDOM$RANDOM"
  "$BIN/fazhi" migrate -v0
  "$BIN/python" -m pytest -q -p no:xdist -m replica fazhi/core/tests/test_replica_real.py
  echo "-- the same through pgbouncer (transaction mode) --"
  bouncer_start "$db"
  DATABASE_URL="postgres://postgres@127.0.0.1:$BOUNCER_PORT/$db" \
  DATABASE_REPLICA_URLS="postgres://postgres@127.0.0.1:$BOUNCER_PORT/${db}_replica" FAZHI_PGBOUNCER=1 \
  FAZHI_REPLICA_BOUNCER=1 "$BIN/python" -m pytest -q -p no:xdist -m replica fazhi/core/tests/test_replica_real.py
}

case "${1:-test}" in
  start) start ;;
  stop) stop ;;
  test) run_tests ;;
  *) echo "usage: $0 start|test|stop" >&2; exit 2 ;;
esac
