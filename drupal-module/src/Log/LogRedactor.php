<?php

namespace Drupal\scim_provisioning\Log;

/**
 * Makes request details safe to keep in the provisioning log.
 *
 * Secrets never reach the log: values of members whose names suggest a
 * secret, the value of a PATCH operation on such a path, bearer tokens in
 * free text and credential headers are replaced, and what remains is cut to
 * a length. A body that is not JSON is not kept at all.
 *
 * This class has no Drupal dependency.
 */
final class LogRedactor {

  /**
   * What stands in for a removed secret.
   */
  public const MASK = '[redacted]';

  /**
   * Member names, in lower case, whose values are always masked.
   */
  private const SECRET_NAMES = [
    'password',
    'secret',
    'client_secret',
    'token',
    'access_token',
    'refresh_token',
    'id_token',
    'api_key',
    'apikey',
    'authorization',
  ];

  /**
   * Header names, in lower case, whose values are always masked.
   */
  private const SECRET_HEADERS = [
    'authorization',
    'proxy-authorization',
    'cookie',
    'set-cookie',
    'x-api-key',
  ];

  /**
   * The most characters a redacted body or text keeps.
   *
   * @var int
   */
  private int $maxLength;

  /**
   * Constructs a redactor.
   *
   * @param int $max_length
   *   The most characters a redacted body or text keeps; at least 16.
   */
  public function __construct(int $max_length = 4000) {
    $this->maxLength = max(16, $max_length);
  }

  /**
   * Redacts a request or response body.
   *
   * @param string $body
   *   The body as received.
   *
   * @return string
   *   The body as compact JSON with secrets masked and cut to the maximum
   *   length; an empty string for an empty body; a note with the size for a
   *   body that is not JSON.
   */
  public function redactBody(string $body): string {
    if (trim($body) === '') {
      return '';
    }
    try {
      $data = json_decode($body, FALSE, 64, JSON_THROW_ON_ERROR);
    }
    catch (\JsonException $e) {
      return sprintf('[body of %d bytes that is not JSON]', strlen($body));
    }
    $json = json_encode($this->redactValue($data), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE);
    return $this->cut($json === FALSE ? '' : $json);
  }

  /**
   * Redacts free text such as an error detail.
   *
   * @param string $text
   *   The text.
   *
   * @return string
   *   The text with bearer tokens and generated tokens masked, cut to the
   *   maximum length.
   */
  public function redactText(string $text): string {
    $text = preg_replace_callback('/\b(Bearer)\s+([A-Za-z0-9\-._~+\/]+=*)/i', [self::class, 'maskBearer'], $text) ?? '';
    $text = preg_replace('/\bscim_[A-Za-z0-9_\-]{16,}/', self::MASK, $text) ?? '';
    return $this->cut($text);
  }

  /**
   * Redacts request headers.
   *
   * @param array<string, string|string[]> $headers
   *   Header names to a value or a list of values.
   *
   * @return array<string, string|string[]>
   *   The same headers, with credential headers masked. An Authorization
   *   header keeps its scheme, so the log still shows which one was used.
   */
  public function redactHeaders(array $headers): array {
    $redacted = [];
    foreach ($headers as $name => $value) {
      $lower = strtolower((string) $name);
      if (!in_array($lower, self::SECRET_HEADERS, TRUE)) {
        $redacted[$name] = $value;
        continue;
      }
      $values = is_array($value) ? $value : [$value];
      $masked = [];
      foreach ($values as $one) {
        $masked[] = $this->maskCredentials($lower, (string) $one);
      }
      $redacted[$name] = is_array($value) ? $masked : $masked[0];
    }
    return $redacted;
  }

  /**
   * Tells whether a member name or an attribute path names a secret.
   *
   * @param string $name
   *   A JSON member name or a SCIM attribute path such as "password" or
   *   "urn:example:params:Custom:apiKey".
   *
   * @return bool
   *   TRUE when its last component, in any case, is a secret's name.
   */
  public static function isSecretName(string $name): bool {
    $last = strtolower($name);
    $colon = strrpos($last, ':');
    if ($colon !== FALSE) {
      $last = substr($last, $colon + 1);
    }
    $dot = strrpos($last, '.');
    if ($dot !== FALSE) {
      $last = substr($last, $dot + 1);
    }
    return in_array($last, self::SECRET_NAMES, TRUE);
  }

  /**
   * Masks the secrets inside a decoded JSON value.
   *
   * @param mixed $value
   *   A value from json_decode() with objects as \stdClass.
   *
   * @return mixed
   *   The value with secrets masked.
   */
  private function redactValue($value) {
    if (is_array($value)) {
      return array_map([$this, 'redactValue'], $value);
    }
    if (!$value instanceof \stdClass) {
      return $value;
    }

    $result = new \stdClass();
    $path = NULL;
    foreach (get_object_vars($value) as $name => $member) {
      if (strcasecmp((string) $name, 'path') === 0 && is_string($member)) {
        $path = $member;
      }
    }
    foreach (get_object_vars($value) as $name => $member) {
      $name = (string) $name;
      if (self::isSecretName($name)) {
        $result->{$name} = self::MASK;
      }
      elseif ($path !== NULL && strcasecmp($name, 'value') === 0 && self::isSecretName($path)) {
        // A PATCH operation (RFC 7644 section 3.5.2) setting a secret.
        $result->{$name} = self::MASK;
      }
      else {
        $result->{$name} = $this->redactValue($member);
      }
    }
    return $result;
  }

  /**
   * Masks the token in a "Bearer <token>" match of free text.
   *
   * Prose such as "the bearer token is not valid" is left alone: only words
   * of 20 characters or more, or of 8 or more with a digit, count as tokens.
   *
   * @param string[] $match
   *   The scheme and the word after it.
   *
   * @return string
   *   The match, with the word masked when it looks like a token.
   */
  private static function maskBearer(array $match): string {
    $word = $match[2];
    $token = strlen($word) >= 20 || (strlen($word) >= 8 && preg_match('/[0-9]/', $word));
    return $token ? $match[1] . ' ' . self::MASK : $match[0];
  }

  /**
   * Masks the credentials of one credential header value.
   *
   * @param string $name
   *   The header name in lower case.
   * @param string $value
   *   The header value.
   *
   * @return string
   *   The masked value.
   */
  private function maskCredentials(string $name, string $value): string {
    if (($name === 'authorization' || $name === 'proxy-authorization') && preg_match('/^([A-Za-z][A-Za-z0-9!#$%&\'*+\-.^_`|~]*)\s/', $value, $match)) {
      return $match[1] . ' ' . self::MASK;
    }
    return self::MASK;
  }

  /**
   * Cuts a text to the maximum length, marking the cut.
   *
   * @param string $text
   *   UTF-8 text.
   *
   * @return string
   *   The text, or its start followed by an ellipsis.
   */
  private function cut(string $text): string {
    if (mb_strlen($text) <= $this->maxLength) {
      return $text;
    }
    return mb_substr($text, 0, $this->maxLength - 1) . '…';
  }

}
