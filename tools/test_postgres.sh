#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for the tests, and print its URL.
#
#   export SITROOM_TEST_PG=$(bash tools/test_postgres.sh)      # start (installs it if missing)
#   bash tools/test_postgres.sh stop                           # stop it and remove its files
#
# The cluster lives in $PGTEST_DIR (default /tmp/sitroom-pgtest), runs as the `postgres` user
# when run as root, listens only on 127.0.0.1:$PGTEST_PORT (default 54329), trusts local
# connections (it holds nothing but test data) and has one database, sitroom_test.
set -euo pipefail
DIR="${PGTEST_DIR:-/tmp/sitroom-pgtest}"
PORT="${PGTEST_PORT:-54329}"
URL="postgresql://postgres@127.0.0.1:${PORT}/sitroom_test"

bindir() {
  local ctl
  ctl=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  echo "$ctl"
}

as_owner() {  # run a command as the cluster's owner (postgres refuses to run as root)
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-start}" = stop ]; then
  BIN=$(bindir)
  [ -d "$DIR/data" ] && as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
  exit 0
fi

if [ -z "$(bindir)" ]; then
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null) >&2
fi
BIN=$(bindir)
if [ ! -s "$DIR/data/PG_VERSION" ]; then
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"
  as_owner "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! as_owner "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
fi
if ! as_owner "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'sitroom_test'" postgres | grep -q 1; then
  as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres sitroom_test
fi
echo "$URL"
