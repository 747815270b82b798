#!/usr/bin/env bash
# One landed day loaded into DuckDB, one ClickHouse server and a 2-shard ClickHouse cluster, side by side
# (issue 16); not part of `make test` or `make bench`. Medians of BENCH_RUNS loads (--full-refresh: a full
# replace each time), wall seconds, and the visits per second.
#   bench/clickhouse_load.sh [BUILD_DIR]
#   BENCH_VISITS=100000  visits of the day (BENCH_VISITS=2000 for a quick run)
#   BENCH_RUNS=3
#   BENCH_WORK=DIR       landed day, databases and servers (default BUILD_DIR/bench-ch; the landed day is reused)
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-build}" && pwd)
VISITS=${BENCH_VISITS:-100000}
RUNS=${BENCH_RUNS:-3}
WORK=${BENCH_WORK:-$BUILD/bench-ch}
DAY=2026-11-25
NOW="2026-11-27 12:00:00"
ETL=$BUILD/matomo-etl SIM=$BUILD/matomo-sim
mkdir -p "$WORK"
landing=$WORK/landing-$VISITS

if [ ! -f "$landing/.complete" ]; then
  rm -rf "$landing"
  "$SIM" --sites 1 --visits-per-day "$VISITS" --from "$DAY" --to "$DAY" --now "$NOW" >"$WORK/sim.out" 2>"$WORK/sim.err" &
  sim_pid=$!
  trap 'kill $sim_pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do [ -s "$WORK/sim.out" ] && break; sleep 0.1; done
  MATOMO_TOKEN_AUTH=sim-token "$ETL" extract --url "$(head -1 "$WORK/sim.out")" --landing "$landing" \
    --from "$DAY" --to "$DAY" --now "$NOW" >/dev/null 2>"$WORK/extract.log"
  kill $sim_pid 2>/dev/null || true
  trap - EXIT
  touch "$landing/.complete"
fi

"$SRC/tests/clickhouse-fixture.sh" start "$WORK/ch" 2 >/dev/null
trap '"$SRC/tests/clickhouse-fixture.sh" stop "$WORK/ch"' EXIT
ch=$(cat "$WORK/ch/uri")
params=$(cat "$WORK/ch/cluster-uri-params")

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
bench() {  # bench NAME URL
  local times=()
  for _ in $(seq 1 "$RUNS"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$ETL" load --landing "$landing" --warehouse "$2" --full-refresh >/dev/null 2>"$WORK/load.log" ||
      { tail -5 "$WORK/load.log"; exit 1; }
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc)")
  done
  local m
  m=$(printf '%s\n' "${times[@]}" | median)
  printf '%-28s %8.2f s %10.0f visits/s\n' "$1" "$m" "$(echo "$VISITS / $m" | bc -l)"
}

echo "one day of $VISITS visits, median of $RUNS loads (--full-refresh), $(nproc) cores"
rm -f "$WORK/bench.duckdb"
bench "duckdb" "duckdb:$WORK/bench.duckdb"
bench "clickhouse (one server)" "$ch/bench"
bench "clickhouse (2-shard cluster)" "$ch/bench_cluster$params"
