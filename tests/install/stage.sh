#!/usr/bin/env bash
# The install.stage fixture: `cmake --install --strip` (what `make install` runs) of BUILD_DIR into the DESTDIR
# STAGE_DIR with PREFIX /usr/local, replacing what an earlier run left. The install.* tests copy the tree away.
# Usage: stage.sh BUILD_DIR STAGE_DIR
# shellcheck source=tests/install/lib.sh
source "$(dirname "$0")/lib.sh"
build_dir=$1 stage_dir=$2
rm -rf "$stage_dir"
mkdir -p "$(dirname "$stage_dir")"
DESTDIR="$stage_dir" cmake --install "$build_dir" --prefix /usr/local --strip >"$stage_dir.log" 2>&1 ||
  { cat "$stage_dir.log" >&2; fail "cmake --install failed"; }
[ -x "$stage_dir/usr/local/bin/matomo-etl" ] || fail "cmake --install left no $stage_dir/usr/local/bin/matomo-etl"
echo "PASS: installed into DESTDIR=$stage_dir (PREFIX /usr/local)"
