<?php

namespace Drupal\scim_provisioning;

use Drupal\Component\Datetime\TimeInterface;
use Drupal\Core\Database\Connection;
use Drupal\Core\Site\Settings;
use Drupal\scim_provisioning\Token\BearerToken;

/**
 * Stores SCIM bearer tokens as digests and recognises them on requests.
 *
 * Tokens come from two places: the module's table, where the admin form
 * generates and revokes them, and $settings['scim_provisioning_tokens'] in
 * settings.php, an array of labels to SHA-256 digests in hexadecimal, for
 * sites that deploy their secrets with code. Neither place holds a token in
 * the clear, and neither is exported with configuration.
 */
class ScimTokenRepository {

  /**
   * The table tokens are stored in.
   */
  public const TABLE = 'scim_provisioning_token';

  /**
   * The settings.php key that lists further tokens.
   */
  public const SETTINGS_KEY = 'scim_provisioning_tokens';

  /**
   * How many seconds may pass before a token's last use is written again.
   *
   * Identity providers send requests in bursts and in parallel; writing the
   * time of every one would serialise them on one row for no gain.
   */
  public const LAST_USED_GRANULARITY = 60;

  /**
   * The longest label a token may have.
   */
  public const MAX_LABEL_LENGTH = 128;

  /**
   * The database connection.
   *
   * @var \Drupal\Core\Database\Connection
   */
  protected Connection $database;

  /**
   * The time service.
   *
   * @var \Drupal\Component\Datetime\TimeInterface
   */
  protected TimeInterface $time;

  /**
   * The site settings.
   *
   * @var \Drupal\Core\Site\Settings
   */
  protected Settings $settings;

  /**
   * Constructs a token repository.
   *
   * @param \Drupal\Core\Database\Connection $database
   *   The database connection.
   * @param \Drupal\Component\Datetime\TimeInterface $time
   *   The time service.
   * @param \Drupal\Core\Site\Settings $settings
   *   The site settings.
   */
  public function __construct(Connection $database, TimeInterface $time, Settings $settings) {
    $this->database = $database;
    $this->time = $time;
    $this->settings = $settings;
  }

  /**
   * Generates a token and stores its digest.
   *
   * @param string $label
   *   Who will hold the token, for example "miniOrange"; unique.
   *
   * @return string
   *   The token. It is not stored and cannot be shown again.
   *
   * @throws \InvalidArgumentException
   *   When the label is empty, too long or already taken.
   */
  public function generate(string $label): string {
    $label = trim($label);
    if ($label === '') {
      throw new \InvalidArgumentException('the token label is empty');
    }
    if (mb_strlen($label) > self::MAX_LABEL_LENGTH) {
      throw new \InvalidArgumentException(sprintf('the token label is longer than %d characters', self::MAX_LABEL_LENGTH));
    }
    foreach ($this->listTokens() as $token) {
      if (mb_strtolower($token['label']) === mb_strtolower($label)) {
        throw new \InvalidArgumentException(sprintf('a token labelled "%s" already exists', $token['label']));
      }
    }

    $token = BearerToken::generate();
    $this->database->insert(self::TABLE)
      ->fields([
        'label' => $label,
        'digest' => BearerToken::digest($token),
        'created' => $this->time->getRequestTime(),
        'last_used' => 0,
      ])
      ->execute();
    return $token;
  }

  /**
   * Revokes a token stored in the table.
   *
   * Tokens from settings.php are revoked by removing them there.
   *
   * @param int $id
   *   The token's id.
   *
   * @return bool
   *   TRUE when a token was revoked.
   */
  public function revoke(int $id): bool {
    return $this->database->delete(self::TABLE)
      ->condition('id', $id)
      ->execute() > 0;
  }

  /**
   * Lists every token that is accepted, without digests.
   *
   * @return array[]
   *   Tokens from the table, oldest first, then tokens from settings.php.
   *   Each is an array with:
   *   - id: the table id, or NULL for a token from settings.php.
   *   - label: who holds the token.
   *   - created: Unix timestamp, or NULL for a token from settings.php.
   *   - last_used: Unix timestamp, 0 for never, NULL when not tracked
   *     (tokens from settings.php).
   *   - source: "database" or "settings".
   */
  public function listTokens(): array {
    $tokens = [];
    $rows = $this->database->select(self::TABLE, 't')
      ->fields('t', ['id', 'label', 'created', 'last_used'])
      ->orderBy('id')
      ->execute();
    foreach ($rows as $row) {
      $tokens[] = [
        'id' => (int) $row->id,
        'label' => $row->label,
        'created' => (int) $row->created,
        'last_used' => (int) $row->last_used,
        'source' => 'database',
      ];
    }
    foreach (array_keys($this->settingsDigests()) as $label) {
      $tokens[] = [
        'id' => NULL,
        'label' => (string) $label,
        'created' => NULL,
        'last_used' => NULL,
        'source' => 'settings',
      ];
    }
    return $tokens;
  }

  /**
   * Finds the token a client presented and records its use.
   *
   * @param string $token
   *   The token from the Authorization header.
   *
   * @return string|null
   *   The label of the matching token, or NULL when no token matches.
   */
  public function verify(string $token): ?string {
    $rows = $this->database->select(self::TABLE, 't')
      ->fields('t', ['id', 'label', 'digest', 'last_used'])
      ->execute()
      ->fetchAllAssoc('id');
    $digests = [];
    foreach ($rows as $id => $row) {
      $digests[$id] = $row->digest;
    }
    $id = BearerToken::match($token, $digests);
    if ($id !== NULL) {
      $row = $rows[$id];
      $now = $this->time->getRequestTime();
      if ($now - (int) $row->last_used >= self::LAST_USED_GRANULARITY) {
        $this->database->update(self::TABLE)
          ->fields(['last_used' => $now])
          ->condition('id', $id)
          ->execute();
      }
      return $row->label;
    }

    $label = BearerToken::match($token, $this->settingsDigests());
    return $label === NULL ? NULL : (string) $label;
  }

  /**
   * Returns the digest of every accepted token, by label.
   *
   * The scim extension checks the bearer token again against these, so the
   * label it reports is the one this repository matched.
   *
   * @return array<string, string>
   *   Labels to lowercase hexadecimal SHA-256 digests: the table's tokens,
   *   then those of settings.php under labels the table does not use.
   */
  public function digests(): array {
    $digests = $this->database->select(self::TABLE, 't')
      ->fields('t', ['label', 'digest'])
      ->orderBy('id')
      ->execute()
      ->fetchAllKeyed();
    return $digests + $this->settingsDigests();
  }

  /**
   * Lists settings.php entries that are ignored because they are malformed.
   *
   * @return string[]
   *   The labels of entries whose value is not a SHA-256 hexadecimal digest.
   */
  public function invalidSettingsTokens(): array {
    $invalid = [];
    foreach ($this->rawSettingsTokens() as $label => $digest) {
      if (!is_string($digest) || !BearerToken::isDigest(strtolower($digest))) {
        $invalid[] = (string) $label;
      }
    }
    return $invalid;
  }

  /**
   * Reads the well-formed tokens of settings.php.
   *
   * @return array<string, string>
   *   Labels to lowercase hexadecimal digests.
   */
  protected function settingsDigests(): array {
    $digests = [];
    foreach ($this->rawSettingsTokens() as $label => $digest) {
      if (is_string($digest) && BearerToken::isDigest(strtolower($digest))) {
        $digests[(string) $label] = strtolower($digest);
      }
    }
    return $digests;
  }

  /**
   * Reads $settings['scim_provisioning_tokens'] as it is.
   *
   * @return array
   *   The setting, or an empty array when it is missing or not an array.
   */
  protected function rawSettingsTokens(): array {
    $tokens = $this->settings->get(self::SETTINGS_KEY, []);
    return is_array($tokens) ? $tokens : [];
  }

}
