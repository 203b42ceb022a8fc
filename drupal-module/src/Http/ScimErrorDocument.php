<?php

namespace Drupal\scim_provisioning\Http;

/**
 * Builds SCIM error documents (RFC 7644 section 3.12).
 *
 * This class has no Drupal dependency.
 */
final class ScimErrorDocument {

  /**
   * The URN of the error message schema.
   */
  public const SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

  /**
   * The media type of SCIM responses (RFC 7644 section 3.1).
   */
  public const CONTENT_TYPE = 'application/scim+json';

  /**
   * This class holds static methods only.
   */
  private function __construct() {
  }

  /**
   * Builds an error document.
   *
   * @param int $status
   *   The HTTP status code.
   * @param string $detail
   *   A human-readable explanation, free of secrets.
   * @param string|null $scim_type
   *   A scimType keyword from RFC 7644 section 3.12 table 9, or NULL.
   *
   * @return array
   *   The document, to be encoded as JSON. "status" is a string, as the RFC
   *   requires.
   */
  public static function build(int $status, string $detail, ?string $scim_type = NULL): array {
    $document = [
      'schemas' => [self::SCHEMA],
      'status' => (string) $status,
    ];
    if ($scim_type !== NULL) {
      $document['scimType'] = $scim_type;
    }
    $document['detail'] = $detail;
    return $document;
  }

  /**
   * Builds an error document as JSON.
   *
   * @param int $status
   *   The HTTP status code.
   * @param string $detail
   *   A human-readable explanation, free of secrets.
   * @param string|null $scim_type
   *   A scimType keyword, or NULL.
   *
   * @return string
   *   The JSON text.
   */
  public static function json(int $status, string $detail, ?string $scim_type = NULL): string {
    $json = json_encode(self::build($status, $detail, $scim_type), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE);
    return $json === FALSE ? '{"schemas":["' . self::SCHEMA . '"],"status":"500"}' : $json;
  }

}
