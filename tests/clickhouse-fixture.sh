#!/usr/bin/env bash
# Throwaway ClickHouse servers (Debian's clickhouse-server, 18.16 here) for the end-to-end tests (a ctest
# fixture), on 127.0.0.1 with free ports, in DIR, without systemd:
#   tests/clickhouse-fixture.sh start DIR [N]   start N servers (default 2) that form the cluster `metl`
#                                               (remote_servers lists every server's native port);
#                                               writes DIR/uri (server 1 alone: clickhouse://default@127.0.0.1:PORT)
#                                               and DIR/cluster-uri-params (?cluster=metl&shards=H1:P1,H2:P2)
#   tests/clickhouse-fixture.sh stop DIR        SIGKILL every server by its PID, delete DIR
#   tests/clickhouse-fixture.sh kill DIR I      SIGKILL server I (1-based) by its PID; its data stays
#   tests/clickhouse-fixture.sh restart DIR I   start server I again on the same data and ports
#   METL_CH_PASSWORD=PW tests/clickhouse-fixture.sh start-secure DIR
#                                               one server whose users need a password (user etl, PW,
#                                               stored as its SHA-256 only) and which also serves HTTPS
#                                               (<https_port>) with a certificate for 127.0.0.1 signed by a
#                                               CA made here with openssl: writes DIR/uri
#                                               (clickhouse://etl@127.0.0.1:HTTP), DIR/https_port, DIR/ca.pem
# Each server answers /ping within a second or so and uses ~80 MB. Test data is thrown away, so they are killed, not stopped
# gracefully (which can take 5 s with pooled inter-server connections).
set -euo pipefail
cmd=${1:?start|stop|kill|restart}
dir=$(realpath -m "${2:?directory}")
bin=/usr/sbin/clickhouse-server
[ -x "$bin" ] || { echo "clickhouse-fixture: $bin not found; run scripts/install-deps.sh" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

launch() {  # launch I: start server I on its config, record its PID, wait for /ping
  local d="$dir/s$1" http
  http=$(cat "$d/http_port")
  ( cd "$d" && exec "$bin" --config-file="$d/config.xml" </dev/null >"$d/log/stdout.log" 2>&1 ) &
  echo $! >"$d/server.pid"
  for _ in $(seq 1 300); do
    if curl -sf "http://127.0.0.1:$http/ping" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$(cat "$d/server.pid")" 2>/dev/null; then break; fi
    sleep 0.05
  done
  echo "clickhouse-fixture: server $1 did not start" >&2
  tail -n 20 "$d/log/server.err.log" "$d/log/stdout.log" >&2 2>/dev/null || true
  exit 1
}

kill_server() {  # kill_server I: SIGKILL by PID, wait until it is gone (a zombie counts as gone)
  local pidfile="$dir/s$1/server.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  kill -9 "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do
    if [ ! -e "/proc/$pid" ] || [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ]; then break; fi
    sleep 0.02
  done
  rm -f "$pidfile"
}

# write_users D [USERS]: D/users.xml; USERS defaults to a password-less `default` on loopback.
write_users() {
  local d=$1 users=${2:-<default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile><quota>default</quota></default>}
  cat >"$d/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage><load_balancing>in_order</load_balancing></default>
            <readonly><readonly>1</readonly></readonly></profiles>
  <users>$users</users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
      <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
}

# write_config D [EXTRA]: D/config.xml on D's port files, the cluster $replicas, EXTRA elements added.
write_config() {
  local d=$1 extra=${2:-}
  cat >"$d/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$d/log/server.log</log><errorlog>$d/log/server.err.log</errorlog><size>10M</size><count>1</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$(cat "$d/http_port")</http_port>
  <tcp_port>$(cat "$d/tcp_port")</tcp_port>
  <interserver_http_port>$(cat "$d/interserver_port")</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <max_connections>256</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>50</max_concurrent_queries>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <mark_cache_size>67108864</mark_cache_size>
  <path>$d/data/</path>
  <tmp_path>$d/tmp/</tmp_path>
  <user_files_path>$d/user_files/</user_files_path>
  <format_schema_path>$d/format_schemas/</format_schema_path>
  <users_config>$d/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <remote_servers><metl>$replicas</metl></remote_servers>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
  $extra
</yandex>
XML
}

case "$cmd" in
  start)
    n=${3:-2}
    rm -rf "$dir" && mkdir -p "$dir"
    for i in $(seq 1 "$n"); do
      mkdir -p "$dir/s$i"/{data,tmp,log,user_files}
      free_port >"$dir/s$i/http_port"; free_port >"$dir/s$i/tcp_port"; free_port >"$dir/s$i/interserver_port"
    done
    shards="" replicas=""
    for i in $(seq 1 "$n"); do
      replicas+="<shard><internal_replication>false</internal_replication><replica><host>127.0.0.1</host><port>$(cat "$dir/s$i/tcp_port")</port></replica></shard>"
      shards+="${shards:+,}127.0.0.1:$(cat "$dir/s$i/http_port")"
    done
    for i in $(seq 1 "$n"); do
      write_users "$dir/s$i"
      write_config "$dir/s$i"
    done
    for i in $(seq 1 "$n"); do launch "$i"; done
    echo "clickhouse://default@127.0.0.1:$(cat "$dir/s1/http_port")" >"$dir/uri.tmp" && mv "$dir/uri.tmp" "$dir/uri"
    echo "?cluster=metl&shards=$shards" >"$dir/cluster-uri-params"
    echo "clickhouse-fixture: started $n server(s): $shards"
    ;;
  start-secure)
    pw=${METL_CH_PASSWORD:?set METL_CH_PASSWORD to the password of user etl}
    rm -rf "$dir" && mkdir -p "$dir/s1"/{data,tmp,log,user_files} "$dir/tls"
    d="$dir/s1" t="$dir/tls" replicas=""
    free_port >"$d/http_port"; free_port >"$d/tcp_port"; free_port >"$d/interserver_port"; free_port >"$dir/https_port"
    # A CA, and a certificate for 127.0.0.1 that it signs: what a user's private CA does.
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$t/ca.key" -out "$dir/ca.pem" -days 2 \
      -subj "/CN=matomo-etl test CA" >/dev/null 2>&1
    openssl req -newkey rsa:2048 -nodes -keyout "$t/server.key" -out "$t/server.csr" -subj "/CN=127.0.0.1" >/dev/null 2>&1
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$t/ext.cnf"
    openssl x509 -req -in "$t/server.csr" -CA "$dir/ca.pem" -CAkey "$t/ca.key" -CAcreateserial -out "$t/server.pem" \
      -days 2 -extfile "$t/ext.cnf" >/dev/null 2>&1
    # Only the password's SHA-256 is written (the test greps its files for the password itself).
    hash=$(printf '%s' "$pw" | sha256sum | cut -d' ' -f1)
    login="<networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota>"
    write_users "$d" "<default><password_sha256_hex>$hash</password_sha256_hex>$login</default>
      <etl><password_sha256_hex>$hash</password_sha256_hex>$login</etl>"
    write_config "$d" "<https_port>$(cat "$dir/https_port")</https_port>
  <openSSL><server><certificateFile>$t/server.pem</certificateFile><privateKeyFile>$t/server.key</privateKeyFile>
    <verificationMode>none</verificationMode><loadDefaultCAFile>false</loadDefaultCAFile>
    <cacheSessions>true</cacheSessions><disableProtocols>sslv2,sslv3</disableProtocols>
    <preferServerCiphers>true</preferServerCiphers></server></openSSL>"
    launch 1
    echo "clickhouse://etl@127.0.0.1:$(cat "$d/http_port")" >"$dir/uri.tmp" && mv "$dir/uri.tmp" "$dir/uri"
    echo "clickhouse-fixture: started a password-protected server: http $(cat "$d/http_port"), https $(cat "$dir/https_port")"
    ;;
  stop)
    for p in "$dir"/s*/server.pid; do [ -f "$p" ] && kill_server "$(basename "$(dirname "$p")" | tr -d s)"; done
    # After a whole suite the data folders hold hundreds of thousands of small files (a MergeTree part
    # is two files a column, and 18.16 has no compact parts): deleting them takes minutes on a busy
    # disk, so they are moved aside at once and deleted in the background.
    if [ -d "$dir" ]; then
      trash="$dir.deleting.$$"
      mv "$dir" "$trash"
      nohup rm -rf "$trash" </dev/null >/dev/null 2>&1 &
    fi
    ;;
  kill) kill_server "${3:?server number}" ;;
  restart) launch "${3:?server number}" ;;
  *) echo "usage: $0 start|start-secure|stop|kill|restart DIR [N|I]" >&2; exit 2 ;;
esac
