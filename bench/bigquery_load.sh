#!/usr/bin/env bash
# BigQuery load benchmark (issue 13), kept out of `make test`: one landed day of BENCH_VISITS visits
# (default 100,000) of one site, then, each under /usr/bin/time (wall, CPU, peak RSS of matomo-etl):
#   prepare   `load --dry-run` into BigQuery: normalize the day and write the NDJSON files a load
#             would upload (TMPDIR), nothing sent: the tool's own cost, with the files' bytes per visit;
#   bigquery-media  `load` into google-fake's BigQuery, no staging bucket: each file goes up with its load
#             job through BigQuery's resumable media upload (8 MiB chunks), then the publishing transaction;
#   bigquery-gcs    the same with the files staged in the fake's GCS (`&staging=gs://...`): resumable
#             GCS uploads, load jobs reading gs:// URIs.
#             Their wall time is mostly the fake ingesting the files into its embedded DuckDB and says
#             nothing about BigQuery's; the CPU and RSS columns are matomo-etl's own; the upload requests
#             are counted by the fake (sessions + chunks + status queries, or multipart requests);
#   duckdb    `load` of the same day into a fresh DuckDB file.
#   bench/bigquery_load.sh [BUILD_DIR]     (BENCH_WORK=DIR: where the landed day goes; kept and reused;
#                                           BENCH_BQ_PATHS="media gcs": which BigQuery loads to measure)
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
URL="bigquery://bench-project/bench_$$?location=EU"
PATHS=${BENCH_BQ_PATHS:-media gcs}

# measure NAME CMD...: prints NAME wall user sys rss_kb; CMD's stdout goes to $WORK/NAME.out
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.out" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" ||
    { log "$name failed:"; tail -20 "$WORK/$name.err" >&2; exit 1; }
  read -r wall user sys rss <"$WORK/time.out"
  echo "$name $wall $user $sys $rss"
}

prepare=$(measure prepare "$ETL" load --dry-run --landing "$LANDING" --warehouse "$URL" --progress never --log-level warn)
# stat NAME: one counter of the fake's BigQuery stats
stat() { curl -s "http://$host/_fake/bigquery/stats" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
rows=()
uploads=()
for path in $PATHS; do
  url="${URL/bench_$$/bench_${path}_$$}"
  [ "$path" = gcs ] && url="$url&staging=gs://bench-stage/bq"
  before=$(( $(stat upload_sessions) + $(stat upload_chunks) + $(stat upload_status_queries) + $(stat multipart_uploads) ))
  rows+=("$(measure "bigquery-$path" "$ETL" load --landing "$LANDING" --warehouse "$url" --progress never --log-level warn)")
  after=$(( $(stat upload_sessions) + $(stat upload_chunks) + $(stat upload_status_queries) + $(stat multipart_uploads) ))
  uploads+=("bigquery-$path: $((after - before)) BigQuery media upload requests ($(stat upload_sessions) sessions, $(stat upload_chunks) chunks, $(stat multipart_uploads) multipart so far)")
done
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
  for row in "$prepare" "${rows[@]}" "$duckdb"; do
    read -r name wall user sys rss <<<"$row"
    echo "| $name | $wall | $user | $sys | $((rss / 1024)) |"
  done
  echo
  echo "NDJSON uploaded: $bytes bytes, $((bytes / VISITS)) bytes per visit (landed JSON: $((landed / VISITS)) bytes per visit)."
  for u in "${uploads[@]}"; do echo "$u"; done
} | tee "$WORK/bigquery_load.md"
