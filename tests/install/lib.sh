# shellcheck shell=bash disable=SC2016
# Shared by tests/install/*_test.sh (ctest label e2e, names install.*; packaging/install.cmake registers them).
# A failed check prints FAIL and exits 1; a test that cannot run here prints SKIPPED and exits 77 (ctest's skip).
set -euo pipefail

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

skip() {
  echo "SKIPPED: $*"
  exit 77
}

# Sets $tmp to a scratch folder outside the source and build trees, removed when the test ends.
make_scratch() {
  tmp=$(mktemp -d /tmp/metl-install-test.XXXXXX)
  trap 'rm -rf "$tmp"' EXIT
}

# The RUNPATH (or RPATH) entries of an ELF file's dynamic section, one per line.
elf_search_path() {
  readelf -d "$1" | sed -n 's/.*(\(RUNPATH\|RPATH\)).*\[\(.*\)\]$/\1 \2/p'
}

# Checks that BINARY finds its libraries through RUNPATH $ORIGIN/../lib/matomo-etl only, and that the
# libduckdb.so it loads is the one of its own tree (ROOT).
check_relocatable() {
  local binary=$1 root=$2 search duckdb
  search=$(elf_search_path "$binary")
  [ "$search" = 'RUNPATH $ORIGIN/../lib/matomo-etl' ] ||
    fail "$binary: dynamic search path is '$search', expected 'RUNPATH \$ORIGIN/../lib/matomo-etl'"
  duckdb=$(ldd "$binary" | sed -n 's/^[[:space:]]*libduckdb\.so => \([^ ]*\) .*/\1/p')
  [ "$(realpath -m "$duckdb")" = "$(realpath "$root/lib/matomo-etl/libduckdb.so")" ] ||
    fail "$binary loads libduckdb.so from '$duckdb', not from its own tree $root/lib/matomo-etl"
}

# Runs "$@" with FOLDERS (colon-separated) hidden behind the empty folder EMPTY, in a private mount namespace:
# what the command sees once the source and build trees are gone. Where namespaces are not allowed, runs "$@"
# as is and says so (the RUNPATH and ldd checks above still hold).
run_without() {
  local empty=$1 folders=$2
  shift 2
  mkdir -p "$empty"
  if unshare --mount true 2>/dev/null; then
    local script='set -e; empty=$1; shift; IFS=:; for f in $METL_HIDE; do if [ -d "$f" ]; then mount --bind "$empty" "$f"; fi; done; unset IFS; exec "$@"'
    METL_HIDE=$folders unshare --mount sh -c "$script" sh "$empty" "$@"
  else
    echo "note: cannot hide $folders (no mount namespace here); running with them in place" >&2
    "$@"
  fi
}
