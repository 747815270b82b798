#!/usr/bin/env bash
# BigQuery load benchmark (issue 13), kept out of `make test`: one landed day of BENCH_VISITS visits
# (default 100,000) of one site, then, each under /usr/bin/time (wall, CPU, peak RSS of matomo-etl):
#   prepare   `load --dry-run` into BigQuery: normalize the day and write the NDJSON files a load
#             would upload (TMPDIR), nothing sent: the tool's own cost, with the files' bytes per visit;
#   bigquery  `load` into google-fake's BigQuery (files staged in its GCS, load jobs, publishing transaction):
#             its wall time is mostly the fake ingesting the files into its embedded DuckDB and says
#             nothing about BigQuery's; the CPU and RSS columns are matomo-etl's own;
#   duckdb    `load` of the same day into a fresh DuckDB file.
#   bench/bigquery_load.sh [BUILD_DIR]     (BENCH_WORK=DIR: where the landed day goes; kept and reused)
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-build}" && pwd)
VISITS=${BENCH_VISITS:-100000}
WORK=${BENCH_WORK:-$BUILD/bench-work}
DAY=2026-11-25
NOW="2026-11-27 12:00:00"
ETL=$BUILD/matomo-etl SIM=$BUILD/matomo-sim FAKE=$BUILD/google-fake
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (apt-get install time)"; exit 1; }
mkdir -p "$WORK"
LANDING=$WORK/landing-$VISITS
log() { echo "bench: $*" >&2; }

if [ ! -f "$LANDING/done" ]; then  # the same landed day as bench/run.sh
  log "landing one day of $VISITS visits (matomo-sim -> matomo-etl extract)"
  rm -rf "$LANDING" "$WORK/sim.out"
  "$SIM" --port 0 --token bench-token --sites 1 --visits-per-day "$VISITS" --from $DAY --to $DAY --now "$NOW" \
    --gzip-level 0 >"$WORK/sim.out" 2>"$WORK/sim.err" &
  sim_pid=$!
  for _ in $(seq 1 100); do [ -s "$WORK/sim.out" ] && break; sleep 0.1; done
  MATOMO_TOKEN_AUTH=bench-token "$ETL" extract --url "$(head -1 "$WORK/sim.out")" --landing "$LANDING" --now "$NOW" \
    --from $DAY --to $DAY --rate-limit 100000 --concurrency 2 --progress never --log-level warn >&2
  kill "$sim_pid"; wait "$sim_pid" 2>/dev/null || true
  touch "$LANDING/done"
fi

"$FAKE" --write-test-key "$WORK/bq-key.json" --bucket bench-stage:EU >"$WORK/fake.out" 2>"$WORK/fake.err" &
fake_pid=$!
trap 'kill $fake_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$WORK/fake.out" ] && break; sleep 0.1; done
host=$(head -1 "$WORK/fake.out"); host=${host#http://}; host=${host%/}
export GOOGLE_APPLICATION_CREDENTIALS=$WORK/bq-key.json BIGQUERY_EMULATOR_HOST=$host STORAGE_EMULATOR_HOST=$host
# Staged in a gs:// bucket (resumable uploads in 8 MiB chunks): a 100,000-visit day's matomo_raw_visits
# file (~700 MB) is over the fake's 512 MB request limit as one media upload (docs/bigquery.md).
URL="bigquery://bench-project/bench_$$?location=EU&staging=gs://bench-stage/bq"

# measure NAME CMD...: prints NAME wall user sys rss_kb; CMD's stdout goes to $WORK/NAME.out
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.out" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" ||
    { log "$name failed:"; tail -20 "$WORK/$name.err" >&2; exit 1; }
  read -r wall user sys rss <"$WORK/time.out"
  echo "$name $wall $user $sys $rss"
}

prepare=$(measure prepare "$ETL" load --dry-run --landing "$LANDING" --warehouse "$URL" --progress never --log-level warn)
bigquery=$(measure bigquery "$ETL" load --landing "$LANDING" --warehouse "$URL" --progress never --log-level warn)
rm -f "$WORK/bq-bench.duckdb" "$WORK/bq-bench.duckdb.wal"
duckdb=$(measure duckdb "$ETL" load --landing "$LANDING" --warehouse "duckdb:$WORK/bq-bench.duckdb" --progress never \
  --log-level warn)
rm -f "$WORK/bq-bench.duckdb" "$WORK/bq-bench.duckdb.wal"

# NDJSON bytes from the dry run's plan ("  TABLE: N rows, B bytes of NDJSON").
bytes=$(awk '/^  [a-z_]+: [0-9]+ rows, [0-9]+ bytes of NDJSON/ { sum += $4 } END { print sum + 0 }' "$WORK/prepare.out")
landed=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['bytes'])" \
  "$LANDING/site=1/date=$DAY/_manifest.json")
{
  echo "| $VISITS visits, one day | wall s | user s | sys s | peak RSS MB |"
  echo "|---|---|---|---|---|"
  for row in "$prepare" "$bigquery" "$duckdb"; do
    read -r name wall user sys rss <<<"$row"
    echo "| $name | $wall | $user | $sys | $((rss / 1024)) |"
  done
  echo
  echo "NDJSON uploaded: $bytes bytes, $((bytes / VISITS)) bytes per visit (landed JSON: $((landed / VISITS)) bytes per visit)."
} | tee "$WORK/bigquery_load.md"
