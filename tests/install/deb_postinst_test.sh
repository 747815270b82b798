#!/usr/bin/env bash
# The .deb's postinst (packaging/deb/postinst), run for real in a private mount namespace over copies of /etc,
# /var/lib and /var/log (so this machine gains no user): it creates the matomo-etl system user (no login shell,
# home /var/lib/matomo-etl) and /var/lib/matomo-etl (matomo-etl:matomo-etl 0750), /etc/matomo-etl
# (root:matomo-etl 0750) and /var/log/matomo-etl (matomo-etl:adm 0750); a second run (an upgrade) succeeds and
# keeps a mode the admin changed. Skipped where mount namespaces or useradd are not available, or not as root.
# Usage: deb_postinst_test.sh SOURCE_DIR
# shellcheck source=tests/install/lib.sh
source "$(dirname "$0")/lib.sh"
source_dir=$1
[ "$(id -u)" -eq 0 ] || skip "needs root (useradd, chown) inside a private mount namespace"
command -v useradd >/dev/null || skip "useradd is not installed"
unshare --mount true 2>/dev/null || skip "no mount namespaces here"

make_scratch
host_user_before=$(getent passwd matomo-etl || true)
marker="metl-postinst-test-$$"
mkdir -p "$tmp/etc" "$tmp/var/lib" "$tmp/var/log"
cp -a /etc/. "$tmp/etc/"
touch "$tmp/etc/$marker"
cp "$source_dir/packaging/deb/postinst" "$tmp/postinst"

# Inside the namespace: refuse to run unless /etc, /var/lib and /var/log are the copies.
cat >"$tmp/inside.sh" <<'INSIDE'
set -eu
tmp=$1 marker=$2
mount --bind "$tmp/etc" /etc
mount --bind "$tmp/var/lib" /var/lib
mount --bind "$tmp/var/log" /var/log
[ -e "/etc/$marker" ] || { echo "FAIL: /etc is not the copy" >&2; exit 1; }
getent passwd matomo-etl >/dev/null && { echo "FAIL: the user exists before postinst" >&2; exit 1; }
sh "$tmp/postinst" configure
report() {
  getent passwd matomo-etl | awk -F: '{ print "user", $3, $6, $7 }'
  for d in /var/lib/matomo-etl /etc/matomo-etl /var/log/matomo-etl; do stat -c "dir %n %U:%G %a" "$d"; done
}
report >"$tmp/first"
chmod 0700 /var/lib/matomo-etl                 # the admin tightens it; an upgrade must keep that
sh "$tmp/postinst" configure
report >"$tmp/second"
INSIDE
rc=0
unshare --mount sh "$tmp/inside.sh" "$tmp" "$marker" || rc=$?
[ "$rc" -eq 0 ] || fail "postinst failed (exit $rc)"
cat "$tmp/first"
# The machine itself is untouched.
if [ -e "/etc/$marker" ] || [ "$(getent passwd matomo-etl || true)" != "$host_user_before" ]; then
  fail "the test changed this machine's /etc"
fi

read -r _ uid home shell < <(grep '^user ' "$tmp/first")
uid_max=$(awk '$1 == "SYS_UID_MAX" { print $2 }' /etc/login.defs 2>/dev/null)
[ "$uid" -le "${uid_max:-999}" ] || fail "matomo-etl got uid $uid, not a system uid"
[ "$home" = /var/lib/matomo-etl ] || fail "home is $home"
[ "$shell" = /usr/sbin/nologin ] || fail "login shell is $shell"
grep -qx 'dir /var/lib/matomo-etl matomo-etl:matomo-etl 750' "$tmp/first" || fail "/var/lib/matomo-etl owner or mode"
grep -qx 'dir /etc/matomo-etl root:matomo-etl 750' "$tmp/first" || fail "/etc/matomo-etl owner or mode"
grep -qx 'dir /var/log/matomo-etl matomo-etl:adm 750' "$tmp/first" || fail "/var/log/matomo-etl owner or mode"
grep -qx 'dir /var/lib/matomo-etl matomo-etl:matomo-etl 700' "$tmp/second" || fail "an upgrade reset the admin's mode"
[ "$(grep -c '^user ' "$tmp/second")" -eq 1 ] || fail "the second run changed the user"
echo "PASS: postinst creates the user and its folders, and a rerun keeps them"
