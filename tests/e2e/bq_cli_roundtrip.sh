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
# shellcheck source=google_cli_prelude.sh
fake_args=()
source "$(dirname "$0")/google_cli_prelude.sh"
export CLOUDSDK_AUTH_TOKEN_HOST="$url/token"

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
