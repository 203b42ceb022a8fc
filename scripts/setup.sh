#!/usr/bin/env bash
# Installs what `make test` needs on a Debian 12 machine: PHP 8.2 with its
# headers, libclang for ext-php-rs's bindings, SQLite and PHPUnit. Quiet and
# quick when everything is already there; apt runs only for what is missing.
set -euo pipefail

packages=(
  php8.2-cli php8.2-dev php8.2-sqlite3 php8.2-mbstring php8.2-xml
  libclang-dev clang sqlite3 phpunit python3 python3-venv
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}"
  sudo=()
  if [[ $EUID -ne 0 ]]; then
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Rust toolchain comes with the machine; rustfmt and clippy are components
# of it that a minimal profile may lack.
for component in fmt clippy; do
  if ! cargo "$component" --version >/dev/null 2>&1; then
    if command -v rustup >/dev/null 2>&1; then
      echo "setup: adding the Rust component for cargo $component"
      rustup component add "$([[ $component == fmt ]] && echo rustfmt || echo clippy)"
    else
      echo "setup: cargo $component is missing and rustup is not available" >&2
      exit 1
    fi
  fi
done
