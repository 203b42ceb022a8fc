<?php

namespace Drupal\scim_provisioning\Token;

/**
 * Generates, digests, reads and matches SCIM bearer tokens.
 *
 * A token is "scim_" followed by 32 random bytes in unpadded base64url
 * (RFC 4648 section 5): 48 characters that fit RFC 6750's b64token and that
 * secret scanners can recognise by their prefix. Only the SHA-256 digest of a
 * token is ever stored.
 *
 * This class has no Drupal dependency.
 */
final class BearerToken {

  /**
   * The prefix every generated token starts with.
   */
  public const PREFIX = 'scim_';

  /**
   * How many random bytes a generated token carries.
   */
  public const RANDOM_BYTES = 32;

  /**
   * This class holds static methods only.
   */
  private function __construct() {
  }

  /**
   * Generates a new token from a cryptographically secure source.
   *
   * @return string
   *   The token, to be shown once and then forgotten.
   *
   * @throws \Exception
   *   When no source of randomness is available.
   */
  public static function generate(): string {
    $random = random_bytes(self::RANDOM_BYTES);
    return self::PREFIX . rtrim(strtr(base64_encode($random), '+/', '-_'), '=');
  }

  /**
   * Computes the digest under which a token is stored.
   *
   * @param string $token
   *   The token.
   *
   * @return string
   *   The SHA-256 digest, 64 lowercase hexadecimal digits.
   */
  public static function digest(string $token): string {
    return hash('sha256', $token);
  }

  /**
   * Tells whether a value has the form of a stored digest.
   *
   * @param string $value
   *   The value, for example one from settings.php.
   *
   * @return bool
   *   TRUE for 64 lowercase hexadecimal digits.
   */
  public static function isDigest(string $value): bool {
    return (bool) preg_match('/^[0-9a-f]{64}$/D', $value);
  }

  /**
   * Reads the token of an Authorization header using the Bearer scheme.
   *
   * RFC 6750 section 2.1: "Bearer" (case-insensitive, RFC 9110 section
   * 11.1), one or more spaces, then a b64token. Anything else, including a
   * token with characters outside b64token, yields NULL.
   *
   * @param string|null $header
   *   The Authorization header value, or NULL when there is none.
   *
   * @return string|null
   *   The token, or NULL when the header carries no bearer token.
   */
  public static function fromAuthorizationHeader(?string $header): ?string {
    if ($header === NULL || !preg_match('/^Bearer +([A-Za-z0-9\-._~+\/]+=*) *$/iD', $header, $match)) {
      return NULL;
    }
    return $match[1];
  }

  /**
   * Tells whether an Authorization header uses the Bearer scheme.
   *
   * A cheap check fit for an authentication provider's applies(): it looks
   * at the scheme only, not at the token.
   *
   * @param string|null $header
   *   The Authorization header value, or NULL when there is none.
   *
   * @return bool
   *   TRUE when the header starts with "Bearer " in any case.
   */
  public static function isBearerHeader(?string $header): bool {
    return $header !== NULL && strncasecmp($header, 'Bearer ', 7) === 0;
  }

  /**
   * Finds which stored digest a token matches.
   *
   * Every candidate is compared with hash_equals(), so the time taken does
   * not depend on how much of a digest matches.
   *
   * @param string $token
   *   The token a client presented.
   * @param iterable<string|int, string> $digests
   *   Stored digests, keyed by whatever identifies each token.
   *
   * @return string|int|null
   *   The key of the matching digest, or NULL when none matches.
   */
  public static function match(string $token, iterable $digests) {
    $digest = self::digest($token);
    $found = NULL;
    foreach ($digests as $key => $candidate) {
      if (is_string($candidate) && hash_equals($candidate, $digest) && $found === NULL) {
        $found = $key;
      }
    }
    return $found;
  }

}
