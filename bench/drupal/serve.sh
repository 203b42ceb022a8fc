#!/usr/bin/env bash
# Serves an existing Drupal site for bench/drupal/run.sh, the way
# bench/server/run.sh serves the standalone server: nginx on 127.0.0.1:$PORT
# in front of php-fpm (pm=static, 2 workers, opcache on, the scim extension
# loaded), configured in a temporary folder and stopped on exit (Ctrl-C or
# kill). It neither assembles nor changes the site.
#
#   bench/drupal/serve.sh DRUPAL_WEB_ROOT EXTENSION_SO
#
# Environment (defaults): PORT (18090), WORKERS (2), PHP_FPM (php-fpm8.2).
# Needs nginx and php-fpm (Debian: apt-get install nginx php8.2-fpm
# php8.2-opcache, with the PHP extensions the site needs).
set -euo pipefail

if (($# != 2)); then
  sed -n '7p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
web=$(cd "$1" && pwd)
extension=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
[[ -f $web/core/lib/Drupal.php ]] || { echo "$web is not a Drupal web root" >&2; exit 1; }
[[ -f $extension ]] || { echo "$extension does not exist" >&2; exit 1; }
PORT=${PORT:-18090}
WORKERS=${WORKERS:-2}
PHP_FPM=${PHP_FPM:-php-fpm8.2}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/scim-drupal-serve.XXXXXX")
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/fpm-nginx.sh
source "$here/../fpm-nginx.sh"

bench_fpm_conf "$tmp" drupal "$WORKERS"
bench_nginx_conf "$tmp" "
  server {
    listen 127.0.0.1:$PORT;
    root $web;
    location / {
      try_files \$uri @drupal;
    }
    location ~ \.php\$ {
      try_files /nonexistent @drupal;
    }
    location @drupal {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME $web/index.php;
      fastcgi_param SCRIPT_NAME /index.php;
      fastcgi_pass unix:$tmp/php-fpm.sock;
    }
  }"

info=$("$PHP_FPM" -d "extension=$extension" -d opcache.enable=1 -i 2>/dev/null)
grep -q '^opcache.enable => On' <<<"$info" || { echo "php-fpm: opcache is not on" >&2; exit 1; }
grep -q '^scim support\|^scim$\|scim.enable' <<<"$info" || { echo "php-fpm: the scim extension is not loaded" >&2; exit 1; }

"$PHP_FPM" "${bench_fpm_args[@]}" -F -y "$tmp/php-fpm.conf" -d "extension=$extension" -d opcache.enable=1 &
pids+=($!)
nginx -p "$tmp/nginx" -e "$tmp/nginx-error.log" -c "$tmp/nginx.conf" -g 'daemon off;' &
pids+=($!)

for _ in $(seq 1 100); do
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/scim/v2/ServiceProviderConfig" || true)
  [[ $status == 401 || $status == 200 ]] && break
  sleep 0.1
done
echo "serving $web at http://127.0.0.1:$PORT (SCIM root http://127.0.0.1:$PORT/scim/v2; last probe: $status); stop with Ctrl-C or kill $$"
wait
