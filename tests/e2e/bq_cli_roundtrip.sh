#!/usr/bin/env bash
# Drives Google's own `bq` CLI against google-fake: a service-account login through the fake's token
# endpoint, a dataset, a load job from a local NDJSON file (bq's resumable media upload), a query.
# Run by bq_cli_test.cc, inside `unshare -rn` where available (a network namespace with only
# loopback: nothing can leave the machine).
# Usage: bq_cli_roundtrip.sh GOOGLE_FAKE_BIN WORKDIR   (WORKDIR holds rows.json)
#
# What it takes for bq to talk to the fake (each found by running it; bq 2.1.18, gcloud 528):
#   --api URL                    the REST root (bq then asks URL/$discovery/rest for the discovery
#                                document, which the fake does not serve, so:)
#   --discovery_file FILE        the discovery document google-cloud-cli ships (the one the fake
#                                checks request bodies against);
#   CLOUDSDK_AUTH_TOKEN_HOST     gcloud's token endpoint (bq refreshes through gcloud's stored
#                                credentials, which otherwise go to oauth2.googleapis.com, not to the
#                                key's token_uri);
#   --enable_gdrive=false        bq asks for the drive scope by default, which the fake refuses.
set -euo pipefail
fake=$1
work=$2
ip link set lo up 2>/dev/null || true

"$fake" --write-test-key "$work/key.json" --request-log "$work/requests.jsonl" \
  >"$work/fake.out" 2>"$work/fake.err" &
fake_pid=$!
trap 'kill $fake_pid 2>/dev/null || true' EXIT
for _ in $(seq 200); do
  [ -s "$work/fake.out" ] && break
  sleep 0.05
done
url=$(head -1 "$work/fake.out")
url=${url%/}

export CLOUDSDK_CONFIG="$work/gcloud-config"
export CLOUDSDK_CORE_DISABLE_PROMPTS=1
export CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK=1
export CLOUDSDK_CORE_DISABLE_USAGE_REPORTING=true
export CLOUDSDK_CORE_CHECK_GCE_METADATA=false
export GCE_METADATA_HOST=127.0.0.1:1
export GCE_METADATA_IP=127.0.0.1:1
export CLOUDSDK_AUTH_TOKEN_HOST="$url/token"
export CLOUDSDK_CORE_PROJECT=metl-test-project
unset GOOGLE_APPLICATION_CREDENTIALS

discovery=/usr/lib/google-cloud-sdk/platform/bq/discovery_next/bigquery.json
bq=(bq --api "$url" --project_id metl-test-project --location EU --enable_gdrive=false
  --discovery_file "$discovery" --quiet)

gcloud auth activate-service-account --key-file "$work/key.json"
"${bq[@]}" mk --dataset metl-test-project:bqcli
"${bq[@]}" load --source_format=NEWLINE_DELIMITED_JSON bqcli.visits "$work/rows.json" \
  site_id:INTEGER,visit_id:INTEGER,referrer:STRING
"${bq[@]}" query --nouse_legacy_sql --format=csv \
  'SELECT site_id, COUNT(*) AS visits, STRING_AGG(referrer, "+" ORDER BY visit_id) AS refs
   FROM bqcli.visits GROUP BY site_id ORDER BY site_id' >"$work/query.csv"
echo "bq round trip done"
