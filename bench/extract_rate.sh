#!/usr/bin/env bash
# Extraction rate against a rate-limited matomo-sim (issue 3): Matomo Cloud's limits (200 Live
# requests/min, 8 concurrent), pages of 1,000 visits, 50 ms + 1 ms per visit of latency.
# Reports the steady-state request rate achieved vs allowed and the number of 429 answers.
# Usage: bench/extract_rate.sh [BUILD_DIR] [DAYS] [VISITS_PER_DAY]
set -euo pipefail
BUILD=${1:-build}
DAYS=${2:-20}
VISITS=${3:-5000}
SITES=3
RATE=200
NOW="2026-12-01 12:00:00"
TO=2026-11-30
FROM=$(date -u -d "$TO - $((DAYS - 1)) days" +%F)
WORK=$(mktemp -d)
trap 'kill $SIM_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$BUILD/matomo-sim" --port 0 --token bench-token --sites $SITES --visits-per-day "$VISITS" --from "$FROM" --to "$TO" \
  --now "$NOW" --rate-limit $RATE --max-concurrent 8 --latency-ms 50 --latency-per-visit-ms 1 \
  --request-log "$WORK/requests.jsonl" >"$WORK/sim.out" 2>"$WORK/sim.err" &
SIM_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/sim.out" ] && break; sleep 0.1; done
URL=$(head -1 "$WORK/sim.out")

start=$(date +%s.%N)
MATOMO_TOKEN_AUTH=bench-token "$BUILD/matomo-etl" extract --url "$URL" --landing "$WORK/landing" --now "$NOW" \
  --backfill-days "$DAYS" --page-size 1000 --rate-limit $RATE --concurrency 8 --progress never --log-level warn \
  | tee "$WORK/summary.txt"
end=$(date +%s.%N)

python3 - "$WORK/requests.jsonl" "$RATE" "$start" "$end" <<'PY'
import json, sys
path, allowed, start, end = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
rows = [json.loads(l) for l in open(path)]
times = sorted(r["time"] for r in rows)
n429 = sum(1 for r in rows if r["status"] == 429)
# Steady state: drop the first and last 5 seconds (connection set-up and the tail of the last day).
t0, t1 = times[0] + 5, times[-1] - 5
steady = [t for t in times if t0 <= t < t1]
rate = len(steady) / (t1 - t0) * 60 if t1 > t0 else float("nan")
# The most requests the server saw in any 60-second window.
j, peak = 0, 0
for i, t in enumerate(times):
    while times[j] <= t - 60: j += 1
    peak = max(peak, i - j + 1)
print(f"requests: {len(rows)} in {end - start:.1f} s wall; 429 answers: {n429}")
print(f"steady-state rate: {rate:.1f} requests/min of {allowed} allowed = {100 * rate / allowed:.1f}%")
print(f"peak requests in any 60 s window: {peak} (limit {allowed})")
PY
