<?php

/**
 * @file
 * Autoloads the module's plain classes for its unit tests, without Drupal.
 *
 * Only classes under src/ that have no Drupal dependency may be used by the
 * tests in tests/src/Unit. Run them with "phpunit -c phpunit.xml.dist" from
 * the module's directory.
 */

spl_autoload_register(static function (string $class): void {
  $roots = [
    'Drupal\\Tests\\scim_provisioning\\Unit\\' => __DIR__ . '/src/Unit/',
    'Drupal\\scim_provisioning\\' => dirname(__DIR__) . '/src/',
  ];
  foreach ($roots as $prefix => $directory) {
    if (strncmp($class, $prefix, strlen($prefix)) === 0) {
      $file = $directory . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
      if (is_file($file)) {
        require $file;
      }
      return;
    }
  }
});
