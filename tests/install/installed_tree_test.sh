#!/usr/bin/env bash
# An installed tree works after the build tree is gone: `cmake --install` into a DESTDIR (the install.stage
# fixture), the tree copied to a folder the build never knew, the source and build trees and the DuckDB they
# were built against hidden; then the installed `matomo-etl demo` must start the installed matomo-sim, sync,
# verify and exit 0.
# Usage: installed_tree_test.sh STAGED_PREFIX SOURCE_DIR BUILD_DIR DUCKDB_LIB_DIR
# shellcheck source=tests/install/lib.sh
source "$(dirname "$0")/lib.sh"
stage=$1 source_dir=$2 build_dir=$3 duckdb_lib=$4

make_scratch
root="$tmp/moved/opt/matomo-etl"
mkdir -p "$(dirname "$root")"
cp -a "$stage" "$root"

for f in bin/matomo-etl bin/matomo-sim lib/matomo-etl/libduckdb.so lib/systemd/system/matomo-etl.service \
  lib/systemd/system/matomo-etl.timer share/doc/matomo-etl/examples/matomo-etl.cron \
  share/doc/matomo-etl/examples/matomo-etl.example.toml share/doc/matomo-etl/docs/deployment.md; do
  [ -e "$root/$f" ] || fail "the install lacks $f"
done
[ -x "$root/bin/matomo-etl" ] && [ -x "$root/bin/matomo-sim" ] || fail "installed binaries are not executable"

for b in matomo-etl matomo-sim; do
  check_relocatable "$root/bin/$b" "$root"
  # Nothing in the dynamic section names the trees it was built in.
  if readelf -d "$root/bin/$b" | grep -F -e "$source_dir" -e "$build_dir" -e "$duckdb_lib"; then
    fail "$b's dynamic section names the build"
  fi
done

mkdir -p "$tmp/run"
rc=0
(cd "$tmp/run" && run_without "$tmp/empty" "$source_dir:$build_dir:$duckdb_lib" \
  env -i PATH=/usr/bin:/bin HOME="$tmp/run" "$root/bin/matomo-etl" demo --demo-dir "$tmp/run/demo" \
  >"$tmp/out" 2>"$tmp/err") || rc=$?
if [ "$rc" -ne 0 ]; then
  cat "$tmp/out" "$tmp/err" >&2
  fail "the installed demo exited $rc"
fi
grep -q '^matomo-sim serves http://127\.0\.0\.1:' "$tmp/out" || fail "the demo did not start the installed matomo-sim"
grep -q 'matomo_daily_kpis' "$tmp/out" || fail "the demo printed no summary"
[ -s "$tmp/run/demo/matomo.duckdb" ] || fail "the demo wrote no warehouse"
compgen -G "$tmp/run/demo/landing/site=*" >/dev/null || fail "the demo landed nothing"
echo "PASS: the tree installed into a DESTDIR, moved to $root, ran the demo with the build hidden"
