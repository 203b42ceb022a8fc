#!/usr/bin/env bash
# `make serve`: the standalone SCIM server on PHP's built-in web server, with
# the extension's embedded SQLite store.
#
#   PORT         port to listen on (default 8080)
#   HOST         address to listen on (default 127.0.0.1)
#   SCIM_DB      the SQLite file (default var/scim.sqlite)
#   SCIM_TOKEN   the bearer token; when unset, one is made on first start and
#                kept in var/token
#   PHP_CLI_SERVER_WORKERS  concurrent PHP workers (default 4)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cargo build --release --quiet
target_dir=${CARGO_TARGET_DIR:-target}
extension="$(cd "$target_dir/release" && pwd)/libscim.so"

mkdir -p var
export SCIM_DB=${SCIM_DB:-$PWD/var/scim.sqlite}
if [[ -z "${SCIM_TOKEN:-}" ]]; then
  if [[ ! -s var/token ]]; then
    (umask 077 && php -r 'echo bin2hex(random_bytes(32));' > var/token)
  fi
  SCIM_TOKEN=$(<var/token)
fi
export SCIM_TOKEN
export PHP_CLI_SERVER_WORKERS=${PHP_CLI_SERVER_WORKERS:-4}

host=${HOST:-127.0.0.1}
port=${PORT:-8080}
cat <<MSG
SCIM Base URL:     http://$host:$port/scim/v2
SCIM Bearer Token: $SCIM_TOKEN
Database:          $SCIM_DB
MSG
exec php -d "extension=$extension" -S "$host:$port" php-module/server.php
