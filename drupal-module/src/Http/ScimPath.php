<?php

namespace Drupal\scim_provisioning\Http;

/**
 * Knows which request paths belong to the SCIM service.
 *
 * This class has no Drupal dependency.
 */
final class ScimPath {

  /**
   * The path of the SCIM service root (RFC 7644 section 3.1).
   */
  public const ROOT = '/scim/v2';

  /**
   * The discovery endpoints (RFC 7644 section 4), under the root.
   */
  public const DISCOVERY = ['ServiceProviderConfig', 'Schemas', 'ResourceTypes'];

  /**
   * This class holds static methods only.
   */
  private function __construct() {
  }

  /**
   * Tells whether a path is the SCIM root or lies below it.
   *
   * Drupal matches routes without regard to case, so this does too.
   *
   * @param string $path
   *   A request path such as Request::getPathInfo() gives.
   *
   * @return bool
   *   TRUE for "/scim/v2" and "/scim/v2/..." in any case.
   */
  public static function isScimPath(string $path): bool {
    $length = strlen(self::ROOT);
    if (strncasecmp($path, self::ROOT, $length) !== 0) {
      return FALSE;
    }
    return strlen($path) === $length || $path[$length] === '/';
  }

  /**
   * Returns the part of a SCIM path below the service root.
   *
   * @param string $path
   *   A path for which isScimPath() is TRUE.
   *
   * @return string
   *   The path below the root, such as "/Users/2819c223"; "/" for the root.
   */
  public static function relative(string $path): string {
    $relative = (string) substr($path, strlen(self::ROOT));
    return $relative === '' ? '/' : $relative;
  }

  /**
   * Tells whether a resource type segment names a discovery endpoint.
   *
   * @param string|null $segment
   *   The first path segment below the root, such as "Schemas".
   *
   * @return bool
   *   TRUE for ServiceProviderConfig, Schemas and ResourceTypes in any case.
   */
  public static function isDiscovery(?string $segment): bool {
    if ($segment === NULL) {
      return FALSE;
    }
    foreach (self::DISCOVERY as $endpoint) {
      if (strcasecmp($segment, $endpoint) === 0) {
        return TRUE;
      }
    }
    return FALSE;
  }

}
