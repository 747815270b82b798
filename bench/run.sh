#!/usr/bin/env bash
# `make bench` (issue 6): matomo-etl load against the floor and the baselines, side by side on the
# same landed day, medians of BENCH_RUNS runs; prints a table and writes bench/results/latest.md.
#   bench/run.sh [BUILD_DIR]
#   BENCH_VISITS=100000  visits of the day (BENCH_VISITS=10000 for a quick run)
#   BENCH_RUNS=3         runs of each measurement (the median is reported)
#   BENCH_FULL=1         also peak RSS of the load at 10k, 100k and 300k visits
#   BENCH_WORK=DIR       where the landed days and databases go (default: BUILD_DIR/bench-work; the
#                        landed days are kept and reused by the next run)
#   BENCH_EXTRACT=0      skip the extraction rate (item 6)
#   BENCH_PARALLEL=0     skip the several-partition loads (4 partitions of BENCH_VISITS/4 visits into
#                        DuckDB, and into a throwaway PostgreSQL with --threads 1 and with --threads 2)
#   BENCH_SKIP_BUILD=1   use the binaries already in BUILD_DIR
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-build}" && pwd)
VISITS=${BENCH_VISITS:-100000}
RUNS=${BENCH_RUNS:-3}
FULL=${BENCH_FULL:-0}
WORK=${BENCH_WORK:-$BUILD/bench-work}
DAY=2026-11-25
NOW="2026-11-27 12:00:00"
mkdir -p "$WORK"
RESULTS=$WORK/results.tsv
: >"$RESULTS"

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  cmake --build "$BUILD" -j 2 --target matomo-etl matomo-sim metl_bench metl_duckdb_sql >"$WORK/build.log" 2>&1 ||
    { tail -30 "$WORK/build.log"; exit 1; }
fi
ETL=$BUILD/matomo-etl SIM=$BUILD/matomo-sim SQL=$BUILD/metl_duckdb_sql
echo "SELECT version();" | "$SQL" :memory: - >"$WORK/duckdb_version.txt" 2>/dev/null || true
sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt" >"$WORK/build_type.txt" 2>/dev/null || true
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (apt-get install time)"; exit 1; }

log() { echo "bench: $*" >&2; }

# land_sim DIR SITES VISITS_PER_DAY FROM: days FROM..$DAY of SITES sites made by matomo-sim, landed in
# DIR by `matomo-etl extract` with the default compression. Kept and reused once complete.
land_sim() {
  local dir=$1 sites=$2 per_day=$3 from=$4
  [ -f "$dir/done" ] && return
  log "landing $sites site(s) x $from..$DAY of $per_day visits a day (matomo-sim -> matomo-etl extract)"
  rm -rf "$dir" "$WORK/sim.out"
  "$SIM" --port 0 --token bench-token --sites "$sites" --visits-per-day "$per_day" --from "$from" --to $DAY \
    --now "$NOW" --gzip-level 0 >"$WORK/sim.out" 2>"$WORK/sim.err" &
  local sim_pid=$!
  for _ in $(seq 1 100); do [ -s "$WORK/sim.out" ] && break; sleep 0.1; done
  MATOMO_TOKEN_AUTH=bench-token "$ETL" extract --url "$(head -1 "$WORK/sim.out")" --landing "$dir" --now "$NOW" \
    --from "$from" --to $DAY --rate-limit 100000 --concurrency 2 --progress never --log-level warn >&2
  kill "$sim_pid"; wait "$sim_pid" 2>/dev/null || true
  touch "$dir/done"
}

# land N: one day of N visits of one UTC site. Prints the partition folder.
land() {
  land_sim "$WORK/landing-$1" 1 "$1" $DAY
  echo "$WORK/landing-$1/site=1/date=$DAY"
}

# measure NAME RUN CMD...: wall, user, sys seconds and peak RSS (KB) of CMD and its children.
measure() {
  local name=$1 run=$2; shift 2
  if ! /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.out" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"; then
    log "$name failed:"; tail -20 "$WORK/$name.err" >&2; exit 1
  fi
  read -r wall user sys rss <"$WORK/time.out"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$run" "$wall" "$user" "$sys" "$rss" >>"$RESULTS"
  log "$name run $run: ${wall}s wall, ${user}s user, ${sys}s sys, $((rss / 1024)) MB peak RSS"
}

# land_parallel N: 2 sites x 2 days of N/4 visits each (4 partitions). Prints the landing root.
land_parallel() {
  land_sim "$WORK/landing-parallel-$1" 2 $(($1 / 4)) 2026-11-24
  echo "$WORK/landing-parallel-$1"
}

manifest() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1/_manifest.json" "$2"; }

load_into() {  # load_into LANDING_ROOT DB
  rm -f "$2" "$2.wal"
  "$ETL" load --landing "$1" --warehouse "duckdb:$2" --now "$NOW" --progress never --log-level warn
}

PART=$(land "$VISITS")
LANDING=$WORK/landing-$VISITS
SITE_TZ=$(manifest "$PART" site_timezone)
EXTRACTED=$(manifest "$PART" extracted_at)
# The empty warehouse the baselines load into: the same DDL, made by matomo-etl itself.
mkdir -p "$WORK/empty-landing"
rm -f "$WORK/schema.duckdb"
"$ETL" load --landing "$WORK/empty-landing" --warehouse "duckdb:$WORK/schema.duckdb" --now "$NOW" \
  --progress never --log-level warn >/dev/null
sed -e "s#@PARTS@#$PART/part-*.jsonl.zst#g" -e "s#@SITE@#1#g; s#@DATE@#$DAY#g; s#@TZ@#$SITE_TZ#g" \
  -e "s#@EXTRACTED@#${EXTRACTED/T/ }#g" "$SRC/bench/baseline_b.sql" >"$WORK/baseline_b.sql"
sed -e "s#@CSV@#$WORK/csv#g" "$SRC/bench/baseline_a_copy.sql" >"$WORK/baseline_a_copy.sql"
{
  echo "ATTACH '$WORK/load.duckdb' AS src (READ_ONLY);"
  echo "BEGIN TRANSACTION;"
  for t in matomo_visits matomo_actions matomo_custom_dimensions matomo_conversions matomo_ecommerce_items \
    matomo_raw_visits; do
    echo "CREATE TABLE $t AS SELECT * FROM src.$t;"
  done
  echo "COMMIT;"
  echo "CHECKPOINT;"
} >"$WORK/floor.sql"
# The same copies within the memory the load keeps to (its default --duckdb-memory-mb): what DuckDB
# itself needs to write these rows without holding the day in memory. Reported, not a target.
{ echo "SET memory_limit = '96MB';"; cat "$WORK/floor.sql"; } >"$WORK/floor_bounded.sql"

for run in $(seq 1 "$RUNS"); do
  # (1) matomo-etl load, (3) the floor: DuckDB copying the loaded tables into a fresh file.
  rm -f "$WORK/load.duckdb" "$WORK/load.duckdb.wal"
  measure load "$run" "$ETL" load --landing "$LANDING" --warehouse "duckdb:$WORK/load.duckdb" --now "$NOW" \
    --progress never --log-level warn
  rm -f "$WORK/floor.duckdb" "$WORK/floor.duckdb.wal"
  measure floor "$run" "$SQL" "$WORK/floor.duckdb" "$WORK/floor.sql"
  rm -f "$WORK/floor.duckdb" "$WORK/floor.duckdb.wal"
  measure floor_bounded "$run" "$SQL" "$WORK/floor.duckdb" "$WORK/floor_bounded.sql"
  # (4) baseline A: python -> CSV, then DuckDB COPY.
  rm -rf "$WORK/csv" && mkdir -p "$WORK/csv"
  measure baseline_a_python "$run" /usr/bin/python3 "$SRC/bench/baseline_a.py" "$PART" "$WORK/csv"
  cp "$WORK/schema.duckdb" "$WORK/a.duckdb"
  measure baseline_a_copy "$run" "$SQL" "$WORK/a.duckdb" "$WORK/baseline_a_copy.sql"
  # (5) baseline B: DuckDB SQL alone.
  cp "$WORK/schema.duckdb" "$WORK/b.duckdb"
  measure baseline_b "$run" "$SQL" "$WORK/b.duckdb" "$WORK/baseline_b.sql"
done

# Same rows everywhere (the comparison is only fair if it is the same work).
{
  for db in a b; do
    echo "ATTACH '$WORK/$db.duckdb' AS $db (READ_ONLY);"
  done
  echo "ATTACH '$WORK/load.duckdb' AS l (READ_ONLY);"
  for t in matomo_visits matomo_actions matomo_custom_dimensions matomo_conversions matomo_ecommerce_items \
    matomo_raw_visits; do
    echo "SELECT '$t', (SELECT count(*) FROM l.$t), (SELECT count(*) FROM (SELECT * FROM l.$t EXCEPT SELECT * FROM a.$t)), (SELECT count(*) FROM (SELECT * FROM l.$t EXCEPT SELECT * FROM b.$t));"
  done
} >"$WORK/compare.sql"
"$SQL" :memory: "$WORK/compare.sql" >"$WORK/compare.tsv" 2>/dev/null

# (2) the normalizer alone, one thread, sink discarded.
log "normalizer alone (metl_bench BM_NormalizeLandedDay, $RUNS repetitions)"
METL_BENCH_LANDING=$LANDING "$BUILD/metl_bench" --benchmark_filter='^BM_NormalizeLandedDay' \
  --benchmark_repetitions="$RUNS" --benchmark_format=json --benchmark_out="$WORK/normalize.json" \
  --benchmark_out_format=json >/dev/null 2>"$WORK/normalize.err" || { cat "$WORK/normalize.err" >&2; exit 1; }

# Several partitions: the same 4 partitions into DuckDB (one writer, the days in one transaction:
# --threads changes nothing there) and into a throwaway PostgreSQL with one loading thread and with
# two (one connection each; the server does most of the work).
if [ "${BENCH_PARALLEL:-1}" = 1 ]; then
  PARALLEL=$(land_parallel "$VISITS")
  PG_DIR=$WORK/pg
  PG_URI=""
  if "$SRC/tests/postgres-fixture.sh" start "$PG_DIR" >"$WORK/pg.log" 2>&1; then
    PG_URI=$(cat "$PG_DIR/uri")
    trap '"$SRC/tests/postgres-fixture.sh" stop "$PG_DIR" >/dev/null 2>&1 || true' EXIT
  else
    log "no PostgreSQL for the parallel loads (tests/postgres-fixture.sh: $(tail -1 "$WORK/pg.log")); DuckDB only"
  fi
  for run in $(seq 1 "$RUNS"); do
    rm -f "$WORK/parallel.duckdb" "$WORK/parallel.duckdb.wal"
    measure partitions4_duckdb "$run" "$ETL" load --landing "$PARALLEL" --warehouse "duckdb:$WORK/parallel.duckdb" \
      --now "$NOW" --progress never --log-level warn
    [ -n "$PG_URI" ] || continue
    for t in 1 2; do
      schema=bench_${run}_$t
      # The schema and its tables first (an empty load), so that only the loads are timed.
      "$ETL" load --landing "$WORK/empty-landing" --warehouse "$PG_URI?schema=$schema" --now "$NOW" \
        --progress never --log-level warn >/dev/null
      measure "partitions4_pg_$t" "$run" "$ETL" load --landing "$PARALLEL" --warehouse "$PG_URI?schema=$schema" \
        --now "$NOW" --threads "$t" --progress never --log-level warn
    done
  done
  rm -f "$WORK/parallel.duckdb" "$WORK/parallel.duckdb.wal"
  if [ -n "$PG_URI" ]; then "$SRC/tests/postgres-fixture.sh" stop "$PG_DIR" >/dev/null 2>&1 || true; trap - EXIT; fi
fi

# RSS as the day grows.
if [ "$FULL" = 1 ]; then
  for n in 10000 100000 300000; do
    land $n >/dev/null
    rm -f "$WORK/rss.duckdb" "$WORK/rss.duckdb.wal"
    measure "rss_$n" 1 "$ETL" load --landing "$WORK/landing-$n" --warehouse "duckdb:$WORK/rss.duckdb" --now "$NOW" \
      --progress never --log-level warn
  done
  rm -f "$WORK/rss.duckdb" "$WORK/rss.duckdb.wal"
fi

# (6) extraction rate against Matomo Cloud's limits (bench/extract_rate.sh).
: >"$WORK/extract.txt"
if [ "${BENCH_EXTRACT:-1}" = 1 ]; then
  log "extraction rate (bench/extract_rate.sh)"
  days=10 per_day=3000
  [ "$VISITS" -lt 100000 ] && days=6 per_day=1000
  "$SRC/bench/extract_rate.sh" "$BUILD" $days $per_day >"$WORK/extract.txt" 2>&1 || log "extract_rate.sh failed"
fi

python3 "$SRC/bench/report.py" --work "$WORK" --part "$PART" --visits "$VISITS" --runs "$RUNS" \
  --out "$SRC/bench/results/latest.md"
