#!/usr/bin/env bash
# The .deb (`make deb`): built by cpack into a scratch folder, it holds the same layout under /usr, owned by
# root, with a Depends naming the package of every shared library the binaries load (besides its own
# libduckdb.so) plus the files they read at run time (time zones, CA certificates); apt accepts it; its binaries
# start from its tree with the build hidden.
# Usage: deb_test.sh BUILD_DIR SOURCE_DIR DUCKDB_LIB_DIR
# shellcheck source=tests/install/lib.sh
source "$(dirname "$0")/lib.sh"
build_dir=$1 source_dir=$2 duckdb_lib=$3
command -v cpack >/dev/null && command -v dpkg-deb >/dev/null && command -v dpkg-shlibdeps >/dev/null ||
  skip "cpack, dpkg-deb or dpkg-shlibdeps (dpkg-dev) is missing"

make_scratch
cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log" >&2; fail "cpack -G DEB failed"; }
deb=$(ls "$tmp"/pkg/matomo-etl_*.deb)

dpkg-deb -c "$deb" >"$tmp/contents"
for f in ./usr/bin/matomo-etl ./usr/bin/matomo-sim ./usr/lib/matomo-etl/libduckdb.so \
  ./usr/lib/systemd/system/matomo-etl.service ./usr/lib/systemd/system/matomo-etl.timer \
  ./usr/share/doc/matomo-etl/examples/matomo-etl.cron ./usr/share/doc/matomo-etl/docs/deployment.md; do
  grep -q " $f\$" "$tmp/contents" || fail "the .deb lacks $f"
done
if awk '$2 != "root/root"' "$tmp/contents" | grep .; then fail "files in the .deb not owned by root/root"; fi
if grep -v -e ' \./usr/' -e ' \./$' "$tmp/contents"; then fail "the .deb installs outside /usr"; fi

[ "$(dpkg-deb -f "$deb" Package)" = matomo-etl ] || fail "package name"
dpkg-deb --ctrl-tarfile "$deb" | tar -tv >"$tmp/control"
grep -q '^-rwxr-xr-x root/root .* \./postinst$' "$tmp/control" || fail "the .deb has no executable postinst"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
case "$depends" in *duckdb*) fail "Depends names DuckDB, which the package ships itself" ;; esac

# apt can install it here: its Depends parse and are satisfiable (what the container's runtime stage relies on).
if command -v apt-get >/dev/null; then
  apt-get install -s --no-install-recommends "$deb" >"$tmp/apt.log" 2>&1 ||
    { cat "$tmp/apt.log" >&2; fail "apt-get cannot install the .deb (simulated)"; }
  grep -q '^Inst matomo-etl ' "$tmp/apt.log" || { cat "$tmp/apt.log" >&2; fail "apt-get would not install matomo-etl"; }
fi

dpkg-deb -x "$deb" "$tmp/root"
# Every library the binaries and libduckdb.so link against (NEEDED), except libduckdb.so, must come from a package
# in Depends (what those libraries load in turn is their packages' business).
: >"$tmp/needed"
for elf in usr/bin/matomo-etl usr/bin/matomo-sim usr/lib/matomo-etl/libduckdb.so; do
  ldd "$tmp/root/$elf" >"$tmp/ldd"
  for name in $(readelf -d "$tmp/root/$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
    [ "$name" = libduckdb.so ] && continue
    # "libfoo.so.1 => /path (0x...)", or for the dynamic loader "/lib64/ld-linux-x86-64.so.2 (0x...)".
    path=$(awk -v n="$name" '$1 == n && $2 == "=>" { print $3 } $1 ~ "/" n "$" { print $1 }' "$tmp/ldd" | head -1)
    case "$path" in /*) ;; *) fail "$elf needs $name, which ldd cannot find" ;; esac
    echo "$elf $name $(realpath "$path")" >>"$tmp/needed"
  done
done
# One dpkg -S for all (it reads every package's file list): each path as resolved and as dpkg may know it
# (merged /usr: /lib/... and /usr/lib/...).
awk '{ p = $3; print p; if (p ~ /^\/usr\//) print substr(p, 5); else print "/usr" p }' "$tmp/needed" | sort -u >"$tmp/paths"
xargs dpkg -S <"$tmp/paths" 2>/dev/null | sed 's/^\([^:,]*\)[^ ]* \(.*\)$/\2 \1/' >"$tmp/owners" || true
echo "$depends" | tr ',' '\n' | sed 's/^ *//; s/ .*//' >"$tmp/depends"
while read -r elf name path; do
  owner=$(awk -v a="$path" -v b="${path#/usr}" '$1 == a || $1 == b { print $2; exit }' "$tmp/owners")
  [ -n "$owner" ] || fail "no package owns $path ($name, needed by $elf)"
  grep -qx "$owner" "$tmp/depends" || fail "$elf needs $name from package $owner, which Depends lacks"
done <"$tmp/needed"
# Read at run time, invisible to dpkg-shlibdeps: site time zones (/usr/share/zoneinfo) and TLS roots.
for p in tzdata ca-certificates iso-codes; do
  grep -qx "$p" "$tmp/depends" || fail "Depends lacks $p"
done

grep -q '^ExecStart=/usr/bin/matomo-etl ' "$tmp/root/usr/lib/systemd/system/matomo-etl.service" ||
  fail "the packaged service does not run /usr/bin/matomo-etl"
grep -q ' /usr/bin/matomo-etl sync ' "$tmp/root/usr/share/doc/matomo-etl/examples/matomo-etl.cron" ||
  fail "the packaged cron line does not run /usr/bin/matomo-etl"

for b in matomo-etl matomo-sim; do
  check_relocatable "$tmp/root/usr/bin/$b" "$tmp/root/usr"
done
# The binaries start from the package's tree with the build hidden: the dynamic loader resolves every library
# (libduckdb.so included) before main, so one cheap command each proves it.
for cmd in "matomo-etl options" "matomo-sim --help"; do
  # shellcheck disable=SC2086
  run_without "$tmp/empty" "$source_dir:$build_dir:$duckdb_lib" $tmp/root/usr/bin/$cmd >"$tmp/out" 2>&1 ||
    { cat "$tmp/out" >&2; fail "the packaged $cmd failed"; }
done
echo "PASS: $(basename "$deb") ($(du -h "$deb" | cut -f1)): layout, owners, Depends, units, binaries start"
