#!/usr/bin/env bash
# Load measurement of a Drupal site's SCIM endpoint (docs/benchmarks-drupal.md).
#
#   bench/drupal/run.sh BASE_URL TOKEN
#
# BASE_URL is the site's SCIM root (https://example.com/scim/v2), TOKEN one of
# its SCIM bearer tokens. The site must exist: this script assembles nothing
# and installs nothing. It
# 1. provisions $USERS users through SCIM (${PREFIX}0 ...), unless they exist,
#    and says how many it created and how many were there;
# 2. measures with wrk ($THREADS threads, $CONNECTIONS connections, $DURATION
#    per run after a $WARMUP warm-up): GET /Users?filter=userName eq "..."
#    (a user of a sample that exists), POST /Users (a new user each time)
#    and PATCH /Users/{id} (name.givenName, and active true and false in
#    turn: blocking and unblocking accounts);
# 3. prints requests/s, p50 and p99 latency and, when the site sends the
#    module's Server-Timing header ($settings['scim_provisioning_server_timing']
#    = TRUE in settings.php), the mean time in the controller (total), the
#    extension (scim), the module's store (store, of which entity: entity
#    loads, saves and queries) and the provisioning log, and what Drupal's own
#    work (bootstrap, routing, authentication) takes: the mean latency less
#    total. With as many connections as the site has PHP workers, latency is
#    the time a worker spends, without queueing.
#
# POST leaves its users on the site, and PATCH blocks and unblocks sampled
# users: use a test site. Needs wrk, curl and python3 (Debian: apt-get
# install wrk curl python3). The load averages before and after are printed:
# other work on the machine skews the figures.
#
# Environment (defaults): USERS (10000), PREFIX (bench.user), SAMPLE (1000),
# DURATION (20s), WARMUP (3s), THREADS (2), CONNECTIONS (2),
# PROVISION_CONCURRENCY (4), KEEP_TMP (0).
set -euo pipefail

if (($# != 2)); then
  sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
base_url=${1%/}
token=$2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

USERS=${USERS:-10000}
PREFIX=${PREFIX:-bench.user}
SAMPLE=${SAMPLE:-1000}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-3s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-2}
PROVISION_CONCURRENCY=${PROVISION_CONCURRENCY:-4}

log() { printf '== %s\n' "$*" >&2; }

for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { log "$tool is missing (Debian: apt-get install $tool)"; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/scim-drupal-bench.XXXXXX")
cleanup() {
  if [[ ${KEEP_TMP:-0} == 1 ]]; then log "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# The origin and the path of the SCIM root, as wrk wants them.
origin=$(sed -E 's#^(https?://[^/]+).*#\1#' <<<"$base_url")
base_path=${base_url#"$origin"}

auth=(-H "Authorization: Bearer $token")
status=$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" "$base_url/ServiceProviderConfig" || true)
[[ $status == 200 ]] || { log "$base_url/ServiceProviderConfig answered $status with the token"; exit 1; }
timing=$(curl -s -D - -o /dev/null "${auth[@]}" "$base_url/ServiceProviderConfig" | tr -d '\r' \
  | sed -n 's/^[Ss]erver-[Tt]iming: //p')
if [[ -z $timing ]]; then
  log "no Server-Timing header: set \$settings['scim_provisioning_server_timing'] = TRUE; in settings.php for the split"
fi

log "provisioning $USERS users (${PREFIX}0 ...) through SCIM, $PROVISION_CONCURRENCY at a time"
started=$(date +%s)
python3 "$here/provision.py" "$base_url" "$token" "$USERS" "$PREFIX" "$here/user.json" \
  "$tmp" "$SAMPLE" "$PROVISION_CONCURRENCY" | tee "$tmp/provision.txt"
echo "provisioning took $(($(date +%s) - started)) s"

field() { # field KEY "k=v k=v ..."
  local pair
  for pair in $2; do
    [[ ${pair%%=*} == "$1" ]] && { echo "${pair#*=}"; return; }
  done
  echo "-"
}

declare -A result
run_id=$(date +%s)
bench() { # bench MODE
  local mode=$1 out="$tmp/wrk-$1.txt" line
  wrk -t1 -c1 -d"$WARMUP" -s "$here/drupal.lua" "$origin" \
    -- "$mode" "$base_path" "$token" "$tmp/ids.txt" "$tmp/names.txt" "$here/user.json" "$PREFIX" "${run_id}w" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$here/drupal.lua" "$origin" \
    -- "$mode" "$base_path" "$token" "$tmp/ids.txt" "$tmp/names.txt" "$here/user.json" "$PREFIX" "$run_id" >"$out"
  line=$(grep '^RESULT ' "$out" | sed 's/^RESULT //')
  line+=" load1=$(cut -d' ' -f1 /proc/loadavg)"
  result[$mode]=$line
  printf '%-7s %s\n' "$mode" "$line"
}

echo
echo "target: $base_url"
echo "machine: $(nproc) cores; uptime before: $(uptime)"
echo "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per run (after a $WARMUP warm-up)"
for mode in filter post patch; do
  bench "$mode"
done
echo "uptime after: $(uptime)"

echo
printf '| %-6s | %7s | %7s | %7s | %7s | %6s | %8s | %7s | %7s | %8s | %6s | %9s |\n' \
  op req/s mean_ms p50_ms p99_ms non2xx total_ms scim_ms store_ms entity_ms log_ms drupal_ms
printf '|%s|\n' "--------|---------|---------|---------|---------|--------|----------|---------|---------|-----------|--------|-----------"
for mode in filter post patch; do
  line=${result[$mode]}
  mean=$(field mean_ms "$line")
  total=$(field total_ms "$line")
  drupal=$(awk -v m="$mean" -v t="$total" 'BEGIN { if (t == "-") print "-"; else printf "%.2f", m - t }')
  printf '| %-6s | %7s | %7s | %7s | %7s | %6s | %8s | %7s | %7s | %8s | %6s | %9s |\n' \
    "$mode" "$(field rps "$line")" "$mean" "$(field p50_ms "$line")" "$(field p99_ms "$line")" \
    "$(field non2xx "$line")" "$total" "$(field scim_ms "$line")" "$(field store_ms "$line")" \
    "$(field entity_ms "$line")" "$(field log_ms "$line")" "$drupal"
done
