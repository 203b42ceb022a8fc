#!/usr/bin/env bash
# Load benchmark of the standalone SCIM server (docs/benchmarks-server.md).
#
# Ours:      nginx on 127.0.0.1:$PORT -> php-fpm (pm=static, 2 workers,
#            opcache on, libscim.so) -> php-module/server.php, over a fresh
#            SQLite database of $USERS users loaded with Scim\Server::import.
# Baseline:  the same nginx and php-fpm answering a fixed JSON body from a
#            one-line PHP file: the ceiling of the stack.
# Reference: scim2-server (PyPI, pinned) over its in-memory storage, served by
#            gunicorn (2 sync workers) behind the same nginx on $PORT+1,
#            preloaded with as many users as it creates in $REF_LOAD_SECONDS.
#
# wrk ($THREADS threads, $CONNECTIONS connections, $DURATION each) runs GET
# /Users/{id}, GET /Users?filter=userName eq "userN", POST /Users and PATCH
# /Users/{id} against both; ours' POST and PATCH run again after php-fpm is
# restarted with SCIM_DURABILITY=full (the default is "normal"). Each row
# also gives the CPU time the servers spent per request, and each write row
# how long a synced disk write took. Everything listens on 127.0.0.1 or on
# Unix sockets in a temporary folder, and is stopped on exit.
#
# Installs what is missing: nginx, php8.2-fpm, wrk, curl (Debian);
# scim2-server, scim2-models and gunicorn into <repo>/.venv (PyPI). Not part
# of `make test`.
#
# Environment (defaults): PORT (18080), USERS (100000), DURATION (12s),
# WARMUP (3s), THREADS (2), CONNECTIONS (16), REF_LOAD_SECONDS (60),
# REF_USERS (= USERS), SKIP_REFERENCE (0), KEEP_TMP (0).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

PORT=${PORT:-18080}
REF_PORT=$((PORT + 1))
USERS=${USERS:-100000}
DURATION=${DURATION:-12s}
WARMUP=${WARMUP:-3s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
REF_LOAD_SECONDS=${REF_LOAD_SECONDS:-60}
REF_USERS=${REF_USERS:-$USERS}
SKIP_REFERENCE=${SKIP_REFERENCE:-0}
SCIM2_SERVER_VERSION=0.8.3
SCIM2_MODELS_VERSION=0.12.3 # as tests/conformance/requirements.txt pins it
GUNICORN_VERSION=27.0.1

log() { printf '== %s\n' "$*" >&2; }

# --- Packages ---------------------------------------------------------------

install_debian() {
  local missing=() package status
  for package in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]}"
  local sudo=()
  [[ $EUID -ne 0 ]] && sudo=(sudo)
  # Keep the packages' own services (nginx on port 80, the system php-fpm)
  # from starting: this benchmark runs its own, on 127.0.0.1 only.
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    made_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  ((made_policy)) && "${sudo[@]}" rm -f "$policy"
  return 0
}

"$repo/scripts/setup.sh"
install_debian nginx php8.2-fpm php8.2-opcache wrk curl

venv="$repo/.venv"
[[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
pins=("scim2-server==$SCIM2_SERVER_VERSION" "scim2-models==$SCIM2_MODELS_VERSION"
  "gunicorn==$GUNICORN_VERSION")
if ! "$venv/bin/python" - "${pins[@]}" <<'PY' 2>/dev/null
import importlib.metadata as m, sys
wanted = dict(pin.split("==") for pin in sys.argv[1:])
raise SystemExit(any(m.version(n) != v for n, v in wanted.items()))
PY
then
  log "installing ${pins[*]} into .venv"
  "$venv/bin/python" -m pip install -q "${pins[@]}"
fi

# --- Build ------------------------------------------------------------------

log "building the extension (release)"
(cd "$repo" && cargo build --release --quiet)
target_dir=${CARGO_TARGET_DIR:-$repo/target}
extension="$(cd "$target_dir/release" && pwd)/libscim.so"

# --- Temporary folder and clean-up ------------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/scim-bench.XXXXXX")
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ ${KEEP_TMP:-0} == 1 ]]; then
    log "kept $tmp"
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

token=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
digest=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)
run_id=$(date +%s)

# --- Load our database --------------------------------------------------------

db="$tmp/scim.sqlite"
log "loading $USERS users with Scim\\Server::import"
php -d "extension=$extension" -d memory_limit=-1 \
  "$here/load.php" "$db" "$USERS" "$tmp/ids-ours.txt" | tee "$tmp/load-ours.txt"

# --- php-fpm and nginx --------------------------------------------------------

printf '<?php header("Content-Type: application/scim+json"); echo %s;\n' \
  "'{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],\"totalResults\":0,\"Resources\":[]}'" \
  >"$tmp/fixed.php"

# shellcheck source=bench/fpm-nginx.sh
source "$here/../fpm-nginx.sh"

# write_fpm_conf DURABILITY: the php-fpm configuration, one pool of exactly 2
# static workers serving server.php with that store durability.
write_fpm_conf() {
  bench_fpm_conf "$tmp" scim 2 "clear_env = yes
env[SCIM_DB] = $db
env[SCIM_TOKEN_SHA256] = $digest
env[SCIM_BASE_PATH] = /scim/v2
env[SCIM_DURABILITY] = $1"
}

bench_nginx_conf "$tmp" "
  # Ours, and the fixed-body baseline, through php-fpm.
  server {
    listen 127.0.0.1:$PORT;
    location = /fixed {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME $tmp/fixed.php;
      fastcgi_pass unix:$tmp/php-fpm.sock;
    }
    location / {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME $repo/php-module/server.php;
      fastcgi_pass unix:$tmp/php-fpm.sock;
    }
  }

  # The reference, through gunicorn.
  server {
    listen 127.0.0.1:$REF_PORT;
    location / {
      proxy_pass http://unix:$tmp/gunicorn.sock;
      proxy_set_header Host \$http_host;
      proxy_buffering on;
    }
  }"

log "starting php-fpm (2 static workers) and nginx on 127.0.0.1:$PORT"
fpm_info=$(php-fpm8.2 -d "extension=$extension" -d opcache.enable=1 -i 2>/dev/null)
grep -q '^opcache.enable => On' <<<"$fpm_info" || { log "php-fpm: opcache is not on"; exit 1; }
grep -q '^scim.enable_test_hooks' <<<"$fpm_info" || { log "php-fpm: the scim extension is not loaded"; exit 1; }
# start_fpm DURABILITY; stop_fpm.
start_fpm() {
  write_fpm_conf "$1"
  php-fpm8.2 "${bench_fpm_args[@]}" -F -y "$tmp/php-fpm.conf" \
    -d "extension=$extension" -d opcache.enable=1 &
  fpm_pid=$!
  pids+=("$fpm_pid")
}
stop_fpm() {
  kill "$fpm_pid" 2>/dev/null || true
  wait "$fpm_pid" 2>/dev/null || true
  local kept=() pid
  for pid in "${pids[@]}"; do
    [[ $pid == "$fpm_pid" ]] || kept+=("$pid")
  done
  pids=("${kept[@]}")
  rm -f "$tmp/php-fpm.sock"
}
start_fpm normal
nginx -p "$tmp/nginx" -e "$tmp/nginx-error.log" -c "$tmp/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
pids+=("$nginx_pid")
ref_pid=""

# wait_for SECONDS URL EXPECTED_STATUS [curl args...]: polls until the answer
# has that status, for at most SECONDS.
wait_for() {
  local tries=$(($1 * 10)) url=$2 expected=$3 status i
  shift 3
  for ((i = 0; i < tries; i++)); do
    status=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url" || true)
    [[ $status == "$expected" ]] && return 0
    sleep 0.1
  done
  log "$url did not answer $expected (last: $status)"
  return 1
}

auth=(-H "Authorization: Bearer $token")
wait_for 30 "http://127.0.0.1:$PORT/fixed" 200
wait_for 30 "http://127.0.0.1:$PORT/scim/v2/ServiceProviderConfig" 200 "${auth[@]}"

# --- Checks before measuring ----------------------------------------------------

# check NAME BASE IDS: one request of each kind must succeed and find what it
# should, so that the figures measure real answers.
check() {
  local name=$1 base=$2 ids=$3 id body
  id=$(sed -n 2p "$ids")
  body=$(curl -sf "${auth[@]}" "$base/Users/$id") || { log "$name: GET failed"; return 1; }
  [[ $body =~ \"userName\":\ ?\"user1\" ]] || { log "$name: GET answered $body"; return 1; }
  body=$(curl -sf "${auth[@]}" "$base/Users?filter=userName%20eq%20%22user1%22") \
    || { log "$name: filter failed"; return 1; }
  [[ $body =~ \"totalResults\":\ ?1[,}] && $body == *"$id"* ]] \
    || { log "$name: filter answered $body"; return 1; }
  body=$(sed 's/@N@/check/g' "$here/user.json")
  curl -sf -o /dev/null "${auth[@]}" -H 'Content-Type: application/scim+json' \
    -X POST --data-binary "$body" "$base/Users" || { log "$name: POST failed"; return 1; }
  curl -sf -o /dev/null "${auth[@]}" -H 'Content-Type: application/scim+json' -X PATCH \
    --data-binary '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}' \
    "$base/Users/$id" || { log "$name: PATCH failed"; return 1; }
}
check ours "http://127.0.0.1:$PORT/scim/v2" "$tmp/ids-ours.txt"

# --- wrk ------------------------------------------------------------------------

declare -A result
bench_number=0
seconds_of() { local d=$1; d=${d%s}; echo "${d%.*}"; }

# cpu_ticks PID: the CPU time (user + system, in clock ticks) that a process
# and its children alive now have used: the servers' cost per request, which
# other work on the machine disturbs far less than their throughput.
cpu_ticks() {
  local total=0 pid child fields
  fields=$(cut -d')' -f2 "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  read -r -a fields <<<"$fields"
  total=$((fields[11] + fields[12]))
  for child in $(ps -o pid= --ppid "$1"); do
    total=$((total + $(cpu_ticks "$child")))
  done
  echo "$total"
}

# bench SERVER MODE URL BASE_PATH IDS APP_PID
bench() {
  local server=$1 mode=$2 url=$3 base=$4 ids=$5 app=$6 out line
  out="$tmp/wrk-$server-$mode.txt"
  # userNames of POST are unique to this run of wrk: RUN_ID.BENCH_NUMBER.
  bench_number=$((bench_number + 1))
  local prefix="${run_id}n${bench_number}"
  local limit=$(($(seconds_of "$DURATION") + 30))
  timeout "$((limit))" wrk -t1 -c4 -d"$WARMUP" -s "$here/scim.lua" "$url" \
    -- "$mode" "$base" "$token" "$ids" "$here/user.json" "${prefix}w" >/dev/null
  local app_before nginx_before app_after nginx_after requests hz
  app_before=$(cpu_ticks "$app")
  nginx_before=$(cpu_ticks "$nginx_pid")
  timeout "$limit" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
    -s "$here/scim.lua" "$url" \
    -- "$mode" "$base" "$token" "$ids" "$here/user.json" "$prefix" >"$out"
  app_after=$(cpu_ticks "$app")
  nginx_after=$(cpu_ticks "$nginx_pid")
  line=$(grep '^RESULT ' "$out" | sed 's/^RESULT //')
  requests=$(field requests "$line")
  hz=$(getconf CLK_TCK)
  line+=" app_cpu_us=$(((app_after - app_before) * 1000000 / hz / requests))"
  line+=" nginx_cpu_us=$(((nginx_after - nginx_before) * 1000000 / hz / requests))"
  line+=" load1=$(cut -d' ' -f1 /proc/loadavg)"
  [[ $mode == post || $mode == patch ]] && line+=" sync_ms=$(sync_ms)"
  result[$server.$mode]=$line
  printf '%-9s %-7s %s\n' "$server" "$mode" "$line"
}

field() { # field KEY "k=v k=v ..."
  local pair
  for pair in $2; do
    [[ ${pair%%=*} == "$1" ]] && { echo "${pair#*=}"; return; }
  done
  echo "-"
}

echo
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "busiest processes at start (%CPU over 1 s, command):"
top -b -n2 -d1 -o %CPU -w 200 | awk '/^top -/ { n++ } n == 2' \
  | awk 'found && NF >= 12 { print "  " $9, $12 } /^ *PID/ { found = 1 }' | head -6
# sync_ms: how long one synced 4 KiB write takes on the database's disk, the
# floor of a commit with durability "full". Measured next to each write run,
# since it varies with the other I/O on the machine.
sync_ms() {
  local seconds
  seconds=$( { LC_ALL=C dd if=/dev/zero of="$tmp/sync.test" bs=4k count=100 oflag=dsync 2>&1 >/dev/null; } \
    | awk '/copied/ { print $(NF-3) }')
  rm -f "$tmp/sync.test"
  awk -v s="$seconds" 'BEGIN { printf "%.2f", s * 1000 / 100 }'
}
echo "disk: one synced 4 KiB write takes $(sync_ms) ms"
echo "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per run (after a $WARMUP warm-up)"
bench baseline fixed "http://127.0.0.1:$PORT" /fixed "$tmp/ids-ours.txt" "$fpm_pid"
for mode in get filter post patch; do
  bench ours "$mode" "http://127.0.0.1:$PORT" /scim/v2 "$tmp/ids-ours.txt" "$fpm_pid"
done

# The writes again with durability "full" (synchronous=FULL: a disk sync per
# commit), which the default "normal" is not.
log "restarting php-fpm with SCIM_DURABILITY=full"
stop_fpm
start_fpm full
wait_for 30 "http://127.0.0.1:$PORT/scim/v2/ServiceProviderConfig" 200 "${auth[@]}"
for mode in post patch; do
  bench ours-full "$mode" "http://127.0.0.1:$PORT" /scim/v2 "$tmp/ids-ours.txt" "$fpm_pid"
done

# --- The reference ----------------------------------------------------------------

if [[ $SKIP_REFERENCE != 1 ]]; then
  log "starting scim2-server $SCIM2_SERVER_VERSION under gunicorn (2 workers), loading users for up to ${REF_LOAD_SECONDS}s"
  (
    cd "$here"
    REF_TOKEN=$token REF_USERS=$REF_USERS REF_LOAD_SECONDS=$REF_LOAD_SECONDS \
      REF_IDS_FILE="$tmp/ids-ref.txt" REF_TEMPLATE="$here/user.json" \
      exec "$venv/bin/gunicorn" --preload --workers 2 --worker-class sync \
      --bind "unix:$tmp/gunicorn.sock" --log-level warning reference_app:app
  ) > >(tee "$tmp/load-ref.txt") &
  ref_pid=$!
  pids+=("$ref_pid")
  wait_for "$((REF_LOAD_SECONDS + 120))" "http://127.0.0.1:$REF_PORT/v2/ServiceProviderConfig" 200 "${auth[@]}"
  check reference "http://127.0.0.1:$REF_PORT/v2" "$tmp/ids-ref.txt"
  for mode in get filter post patch; do
    bench reference "$mode" "http://127.0.0.1:$REF_PORT" /v2 "$tmp/ids-ref.txt" "$ref_pid"
  done
fi

# --- Summary --------------------------------------------------------------------

echo
echo "load: ours $(cat "$tmp/load-ours.txt")"
[[ -s $tmp/load-ref.txt ]] && echo "load: reference $(grep reference-load "$tmp/load-ref.txt")"
echo
printf '| %-11s | %-7s | %8s | %8s | %8s | %7s | %7s | %14s | %16s | %5s | %7s |\n' \
  server op req/s p50_ms p99_ms non2xx sockerr app_cpu_us/req nginx_cpu_us/req load1 sync_ms
printf '|%s|\n' "-------------|---------|----------|----------|----------|---------|---------|----------------|------------------|-------|---------"
for key in baseline.fixed ours.get ours.filter ours.post ours.patch \
  ours-full.post ours-full.patch reference.get reference.filter reference.post reference.patch; do
  [[ -n ${result[$key]:-} ]] || continue
  line=${result[$key]}
  printf '| %-11s | %-7s | %8s | %8s | %8s | %7s | %7s | %14s | %16s | %5s | %7s |\n' \
    "${key%%.*}" "${key#*.}" "$(field rps "$line")" "$(field p50_ms "$line")" \
    "$(field p99_ms "$line")" "$(field non2xx "$line")" \
    "$(field socket_errors "$line")" "$(field app_cpu_us "$line")" \
    "$(field nginx_cpu_us "$line")" "$(field load1 "$line")" "$(field sync_ms "$line")"
done
if [[ $SKIP_REFERENCE != 1 ]]; then
  echo
  for mode in get filter post patch; do
    ours=$(field rps "${result[ours.$mode]}")
    theirs=$(field rps "${result[reference.$mode]}")
    awk -v m="$mode" -v a="$ours" -v b="$theirs" \
      'BEGIN { printf "ratio ours/reference %-7s %.1fx\n", m, (b > 0 ? a / b : 0) }'
  done
  for mode in post patch; do
    ours=$(field rps "${result[ours-full.$mode]}")
    theirs=$(field rps "${result[reference.$mode]}")
    awk -v m="$mode" -v a="$ours" -v b="$theirs" \
      'BEGIN { printf "ratio ours(durability full)/reference %-7s %.1fx\n", m, (b > 0 ? a / b : 0) }'
  done
fi
