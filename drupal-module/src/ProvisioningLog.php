<?php

namespace Drupal\scim_provisioning;

use Drupal\Component\Datetime\TimeInterface;
use Drupal\Core\Database\Connection;
use Drupal\Core\Database\Query\SelectInterface;
use Drupal\scim_provisioning\Log\LogRedactor;

/**
 * Writes, reads and prunes the provisioning log.
 *
 * Every SCIM request leaves one entry: which token, what was asked, the
 * status and what happened. Details pass through the redactor, so no token
 * or password is ever written.
 */
class ProvisioningLog {

  /**
   * The table entries are stored in.
   */
  public const TABLE = 'scim_provisioning_log';

  /**
   * The longest text each column takes, in characters.
   */
  protected const LENGTHS = [
    'token' => 128,
    'method' => 16,
    'path' => 255,
    'resource_type' => 64,
    'resource_id' => 128,
    'operation' => 32,
  ];

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
   * The redactor details pass through.
   *
   * @var \Drupal\scim_provisioning\Log\LogRedactor
   */
  protected LogRedactor $redactor;

  /**
   * Constructs the provisioning log.
   *
   * @param \Drupal\Core\Database\Connection $database
   *   The database connection.
   * @param \Drupal\Component\Datetime\TimeInterface $time
   *   The time service.
   */
  public function __construct(Connection $database, TimeInterface $time) {
    $this->database = $database;
    $this->time = $time;
    $this->redactor = new LogRedactor();
  }

  /**
   * Writes an entry.
   *
   * @param array $entry
   *   The entry, with any of these keys:
   *   - token: the label of the token used, or '' when none was valid.
   *   - method: the HTTP method.
   *   - path: the request path with its query string.
   *   - resource_type: the SCIM resource type, such as "User".
   *   - resource_id: the SCIM resource id.
   *   - status: the HTTP status of the response.
   *   - operation: what the request did, such as "create" or "takeover".
   *   - detail: what happened or went wrong; redacted before it is written.
   *
   * @return int
   *   The id of the new entry.
   */
  public function record(array $entry): int {
    $fields = ['created' => $this->time->getRequestTime()];
    foreach (self::LENGTHS as $key => $length) {
      $fields[$key] = mb_substr((string) ($entry[$key] ?? ''), 0, $length);
    }
    $fields['path'] = $this->redactor->redactText($fields['path']);
    $fields['status'] = (int) ($entry['status'] ?? 0);
    $fields['detail'] = $this->redactor->redactText((string) ($entry['detail'] ?? ''));
    return (int) $this->database->insert(self::TABLE)->fields($fields)->execute();
  }

  /**
   * Reads entries, newest first.
   *
   * @param array $filters
   *   Any of:
   *   - outcome: "success" (status below 400) or "failure" (400 and above).
   *   - token: a token label; '' for requests without a valid token.
   * @param int $limit
   *   The most entries to return.
   * @param int $offset
   *   How many entries to skip.
   *
   * @return object[]
   *   Entries as objects with the table's columns.
   */
  public function entries(array $filters = [], int $limit = 50, int $offset = 0): array {
    $query = $this->filtered($filters)
      ->fields('l')
      ->orderBy('lid', 'DESC')
      ->range($offset, $limit);
    return $query->execute()->fetchAll();
  }

  /**
   * Counts entries.
   *
   * @param array $filters
   *   As for entries().
   *
   * @return int
   *   How many entries match.
   */
  public function count(array $filters = []): int {
    return (int) $this->filtered($filters)->countQuery()->execute()->fetchField();
  }

  /**
   * Lists the token labels that appear in the log.
   *
   * @return string[]
   *   The labels, sorted; '' stands for requests without a valid token.
   */
  public function tokenLabels(): array {
    return $this->database->select(self::TABLE, 'l')
      ->fields('l', ['token'])
      ->distinct()
      ->orderBy('token')
      ->execute()
      ->fetchCol();
  }

  /**
   * Deletes entries older than the retention time.
   *
   * @param int $days
   *   How many days entries are kept.
   *
   * @return int
   *   How many entries were deleted.
   */
  public function prune(int $days): int {
    $cutoff = $this->time->getRequestTime() - max(1, $days) * 86400;
    return (int) $this->database->delete(self::TABLE)
      ->condition('created', $cutoff, '<')
      ->execute();
  }

  /**
   * Builds a query on the log with filters applied.
   *
   * @param array $filters
   *   As for entries().
   *
   * @return \Drupal\Core\Database\Query\SelectInterface
   *   The query, without fields.
   */
  protected function filtered(array $filters): SelectInterface {
    $query = $this->database->select(self::TABLE, 'l');
    $outcome = $filters['outcome'] ?? '';
    if ($outcome === 'success') {
      $query->condition('l.status', 400, '<');
    }
    elseif ($outcome === 'failure') {
      $query->condition('l.status', 400, '>=');
    }
    if (isset($filters['token']) && is_string($filters['token'])) {
      $query->condition('l.token', $filters['token']);
    }
    return $query;
  }

}
