#!/usr/bin/env bash
# The installed systemd units (PREFIX/lib/systemd/system/matomo-etl.service, .timer) pass
# `systemd-analyze verify` without a single complaint, in a root holding the installed tree (so ExecStart must
# name the installed binary) and the host's own system units (the targets they order against); and the service
# keeps the hardening it ships with (`systemd-analyze security` exposure at most 2.0, "OK").
# Skipped where systemd-analyze is missing.
# Usage: systemd_units_test.sh STAGED_PREFIX     (installed with PREFIX /usr/local)
# shellcheck source=tests/install/lib.sh
source "$(dirname "$0")/lib.sh"
stage=$1
command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
host_units=""
for d in /usr/lib/systemd/system /lib/systemd/system; do [ -e "$d/sysinit.target" ] && host_units=$d && break; done
[ -n "$host_units" ] || skip "this host has no systemd units (sysinit.target) to verify against"

make_scratch
root="$tmp/root"
mkdir -p "$root/usr/lib/systemd"
cp -a "$stage" "$root/usr/local"
cp -r "$host_units" "$root/usr/lib/systemd/system"
units=(/usr/local/lib/systemd/system/matomo-etl.service /usr/local/lib/systemd/system/matomo-etl.timer)

rc=0
systemd-analyze verify --root="$root" "${units[@]}" >"$tmp/verify" 2>&1 || rc=$?
# Unknown keys and bad values are only warnings (exit 0): any output fails the test.
[ "$rc" -eq 0 ] && [ ! -s "$tmp/verify" ] || { cat "$tmp/verify" >&2; fail "systemd-analyze verify: exit $rc"; }

service="$root/usr/local/lib/systemd/system/matomo-etl.service"
grep -qx 'ExecStart=/usr/local/bin/matomo-etl sync --config /etc/matomo-etl/matomo-etl.toml' "$service" ||
  fail "ExecStart does not run the installed binary"
grep -qx 'StateDirectory=matomo-etl' "$service" || fail "no StateDirectory=matomo-etl (owner of /var/lib/matomo-etl)"
grep -qx 'EnvironmentFile=/etc/matomo-etl/matomo-etl.env' "$service" || fail "no EnvironmentFile for the token"

rc=0
systemd-analyze security --offline=yes --threshold=20 --root="$root" "${units[0]}" >"$tmp/security" 2>&1 || rc=$?
grep 'Overall exposure level' "$tmp/security" || true
[ "$rc" -eq 0 ] || { cat "$tmp/security" >&2; fail "the service's exposure level rose above 2.0"; }
echo "PASS: systemd-analyze verify and security accept the installed units"
