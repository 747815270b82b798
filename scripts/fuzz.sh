#!/usr/bin/env bash
# Builds the libFuzzer targets (src/**/*_fuzz.cc) with clang into a build dir and runs each one.
#   scripts/fuzz.sh [SECONDS_EACH] [BUILD_DIR] [TARGET...]
# `make test` runs it with 20 s each; `make fuzz FUZZ_SECONDS=600` for a long run (docs/fuzzing.md).
# Seeds come from tests/fuzz/corpus/<name>/ (read only); new inputs go to BUILD_DIR/corpus/<name>/,
# which is kept between runs. A finding is written to BUILD_DIR/findings/ and fails the script.
set -uo pipefail
seconds=${1:-20}
build=${2:-build-fuzz}
shift 2 2>/dev/null || shift $#
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found (apt-get install clang)"; exit 1
fi
if [ ! -f "$build/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMETL_FUZZ=ON \
    -DMETL_E2E=OFF -DMETL_BENCH=OFF -DBUILD_TESTING=OFF -DMETL_WERROR=OFF >/dev/null || exit 1
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in $(find src -name '*_fuzz.cc' | sort); do targets+=("$(basename "$f" .cc)"); done
fi
cmake --build "$build" -j "${FUZZ_JOBS:-2}" --target "${targets[@]}" || exit 1

status=0
mkdir -p "$build/findings"
for t in "${targets[@]}"; do
  name=${t%_fuzz}
  work="$build/corpus/$name"
  mkdir -p "$work"
  log="$build/$t.log"
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
    "./$build/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/findings/$name-" "$work" "tests/fuzz/corpus/$name" >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  if [ $rc -ne 0 ]; then
    status=1
    echo "fuzz: $t FOUND A PROBLEM (exit $rc); input in $build/findings/, log $log:"
    grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "$log" | head -5
  else
    echo "fuzz: $t ok, ${execs:-?} executions in ${seconds}s (${cov:-cov ?})"
  fi
done
exit $status
