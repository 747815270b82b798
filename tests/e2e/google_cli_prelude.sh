# Sourced by the scripts that drive Google's own CLIs against google-fake (gcloud_storage_roundtrip.sh,
# bq_cli_roundtrip.sh): starts google-fake with a throwaway key and a request log in $work, sets $url
# to its base URL, and points gcloud at throwaway state with no prompts, no update checks, no usage
# reports and no metadata-server probes. Needs $fake, $work and the array $fake_args (more flags for
# google-fake, possibly empty).
ip link set lo up 2>/dev/null || true

"$fake" --write-test-key "$work/key.json" --request-log "$work/requests.jsonl" "${fake_args[@]}" \
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
export CLOUDSDK_CORE_PROJECT=metl-test-project
unset GOOGLE_APPLICATION_CREDENTIALS
