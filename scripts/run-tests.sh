#!/usr/bin/env bash
# The whole test suite, as `make test` and CI run it:
#  1. unit and end-to-end tests of the normal build (ctest; e2e tests start matomo-sim and any
#     database server they need themselves, on 127.0.0.1),
#  2. the unit tests and the end-to-end tests again under AddressSanitizer + UndefinedBehaviorSanitizer
#     (the e2e tests then drive sanitized matomo-etl and matomo-sim binaries, which inherit the options),
#     except the BigQuery suites and the gcloud test (see below),
#  3. a short libFuzzer run of every fuzz target (clang, ASan+UBSan; scripts/fuzz.sh, docs/fuzzing.md).
set -uo pipefail
build=${1:-build}
asan=${2:-build-asan}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

status=0
echo "== ctest (unit + end-to-end) in $build"
(cd "$build" && ctest --output-on-failure -j "$(nproc)" --timeout 900) || status=1

echo "== unit and end-to-end tests under AddressSanitizer + UBSan ($asan)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
"./$asan/metl_unit_tests" --gtest_brief=1 || status=1
# The BigQuery suites (the shared warehouse suite's /bigquery runs and BigQueryLoad: ~4 min of the
# unsanitized run, a fake that executes every query on an embedded DuckDB) and the gcloud client test
# (Google's CLI, not our code) run only in the unsanitized stage above: it is the servers' and the fake's own time.
# Likewise the ClickHouse runs of the shared suite (/clickhouse, /clickhouse_cluster: ~6 min, mostly the
# servers' own work) and the ClickHouse.* suite.
(cd "$asan" && ctest -R '^(e2e|fixture)[.]' \
  -E '(/bigquery$|^e2e[.]BigQuery|^e2e[.]GcloudStorage|/clickhouse$|/clickhouse_cluster$|^e2e[.]ClickHouse[.])' \
  --output-on-failure -j "$(nproc)" --timeout 900) || status=1
unset ASAN_OPTIONS UBSAN_OPTIONS

echo "== fuzz targets, ${METL_FUZZ_SECONDS:-20} s each (${METL_FUZZ_BUILD:-build-fuzz})"
./scripts/fuzz.sh "${METL_FUZZ_SECONDS:-20}" "${METL_FUZZ_BUILD:-build-fuzz}" || status=1

if [ "$status" -ne 0 ]; then
  echo "make test: FAILED"
else
  echo "make test: all stages passed"
fi
exit "$status"
