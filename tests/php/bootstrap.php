<?php

/**
 * @file
 * Refuses to run the PHP tests without the extension and its test hooks.
 */

declare(strict_types=1);

if (!extension_loaded('scim')) {
  fwrite(STDERR, "The scim extension is not loaded: run php -d extension=/path/to/libscim.so phpunit ...\n");
  exit(1);
}
if (ini_get('scim.enable_test_hooks') !== '1') {
  fwrite(STDERR, "Run the tests with -d scim.enable_test_hooks=1.\n");
  exit(1);
}

require_once __DIR__ . '/ScimTestCase.php';
