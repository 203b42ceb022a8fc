#!/usr/bin/env bash
# The Drupal module's tests. Unit tests of its plain classes always run (no
# Drupal needed). Kernel and Functional tests need a Drupal site: set
# DRUPAL_ROOT to its web root, whose core/phpunit.xml (or DRUPAL_PHPUNIT_CONFIG)
# sets SIMPLETEST_DB and SIMPLETEST_BASE_URL. The module is linked into
# DRUPAL_ROOT/modules/custom when it is not there yet.
set -euo pipefail
cd "$(dirname "$0")/.."
phpunit=(${PHPUNIT:-/usr/bin/phpunit})
# Kernel and Functional tests provision through the extension: load it.
if [[ -n "${SCIM_EXTENSION:-}" ]]; then
  phpunit=(php -d "extension=$SCIM_EXTENSION" "${phpunit[@]}")
fi

"${phpunit[@]}" -c drupal-module/phpunit.xml.dist

if [[ -z "${DRUPAL_ROOT:-}" ]]; then
  echo "drupal: Kernel and Functional tests skipped: DRUPAL_ROOT is not set"
  exit 0
fi
if [[ ! -f "$DRUPAL_ROOT/core/lib/Drupal.php" ]]; then
  echo "drupal: DRUPAL_ROOT=$DRUPAL_ROOT is not a Drupal web root" >&2
  exit 1
fi
module="$DRUPAL_ROOT/modules/custom/scim_provisioning"
if [[ ! -e "$module" ]]; then
  mkdir -p "$DRUPAL_ROOT/modules/custom"
  ln -s "$PWD/drupal-module" "$module"
fi
config=${DRUPAL_PHPUNIT_CONFIG:-$DRUPAL_ROOT/core/phpunit.xml}
cd "$DRUPAL_ROOT/core"
"${phpunit[@]}" -c "$config" "$module/tests/src/Kernel"
"${phpunit[@]}" -c "$config" "$module/tests/src/Functional"
