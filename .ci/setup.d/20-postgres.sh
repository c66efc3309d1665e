# PostgreSQL for the cross-backend tests (tests/backends): Debian's server, a throwaway cluster in a
# temporary folder on a free local port, a test role and database, and the URL the tests read;
# stopped and removed when the run ends. Sourced by .ci/test.
if ! skipping postgres && [ -z "${ADOPTSCORE_TEST_POSTGRES_URL:-}" ]; then
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || apt_install postgres postgresql
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  PG_DIR="$(mktemp -d /tmp/adoptscore-test-pg.XXXXXX)"
  PG_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  pg_as_server() {
    # initdb and postgres refuse to run as root
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
  }
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$PG_DIR"; fi
  pg_as_server "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log"
  # fsync off: a test server holds nothing worth a crash-safe disk write
  pg_as_server "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w start \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
  on_exit "pg_as_server '$PG_BIN/pg_ctl' -D '$PG_DIR/data' -m immediate stop >/dev/null 2>&1; rm -rf '$PG_DIR'"
  "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE adoptscore LOGIN" -c "CREATE DATABASE adoptscore OWNER adoptscore"
  export ADOPTSCORE_TEST_POSTGRES_URL="postgres://adoptscore@127.0.0.1:$PG_PORT/adoptscore"
  echo "test setup: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') at $ADOPTSCORE_TEST_POSTGRES_URL"
fi
