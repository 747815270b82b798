#!/usr/bin/env bash
# The cron example (share/doc/matomo-etl/examples/matomo-etl.cron) works with what cron gives a job: its command
# runs under `env -i PATH=/usr/bin:/bin` and /bin/sh from the user's home, with /etc/matomo-etl, /var/lib and
# /var/log mapped into a scratch folder and the installed tree moved there too. It must sync from a matomo-sim
# (the token read from the token file, never printed), land and load in /var/lib/matomo-etl, and log to the
# file; a second run while the landing zone is locked must be refused, with the reason in the log.
# Usage: cron_line_test.sh STAGED_PREFIX
# shellcheck source=tests/install/lib.sh
source "$(dirname "$0")/lib.sh"
stage=$1

make_scratch
mkdir -p "$tmp/usr" "$tmp/var/lib/matomo-etl" "$tmp/var/log/matomo-etl" "$tmp/etc/matomo-etl" "$tmp/home"
cp -a "$stage" "$tmp/usr/local"
bin="$tmp/usr/local/bin"

token="cron-test-token-$RANDOM$RANDOM"
MATOMO_SIM_TOKEN=$token "$bin/matomo-sim" --port 0 --sites 1 --visits-per-day 20 >"$tmp/sim.out" 2>"$tmp/sim.err" &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null; wait $sim_pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do grep -q '^http' "$tmp/sim.out" && break; sleep 0.1; done
url=$(head -1 "$tmp/sim.out")
case "$url" in http://127.0.0.1:*) ;; *) fail "matomo-sim did not start: $(cat "$tmp/sim.err")" ;; esac

# The config a user writes: no token in it, relative paths (resolved in /var/lib/matomo-etl, where the job cds).
cat >"$tmp/etc/matomo-etl/matomo-etl.toml" <<TOML
url = "$url"
backfill_days = 3
TOML
printf '%s\n' "$token" >"$tmp/etc/matomo-etl/token"
chmod 600 "$tmp/etc/matomo-etl/token"

# The job line: five time fields and the user, then the command, with the system paths mapped into $tmp.
cron_file="$stage/share/doc/matomo-etl/examples/matomo-etl.cron"
line=$(grep -E '^[0-9*]' "$cron_file")
[ "$(echo "$line" | wc -l)" -eq 1 ] || fail "expected one job line in $cron_file"
[ "$(echo "$line" | awk '{print $6}')" = matomo-etl ] || fail "the job does not run as the matomo-etl user"
command=$(echo "$line" | sed -E 's/^([^ ]+ +){6}//')
mapped=$(echo "$command" | sed -e "s#/usr/local/bin/#$bin/#g" -e "s#/var/lib/matomo-etl#$tmp/var/lib/matomo-etl#g" \
  -e "s#/var/log/matomo-etl#$tmp/var/log/matomo-etl#g" -e "s#/etc/matomo-etl#$tmp/etc/matomo-etl#g")
[ "$mapped" != "$command" ] || fail "the job line names none of the expected paths: $command"

run_job() { (cd "$tmp/home" && env -i PATH=/usr/bin:/bin SHELL=/bin/sh HOME="$tmp/home" LOGNAME=matomo-etl /bin/sh -c "$mapped"); }

rc=0
run_job || rc=$?
log="$tmp/var/log/matomo-etl/sync.log"
[ "$rc" -eq 0 ] || { cat "$log" >&2; fail "the cron job exited $rc"; }
[ -s "$log" ] || fail "the cron job logged nothing to $log"
[ -d "$tmp/var/lib/matomo-etl/landing/site=1" ] || fail "nothing landed in /var/lib/matomo-etl/landing"
[ -s "$tmp/var/lib/matomo-etl/matomo.duckdb" ] || fail "no warehouse in /var/lib/matomo-etl"
[ ! -e "$tmp/home/landing" ] || fail "the job wrote into the home folder instead of /var/lib/matomo-etl"
if grep -rF "$token" "$tmp/var" >/dev/null; then fail "the token appears in the log or the state"; fi

# An overlapping run: something holds the landing zone's lock (as a run still busy does). This shell holds it on
# fd 9 (a background `flock ... sleep` would leave a sleeper holding the test's output open); the job gets no fd 9.
lock="$tmp/var/lib/matomo-etl/landing/.lock"
exec 9>"$lock"
flock -n 9 || fail "cannot take the landing lock for the overlap check"
rc=0
run_job 9>&- || rc=$?
exec 9>&-
[ "$rc" -eq 2 ] || { cat "$log" >&2; fail "an overlapping run exited $rc, expected 2"; }
grep -q 'another matomo-etl run holds the landing zone' "$log" || fail "the log does not say why the run stopped"
echo "PASS: the cron line synced under cron's environment and refused an overlapping run"
