#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the end-to-end tests (a ctest fixture):
#   tests/postgres-fixture.sh start DIR   initdb in DIR, start on 127.0.0.1 and a free port, write DIR/uri
#   tests/postgres-fixture.sh stop DIR    stop it and delete DIR
#   tests/postgres-fixture.sh kill DIR    stop it at once (pg_ctl -m immediate, like a crash); DIR is kept
#   tests/postgres-fixture.sh restart DIR start it again on the same data folder and port (after kill)
# As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root).
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?directory}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "postgres-fixture: PostgreSQL server binaries not found; run scripts/install-deps.sh" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_server() {
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$1 -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
}

case "$cmd" in
  start)
    if [ -f "$dir/uri" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then exit 0; fi
    rm -rf "$dir" && mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    as_owner "$bin/initdb" -D "$dir/data" -U metl --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    start_server "$port"
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U metl metl_test
    echo "postgres://metl@127.0.0.1:$port/metl_test" >"$dir/uri.tmp" && mv "$dir/uri.tmp" "$dir/uri"
    echo "postgres-fixture: started $(cat "$dir/uri")"
    ;;
  stop)
    if [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
  kill)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null
    ;;
  restart)
    uri=$(cat "$dir/uri")
    port=${uri##*:}
    start_server "${port%%/*}"
    ;;
  *) echo "usage: $0 start|stop|kill|restart DIR" >&2; exit 2 ;;
esac
