#!/usr/bin/env bash
# Drives Google's own `gcloud storage` against google-fake: a service-account login through the
# fake's token endpoint, uploads (multipart and resumable) and downloads. Run by
# gcloud_storage_test.cc, inside `unshare -rn` where available (a network namespace with only
# loopback: nothing can leave the machine).
# Usage: gcloud_storage_roundtrip.sh GOOGLE_FAKE_BIN WORKDIR   (WORKDIR holds small.txt and big.bin)
set -euo pipefail
fake=$1
work=$2
# shellcheck source=google_cli_prelude.sh
fake_args=(--bucket gcloud-bkt:EU)
source "$(dirname "$0")/google_cli_prelude.sh"
export CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE="$url/storage/v1/"
export CLOUDSDK_STORAGE_RESUMABLE_THRESHOLD=1048576
export CLOUDSDK_STORAGE_PARALLEL_COMPOSITE_UPLOAD_ENABLED=False

gcloud auth activate-service-account --key-file "$work/key.json"
gcloud storage cp "$work/small.txt" gs://gcloud-bkt/up/small.txt
gcloud storage cp "$work/big.bin" gs://gcloud-bkt/up/big.bin
gcloud storage ls gs://gcloud-bkt/up/ >"$work/ls.out"
gcloud storage cp gs://gcloud-bkt/up/small.txt "$work/small.back"
gcloud storage cp gs://gcloud-bkt/up/big.bin "$work/big.back"
echo "gcloud round trip done"
