#!/usr/bin/env bash
# The container recipe (packaging/container/Dockerfile) builds, and its image runs the demo as the matomo-etl
# user. Only where a Docker daemon answers (the build downloads Debian packages and DuckDB: minutes, network);
# elsewhere the test says it skipped.
# Usage: container_test.sh SOURCE_DIR
# shellcheck source=tests/install/lib.sh
source "$(dirname "$0")/lib.sh"
source_dir=$1
command -v docker >/dev/null || skip "docker is not installed"
docker info >/dev/null 2>&1 || skip "no Docker daemon answers (docker info failed)"

tag="matomo-etl-test:$$"
trap 'docker image rm -f "$tag" >/dev/null 2>&1 || true' EXIT
docker build -f "$source_dir/packaging/container/Dockerfile" -t "$tag" "$source_dir" || fail "docker build failed"
[ "$(docker run --rm --entrypoint id "$tag" -un)" = matomo-etl ] || fail "the image does not run as matomo-etl"
out=$(docker run --rm "$tag" demo --demo-dir /tmp/demo) || { echo "$out" >&2; fail "the demo failed in the image"; }
echo "$out" | grep -q '^matomo-sim serves http://127\.0\.0\.1:' || fail "the demo did not start matomo-sim"
echo "PASS: the image builds, runs as matomo-etl and runs the demo"
