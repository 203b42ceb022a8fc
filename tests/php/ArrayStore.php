<?php

declare(strict_types=1);

namespace Scim\Tests;

/**
 * A Scim\Store kept in PHP arrays, as small as the contract allows.
 *
 * It stamps ids ("user-1", "group-2") and meta, counts versions, keeps
 * userName and displayName unique without regard to case, checks that group
 * members exist, and computes User "groups" from the groups' members. It
 * never filters: query() answers every resource of the type with
 * exact=FALSE, so the extension filters, sorts and pages. Every call is
 * recorded in $calls for the tests to inspect.
 */
class ArrayStore implements \Scim\Store {

  /**
   * Rows by type and id: resource (without members and groups), member ids
   * (Groups) and version.
   *
   * @var array<string, array<string, array{resource: array, members: string[], version: int}>>
   */
  protected array $rows = ['User' => [], 'Group' => []];

  /**
   * Every call, as the method name followed by its arguments.
   *
   * @var list<array>
   */
  public array $calls = [];

  /**
   * The number in the last id handed out.
   */
  private int $lastId = 0;

  /**
   * {@inheritdoc}
   */
  public function get(string $type, string $id): array {
    $this->calls[] = ['get', $type, $id];
    $this->row($type, $id);
    return $this->render($type, $id);
  }

  /**
   * {@inheritdoc}
   */
  public function create(string $type, array $resource): array {
    $this->calls[] = ['create', $type, $resource];
    $this->checkUnique($type, $resource, NULL);
    $members = $this->memberIds($type, $resource);
    $id = strtolower($type) . '-' . ++$this->lastId;
    $now = gmdate('Y-m-d\TH:i:s\Z');
    unset($resource['groups'], $resource['members']);
    $resource['id'] = $id;
    $resource['meta'] = ['resourceType' => $type, 'created' => $now, 'lastModified' => $now];
    $this->rows[$type][$id] = ['resource' => $resource, 'members' => [], 'version' => 1];
    $this->setMembers($type, $id, $members);
    return $this->render($type, $id);
  }

  /**
   * {@inheritdoc}
   */
  public function replace(string $type, string $id, array $resource, ?int $expectedVersion): array {
    $this->calls[] = ['replace', $type, $id, $expectedVersion];
    $row = $this->row($type, $id);
    $this->checkVersion($type, $id, $row['version'], $expectedVersion);
    $this->checkUnique($type, $resource, $id);
    $members = $this->memberIds($type, $resource);
    unset($resource['groups'], $resource['members']);
    $resource['id'] = $id;
    $resource['meta'] = ['lastModified' => gmdate('Y-m-d\TH:i:s\Z')] + $row['resource']['meta'];
    $this->rows[$type][$id]['resource'] = $resource;
    $this->rows[$type][$id]['version']++;
    $this->setMembers($type, $id, $members);
    return $this->render($type, $id);
  }

  /**
   * {@inheritdoc}
   */
  public function delete(string $type, string $id, ?int $expectedVersion): void {
    $this->calls[] = ['delete', $type, $id, $expectedVersion];
    $row = $this->row($type, $id);
    $this->checkVersion($type, $id, $row['version'], $expectedVersion);
    $this->setMembers($type, $id, []);
    unset($this->rows[$type][$id]);
    foreach ($this->rows['Group'] as $groupId => $group) {
      if (in_array($id, $group['members'], TRUE)) {
        $this->rows['Group'][$groupId]['members'] = array_values(array_diff($group['members'], [$id]));
        $this->rows['Group'][$groupId]['version']++;
      }
    }
  }

  /**
   * {@inheritdoc}
   */
  public function query(string $type, array $query): array {
    $this->calls[] = ['query', $type, $query];
    $resources = [];
    foreach (array_keys($this->rows[$type]) as $id) {
      $resources[] = $this->render($type, (string) $id);
    }
    return ['total' => count($resources), 'resources' => $resources, 'exact' => FALSE];
  }

  /**
   * The names of the methods called so far, in order.
   */
  public function methods(): array {
    return array_column($this->calls, 0);
  }

  /**
   * The row of resource $id.
   *
   * @throws \Scim\NotFoundException
   */
  protected function row(string $type, string $id): array {
    if (!isset($this->rows[$type][$id])) {
      throw new \Scim\NotFoundException("$type \"$id\" not found");
    }
    return $this->rows[$type][$id];
  }

  /**
   * The resource $id as the store answers it, with its memberships.
   */
  protected function render(string $type, string $id): array {
    $row = $this->rows[$type][$id];
    $resource = $row['resource'];
    if ($type === 'Group' && $row['members']) {
      $resource['members'] = array_map(fn(string $member) => $this->reference($member, NULL), $row['members']);
    }
    if ($type === 'User') {
      $groups = [];
      foreach ($this->rows['Group'] as $groupId => $group) {
        if (in_array($id, $group['members'], TRUE)) {
          $groups[] = $this->reference((string) $groupId, 'direct');
        }
      }
      if ($groups) {
        $resource['groups'] = $groups;
      }
    }
    return ['resource' => $resource, 'version' => $row['version']];
  }

  /**
   * A member or group reference: value, display, type.
   */
  private function reference(string $id, ?string $type): array {
    $memberType = isset($this->rows['User'][$id]) ? 'User' : 'Group';
    $resource = $this->rows[$memberType][$id]['resource'];
    return [
      'value' => $id,
      'display' => $resource['displayName'] ?? $resource['userName'] ?? $id,
      'type' => $type ?? $memberType,
    ];
  }

  /**
   * Throws when the stored version is not the expected one.
   *
   * @throws \Scim\PreconditionFailedException
   */
  protected function checkVersion(string $type, string $id, int $version, ?int $expected): void {
    if ($expected !== NULL && $expected !== $version) {
      throw new \Scim\PreconditionFailedException("$type \"$id\" is at version $version, not $expected");
    }
  }

  /**
   * Throws when another resource of $type has the unique value of $resource.
   *
   * @throws \Scim\UniquenessException
   */
  private function checkUnique(string $type, array $resource, ?string $self): void {
    $attribute = $type === 'User' ? 'userName' : 'displayName';
    $value = (string) ($resource[$attribute] ?? '');
    foreach ($this->rows[$type] as $id => $row) {
      $other = (string) ($row['resource'][$attribute] ?? '');
      if ((string) $id !== $self && mb_strtolower($other) === mb_strtolower($value)) {
        throw new \Scim\UniquenessException("$attribute \"$value\" is already in use");
      }
    }
  }

  /**
   * The member ids of a Group resource, each checked to exist.
   *
   * @throws \Scim\InvalidValueException
   */
  private function memberIds(string $type, array $resource): array {
    if ($type !== 'Group') {
      return [];
    }
    $ids = [];
    foreach ($resource['members'] ?? [] as $member) {
      $id = (string) $member['value'];
      if (!isset($this->rows['User'][$id]) && !isset($this->rows['Group'][$id])) {
        throw new \Scim\InvalidValueException("members: no User or Group has id \"$id\"");
      }
      $ids[$id] = $id;
    }
    return array_values($ids);
  }

  /**
   * Sets the members of group $id, moving the version of every member
   * that joins or leaves.
   */
  private function setMembers(string $type, string $id, array $members): void {
    if ($type !== 'Group') {
      return;
    }
    $before = $this->rows['Group'][$id]['members'];
    foreach (array_merge(array_diff($before, $members), array_diff($members, $before)) as $member) {
      $memberType = isset($this->rows['User'][$member]) ? 'User' : 'Group';
      $this->rows[$memberType][$member]['version']++;
    }
    $this->rows['Group'][$id]['members'] = $members;
  }

}
