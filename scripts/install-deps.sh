#!/usr/bin/env bash
# Installs everything matomo-etl needs to build, test and benchmark, on Debian 12.
# Idempotent: a second run changes nothing and returns quickly.
#  - Debian packages through apt (needs root; skipped when all are present).
#  - DuckDB's shared library and C header from the npm registry at pinned versions,
#    sha256-checked, into third_party/duckdb/ (ignored by git).
#  - The npm servers the tests start (the local S3, @20minutes/s3rver), from
#    tests/servers/package-lock.json with `npm ci` (integrity-checked), into third_party/test-servers/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates tzdata
  clang clang-tidy clang-format libclang-rt-14-dev libfuzzer-14-dev
  libcurl4-openssl-dev libsimdjson-dev libcli11-dev libspdlog-dev libfmt-dev
  libtomlplusplus-dev libzstd-dev zstd zlib1g-dev libssl-dev libpq-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcpp-httplib-dev
  postgresql-15 postgresql-client-15
  clickhouse-server clickhouse-client chromium fonts-dejavu-core
  python3 curl procps iso-codes
)

# Pinned DuckDB artefacts: the npm tarballs' sha256 (of the .tgz as `npm pack` writes it).
DUCKDB_LIB_PKG="@duckdb/node-bindings-linux-x64@1.4.4-r.4"
DUCKDB_LIB_TGZ="duckdb-node-bindings-linux-x64-1.4.4-r.4.tgz"
DUCKDB_LIB_SHA256="732fac4dc6b8f198870b9c4bb6ddf13544466daca00ad28ba2f1d80de5d7aa4b"
DUCKDB_HDR_PKG="duckdb@1.4.4"
DUCKDB_HDR_TGZ="duckdb-1.4.4.tgz"
DUCKDB_HDR_SHA256="5bb967dcbcd517670ba5f169f238fb9d6787e53752c60ebe24386169d76941ed"

log() { printf 'install-deps: %s\n' "$*" >&2; }

missing_packages() {
  local p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
  done
}

install_apt() {
  local missing
  missing=$(missing_packages | tr '\n' ' ')
  if [ -z "${missing// /}" ]; then
    log "Debian packages: all present"
    return
  fi
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: $missing"
    log "run this script as root (or: sudo apt-get install $missing)"
    exit 2
  fi
  log "installing Debian packages: $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

fetch_npm() { # pkg tgz sha256 destdir
  local pkg=$1 tgz=$2 sum=$3 dest=$4
  local cache="$here/third_party/npm-cache"
  mkdir -p "$cache"
  if [ ! -f "$cache/$tgz" ] || ! echo "$sum  $cache/$tgz" | sha256sum -c --status; then
    log "fetching $pkg from the npm registry"
    rm -f "$cache/$tgz"
    (cd "$cache" && npm pack --silent "$pkg" >/dev/null)
  fi
  if ! echo "$sum  $cache/$tgz" | sha256sum -c --status; then
    log "checksum mismatch for $tgz: expected $sum, got $(sha256sum "$cache/$tgz" | cut -d' ' -f1)"
    log "refusing to use it; delete $cache and retry, or check the pinned version"
    exit 1
  fi
  rm -rf "$dest" && mkdir -p "$dest"
  tar xzf "$cache/$tgz" -C "$dest"
}

install_duckdb() {
  local dir="$here/third_party/duckdb"
  local stamp="$dir/.stamp"
  local want="$DUCKDB_LIB_SHA256 $DUCKDB_HDR_SHA256"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$dir/lib/libduckdb.so" ] && [ -f "$dir/include/duckdb.h" ]; then
    log "DuckDB: present"
    return
  fi
  local tmp
  tmp=$(mktemp -d)
  fetch_npm "$DUCKDB_LIB_PKG" "$DUCKDB_LIB_TGZ" "$DUCKDB_LIB_SHA256" "$tmp/lib"
  fetch_npm "$DUCKDB_HDR_PKG" "$DUCKDB_HDR_TGZ" "$DUCKDB_HDR_SHA256" "$tmp/hdr"
  rm -rf "$dir" && mkdir -p "$dir/lib" "$dir/include"
  cp "$tmp/lib/package/libduckdb.so" "$dir/lib/"
  cp "$tmp/hdr/package/src/duckdb/src/include/duckdb.h" "$dir/include/"
  rm -rf "$tmp"
  echo "$want" >"$stamp"
  log "DuckDB 1.4.4 installed into third_party/duckdb"
}

install_node() {
  # npm fetches DuckDB. Debian's nodejs package conflicts with the npm some images ship
  # (NodeSource's nodejs bundles npm), so only install Debian's when npm is absent.
  command -v npm >/dev/null 2>&1 && return
  log "installing Node.js and npm from Debian (to fetch DuckDB from the npm registry)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
}

install_test_servers() {
  local src="$here/tests/servers" dir="$here/third_party/test-servers"
  local want
  want=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)
  if [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$want" ] && [ -d "$dir/node_modules/@20minutes/s3rver" ]; then
    log "test servers (npm): present"
    return
  fi
  log "installing the test servers from the npm registry (npm ci, tests/servers/package-lock.json)"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$src/package.json" "$src/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --silent --no-audit --no-fund >/dev/null)
  echo "$want" >"$dir/.stamp"
}

install_apt
install_node
install_duckdb
install_test_servers
