#!/usr/bin/env bash
# Runs the third-party conformance tools (scim2-tester, scim-sanity) against
# SCIM_BASE_URL with SCIM_TOKEN, or a standalone server it starts (see
# tests/http/standalone.py), from <repo>/.venv. Fails on any failed check not
# excused in tests/conformance/expected_failures.py. Arguments go to
# conformance.py (--tool NAME, -v).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/.venv"

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" - <<'PY' 2>/dev/null
import importlib.metadata as m
wanted = {"scim2-tester": "0.5.2", "scim-sanity": "0.7.4", "httpx2": "2.16.2"}
raise SystemExit(any(m.version(name) != version for name, version in wanted.items()))
PY
then
  "$venv/bin/python" -m pip install -q -r "$here/requirements.txt"
fi

cd "$repo"
exec "$venv/bin/python" "$here/conformance.py" "$@"
