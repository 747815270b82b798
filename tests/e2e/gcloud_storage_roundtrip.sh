#!/usr/bin/env bash
# Drives Google's own `gcloud storage` against google-fake: a service-account login through the
# fake's token endpoint, uploads (multipart and resumable) and downloads. Run by
# gcloud_storage_test.cc, inside `unshare -rn` where available (a network namespace with only
# loopback: nothing can leave the machine).
# Usage: gcloud_storage_roundtrip.sh GOOGLE_FAKE_BIN WORKDIR   (WORKDIR holds small.txt and big.bin)
set -euo pipefail
fake=$1
work=$2
ip link set lo up 2>/dev/null || true

"$fake" --write-test-key "$work/key.json" --bucket gcloud-bkt:EU --request-log "$work/requests.jsonl" \
  >"$work/fake.out" 2>"$work/fake.err" &
fake_pid=$!
trap 'kill $fake_pid 2>/dev/null || true' EXIT
for _ in $(seq 200); do
  [ -s "$work/fake.out" ] && break
  sleep 0.05
done
url=$(head -1 "$work/fake.out")
url=${url%/}

# gcloud's own state in a throwaway folder; no prompts, no update checks, no usage reports, no
# metadata-server probes; the storage API at the fake.
export CLOUDSDK_CONFIG="$work/gcloud-config"
export CLOUDSDK_CORE_DISABLE_PROMPTS=1
export CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK=1
export CLOUDSDK_CORE_DISABLE_USAGE_REPORTING=true
export CLOUDSDK_CORE_CHECK_GCE_METADATA=false
export GCE_METADATA_HOST=127.0.0.1:1
export GCE_METADATA_IP=127.0.0.1:1
export CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE="$url/storage/v1/"
export CLOUDSDK_STORAGE_RESUMABLE_THRESHOLD=1048576
export CLOUDSDK_STORAGE_PARALLEL_COMPOSITE_UPLOAD_ENABLED=False
export CLOUDSDK_CORE_PROJECT=metl-test-project
unset GOOGLE_APPLICATION_CREDENTIALS

gcloud auth activate-service-account --key-file "$work/key.json"
gcloud storage cp "$work/small.txt" gs://gcloud-bkt/up/small.txt
gcloud storage cp "$work/big.bin" gs://gcloud-bkt/up/big.bin
gcloud storage ls gs://gcloud-bkt/up/ >"$work/ls.out"
gcloud storage cp gs://gcloud-bkt/up/small.txt "$work/small.back"
gcloud storage cp gs://gcloud-bkt/up/big.bin "$work/big.back"
echo "gcloud round trip done"
