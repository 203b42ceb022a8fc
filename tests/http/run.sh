#!/usr/bin/env bash
# Runs the black-box SCIM HTTP suite (tests/http) with pytest in <repo>/.venv.
# Aims at SCIM_BASE_URL with SCIM_TOKEN, or else starts the standalone server
# (PHP's built-in server with target/release/libscim.so; see standalone.py).
# Extra arguments go to pytest, e.g. `tests/http/run.sh -k okta -x`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/.venv"

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import pytest' 2>/dev/null; then
  "$venv/bin/python" -m pip install -q 'pytest==9.2.0'
fi

cd "$repo"
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/http "$@"
