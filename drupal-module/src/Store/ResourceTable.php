<?php

namespace Drupal\scim_provisioning\Store;

use Drupal\Core\Database\Connection;
use Drupal\Core\Database\IntegrityConstraintViolationException;
use Drupal\Core\Database\Query\ConditionInterface;

/**
 * Reads and writes the module's tables of SCIM resources.
 *
 * The table scim_provisioning_resource keeps one row per provisioned User
 * and Group: the SCIM document as JSON, the lowercased userName or
 * displayName under a unique index, externalId, a version counter and the
 * times in milliseconds.
 * scim_provisioning_member keeps group memberships, and
 * scim_provisioning_value the values of multi-valued attributes that
 * filters look up (FilterTranslator::indexedValues() says which). This class
 * knows SQL and nothing of SCIM: the store decides what the rows mean.
 */
class ResourceTable {

  /**
   * The table of resources.
   */
  public const RESOURCES = 'scim_provisioning_resource';

  /**
   * The table of group memberships.
   */
  public const MEMBERS = 'scim_provisioning_member';

  /**
   * The longest userName or displayName the unique index takes.
   */
  public const MAX_NAME_LENGTH = 255;

  /**
   * The database connection.
   *
   * @var \Drupal\Core\Database\Connection
   */
  protected Connection $database;

  /**
   * Constructs the table gateway.
   *
   * @param \Drupal\Core\Database\Connection $database
   *   The database connection.
   */
  public function __construct(Connection $database) {
    $this->database = $database;
  }

  /**
   * Loads a live resource by its SCIM id.
   *
   * @param string $type
   *   User or Group.
   * @param string $id
   *   The SCIM id.
   *
   * @return object|null
   *   The row, or NULL when there is none (tombstones included).
   */
  public function load(string $type, string $id): ?object {
    $row = $this->database->select(self::RESOURCES, 'r')
      ->fields('r')
      ->condition('r.type', $type)
      ->condition('r.id', $id)
      ->condition('r.deleted', 0)
      ->execute()
      ->fetchObject();
    return $row ?: NULL;
  }

  /**
   * Loads a resource, live or tombstone, by its lowercased name.
   *
   * @param string $type
   *   User or Group.
   * @param string $name_lc
   *   The lowercased userName or displayName.
   *
   * @return object|null
   *   The row, or NULL.
   */
  public function loadByName(string $type, string $name_lc): ?object {
    $row = $this->database->select(self::RESOURCES, 'r')
      ->fields('r')
      ->condition('r.type', $type)
      ->condition('r.name_lc', $name_lc)
      ->execute()
      ->fetchObject();
    return $row ?: NULL;
  }

  /**
   * Loads the User row linked to an account, live or tombstone.
   *
   * @param int $uid
   *   The account's user ID.
   *
   * @return object|null
   *   The row, or NULL when the account is not linked.
   */
  public function loadByUid(int $uid): ?object {
    $row = $this->database->select(self::RESOURCES, 'r')
      ->fields('r')
      ->condition('r.type', 'User')
      ->condition('r.uid', $uid)
      ->execute()
      ->fetchObject();
    return $row ?: NULL;
  }

  /**
   * Inserts a resource.
   *
   * @param array $fields
   *   Column values: id, type, uid, name_lc, external_id, document, created,
   *   changed; version starts at 1. And "values": the indexed values, as
   *   setValues() takes them.
   *
   * @throws \Drupal\Core\Database\IntegrityConstraintViolationException
   *   When the name (or id) is taken.
   */
  public function insert(array $fields): void {
    $values = $fields['values'] ?? NULL;
    unset($fields['values']);
    $this->database->insert(self::RESOURCES)
      ->fields($fields + ['version' => 1, 'deleted' => 0])
      ->execute();
    if ($values !== NULL) {
      $this->setValues($fields['id'], $values);
    }
  }

  /**
   * Replaces the indexed values of a resource.
   *
   * @param string $id
   *   The SCIM id.
   * @param array<string, string[]> $values
   *   By attribute, its values, lowercased; values longer than the column
   *   are cut and flagged.
   */
  public function setValues(string $id, array $values): void {
    $this->database->delete(FilterTranslator::VALUES)
      ->condition('id', $id)
      ->execute();
    $rows = [];
    foreach ($values as $attribute => $list) {
      foreach ($list as $value) {
        $cut = mb_substr((string) $value, 0, FilterTranslator::MAX_VALUE_LENGTH);
        $rows[$attribute . "\0" . $cut] = [$id, (string) $attribute, $cut, (int) ($cut !== $value)];
      }
    }
    if ($rows) {
      $insert = $this->database->insert(FilterTranslator::VALUES)->fields(['id', 'attribute', 'value', 'truncated']);
      foreach ($rows as $row) {
        $insert->values($row);
      }
      $insert->execute();
    }
  }

  /**
   * Bumps the version of a live resource, if it is at the expected one.
   *
   * This is the compare-and-swap of replace(): one conditional UPDATE, so
   * that of two writers that read the same version only one succeeds. It
   * is also the first write of a transaction, which on SQLite takes the
   * write lock before anything is read.
   *
   * @param string $type
   *   User or Group.
   * @param string $id
   *   The SCIM id.
   * @param int|null $expected
   *   The version the caller read, or NULL for any.
   * @param int $now
   *   The time of the change, in milliseconds.
   *
   * @return bool
   *   TRUE when the row was claimed; FALSE when it does not exist or is at
   *   another version.
   */
  public function claim(string $type, string $id, ?int $expected, int $now): bool {
    $query = $this->database->update(self::RESOURCES)
      ->expression('version', 'version + 1')
      ->fields(['changed' => $now])
      ->condition('type', $type)
      ->condition('id', $id)
      ->condition('deleted', 0);
    if ($expected !== NULL) {
      $query->condition('version', $expected);
    }
    return $query->execute() > 0;
  }

  /**
   * Returns the version of a live resource.
   *
   * @param string $type
   *   User or Group.
   * @param string $id
   *   The SCIM id.
   *
   * @return int|null
   *   The version, or NULL when the resource does not exist.
   */
  public function version(string $type, string $id): ?int {
    $version = $this->database->select(self::RESOURCES, 'r')
      ->fields('r', ['version'])
      ->condition('r.type', $type)
      ->condition('r.id', $id)
      ->condition('r.deleted', 0)
      ->execute()
      ->fetchField();
    return $version === FALSE ? NULL : (int) $version;
  }

  /**
   * Updates columns of a resource, without touching its version.
   *
   * @param string $id
   *   The SCIM id.
   * @param array $fields
   *   Column values; a new id takes the indexed values along. And "values":
   *   the indexed values, as setValues() takes them.
   *
   * @throws \Drupal\Core\Database\IntegrityConstraintViolationException
   *   When the new name is taken.
   */
  public function update(string $id, array $fields): void {
    $values = $fields['values'] ?? NULL;
    unset($fields['values']);
    if ($fields) {
      $this->database->update(self::RESOURCES)
        ->fields($fields)
        ->condition('id', $id)
        ->execute();
    }
    if (isset($fields['id']) && $fields['id'] !== $id) {
      $this->database->update(FilterTranslator::VALUES)
        ->fields(['id' => $fields['id']])
        ->condition('id', $id)
        ->execute();
      $id = $fields['id'];
    }
    if ($values !== NULL) {
      $this->setValues($id, $values);
    }
  }

  /**
   * Bumps the versions of resources whose memberships changed.
   *
   * @param string[] $ids
   *   SCIM ids.
   * @param int $now
   *   The time of the change, in milliseconds.
   */
  public function touch(array $ids, int $now): void {
    if ($ids) {
      $this->database->update(self::RESOURCES)
        ->expression('version', 'version + 1')
        ->fields(['changed' => $now])
        ->condition('id', array_values(array_unique($ids)), 'IN')
        ->execute();
    }
  }

  /**
   * Deletes a resource and every membership it takes part in.
   *
   * @param string $id
   *   The SCIM id.
   */
  public function delete(string $id): void {
    $this->removeMemberships($id);
    $this->database->delete(FilterTranslator::VALUES)
      ->condition('id', $id)
      ->execute();
    $this->database->delete(self::RESOURCES)
      ->condition('id', $id)
      ->execute();
  }

  /**
   * Forgets the User of an account that no longer exists.
   *
   * @param int $uid
   *   The user ID of the deleted account.
   * @param int $now
   *   The time of the change, in milliseconds.
   */
  public function forget(int $uid, int $now): void {
    $row = $this->loadByUid($uid);
    if ($row !== NULL) {
      $this->touch($this->removeMemberships($row->id), $now);
      $this->delete($row->id);
    }
  }

  /**
   * Tells whether the tables exist; hooks may run before they are created.
   *
   * @return bool
   *   TRUE when they do.
   */
  public function exists(): bool {
    return $this->database->schema()->tableExists(self::RESOURCES);
  }

  /**
   * Removes a resource from every group, and a group's members.
   *
   * @param string $id
   *   The SCIM id of a User or Group.
   *
   * @return string[]
   *   The ids of the resources on the other side: groups it left, members it
   *   lost.
   */
  public function removeMemberships(string $id): array {
    $others = array_merge($this->groupIds($id), array_column($this->members($id), 'id'));
    $this->database->delete(self::MEMBERS)
      ->condition($this->database->condition('OR')
        ->condition('group_id', $id)
        ->condition('member_id', $id))
      ->execute();
    return array_values(array_unique($others));
  }

  /**
   * Lists a group's members.
   *
   * @param string $group_id
   *   The SCIM id of the group.
   *
   * @return array[]
   *   One array per member, ordered by membership: id, type, name_lc,
   *   document (JSON), uid.
   */
  public function members(string $group_id): array {
    $query = $this->database->select(self::MEMBERS, 'm');
    $query->innerJoin(self::RESOURCES, 'r', '[r].[id] = [m].[member_id]');
    return $query->fields('r', ['id', 'type', 'name_lc', 'document', 'uid'])
      ->condition('m.group_id', $group_id)
      ->condition('r.deleted', 0)
      ->orderBy('r.rid')
      ->execute()
      ->fetchAll(\PDO::FETCH_ASSOC);
  }

  /**
   * Lists the ids of the groups a resource belongs to.
   *
   * @param string $member_id
   *   The SCIM id of a User or Group.
   *
   * @return string[]
   *   Group ids.
   */
  public function groupIds(string $member_id): array {
    return $this->database->select(self::MEMBERS, 'm')
      ->fields('m', ['group_id'])
      ->condition('m.member_id', $member_id)
      ->execute()
      ->fetchCol();
  }

  /**
   * Lists the groups of several resources at once.
   *
   * @param string[] $member_ids
   *   SCIM ids.
   *
   * @return array<string, array[]>
   *   By member id, the groups it belongs to, each an array with id and
   *   document (JSON).
   */
  public function groupsOf(array $member_ids): array {
    $groups = array_fill_keys($member_ids, []);
    if (!$member_ids) {
      return $groups;
    }
    $query = $this->database->select(self::MEMBERS, 'm');
    $query->innerJoin(self::RESOURCES, 'r', '[r].[id] = [m].[group_id]');
    $rows = $query->fields('m', ['member_id'])
      ->fields('r', ['id', 'document'])
      ->condition('m.member_id', $member_ids, 'IN')
      ->orderBy('r.rid')
      ->execute();
    foreach ($rows as $row) {
      $groups[$row->member_id][] = ['id' => $row->id, 'document' => $row->document];
    }
    return $groups;
  }

  /**
   * Tells which of the given ids name live resources.
   *
   * @param string[] $ids
   *   SCIM ids.
   *
   * @return array<string, string>
   *   The ids that exist, to their type.
   */
  public function types(array $ids): array {
    if (!$ids) {
      return [];
    }
    return $this->database->select(self::RESOURCES, 'r')
      ->fields('r', ['id', 'type'])
      ->condition('r.id', array_values($ids), 'IN')
      ->condition('r.deleted', 0)
      ->execute()
      ->fetchAllKeyed();
  }

  /**
   * Makes a group's members exactly the given ids.
   *
   * @param string $group_id
   *   The SCIM id of the group.
   * @param string[] $member_ids
   *   The ids of its members; each must name a live resource.
   *
   * @return array
   *   - added: ids that joined.
   *   - removed: ids that left.
   */
  public function setMembers(string $group_id, array $member_ids): array {
    $current = $this->database->select(self::MEMBERS, 'm')
      ->fields('m', ['member_id'])
      ->condition('m.group_id', $group_id)
      ->execute()
      ->fetchCol();
    $added = array_values(array_diff($member_ids, $current));
    $removed = array_values(array_diff($current, $member_ids));
    if ($removed) {
      $this->database->delete(self::MEMBERS)
        ->condition('group_id', $group_id)
        ->condition('member_id', $removed, 'IN')
        ->execute();
    }
    if ($added) {
      $insert = $this->database->insert(self::MEMBERS)->fields(['group_id', 'member_id']);
      foreach ($added as $member_id) {
        $insert->values([$group_id, $member_id]);
      }
      $insert->execute();
    }
    return ['added' => $added, 'removed' => $removed];
  }

  /**
   * Counts the live resources of a type.
   *
   * @param string $type
   *   User or Group.
   *
   * @return int
   *   How many there are.
   */
  public function count(string $type): int {
    return (int) $this->database->select(self::RESOURCES, 'r')
      ->condition('r.type', $type)
      ->condition('r.deleted', 0)
      ->countQuery()
      ->execute()
      ->fetchField();
  }

  /**
   * Lists live resources of a type in creation order.
   *
   * @param string $type
   *   User or Group.
   * @param int $offset
   *   How many to skip.
   * @param int|null $limit
   *   The most to return, or NULL for all.
   * @param \Drupal\Core\Database\Query\ConditionInterface|null $condition
   *   Conditions on the alias "r" the rows must meet, or NULL for none.
   *
   * @return object[]
   *   The rows.
   */
  public function rows(string $type, int $offset = 0, ?int $limit = NULL, ?ConditionInterface $condition = NULL): array {
    $query = $this->database->select(self::RESOURCES, 'r')
      ->fields('r')
      ->condition('r.type', $type)
      ->condition('r.deleted', 0)
      ->orderBy('r.rid');
    if ($condition !== NULL) {
      $query->condition($condition);
    }
    if ($limit !== NULL || $offset > 0) {
      $query->range($offset, $limit ?? PHP_INT_MAX);
    }
    return $query->execute()->fetchAll();
  }

  /**
   * Tells whether an exception is a unique key violation.
   *
   * @param \Throwable $e
   *   The exception.
   *
   * @return bool
   *   TRUE for an integrity constraint violation.
   */
  public static function isDuplicate(\Throwable $e): bool {
    return $e instanceof IntegrityConstraintViolationException;
  }

}
