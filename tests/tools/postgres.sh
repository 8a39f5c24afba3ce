#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the history store's tests: initdb in a temporary folder,
# a free port on 127.0.0.1, pg_ctl start; prints the URL the tests read from
# LOADGATE_TEST_POSTGRES_URL. Run as root, the cluster runs as the `postgres` user.
#
#   eval "$(bash tests/tools/postgres.sh start)"   # exports LOADGATE_TEST_POSTGRES_URL and
#                                                 # LOADGATE_TEST_POSTGRES_DIR
#   bash tests/tools/postgres.sh stop "$LOADGATE_TEST_POSTGRES_DIR"
#
# Installs nothing: .ci/run installs Debian's postgresql when its binaries are missing.
set -euo pipefail

bin_dir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
    echo "postgres.sh: no PostgreSQL under /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
    exit 1
  fi
  echo "$d"
}

# Runs a command as the cluster's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  local bin dir port
  bin=$(bin_dir)
  dir=$(mktemp -d /tmp/loadgate-pg.XXXXXX)
  [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U loadgate --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  port=$(free_port)
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null || {
    cat "$dir/server.log" >&2
    exit 1
  }
  echo "export LOADGATE_TEST_POSTGRES_URL=postgres://loadgate@127.0.0.1:$port/postgres"
  echo "export LOADGATE_TEST_POSTGRES_DIR=$dir"
}

stop() {
  local dir=${1:?postgres.sh stop DIR}
  as_owner "$(bin_dir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *)
    echo "usage: postgres.sh start | stop DIR" >&2
    exit 2
    ;;
esac
