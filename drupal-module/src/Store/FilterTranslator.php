<?php

namespace Drupal\scim_provisioning\Store;

use Drupal\Core\Database\Connection;
use Drupal\Core\Database\Query\ConditionInterface;

/**
 * Turns a SCIM filter into database conditions over the resource table.
 *
 * The extension hands the store a filter (RFC 7644 section 3.4.2.2) as text;
 * \Scim\Filter::toArray() gives its tree. What the module's indexed columns
 * can answer becomes a condition on scim_provisioning_resource (alias "r"):
 * - id: the id column; externalId: the external_id column (both caseExact,
 *   "eq" only for externalId);
 * - userName (Users) and displayName (Groups): the lowercased name_lc
 *   column, for "eq", "sw", "co" and "ew" (caseExact false);
 * - emails.value, emails and emails[value ...]: the lowercased values in
 *   scim_provisioning_value;
 * - meta.created and meta.lastModified: the created and changed columns.
 * "and", "or" and "not" become condition groups; "not" is pushed down to the
 * comparisons (De Morgan), because SQL's NOT would drop resources where an
 * attribute is absent, which SCIM's "not" keeps.
 *
 * The conditions select a superset of the matches, never fewer: the
 * extension's evaluator judges every candidate afterwards. Whatever cannot
 * be said exactly enough on every database (a negated text comparison,
 * which case-insensitive collations of MySQL would get wrong; "pr"; ordering
 * of text; every other attribute) is left to it, as no condition.
 */
class FilterTranslator {

  /**
   * The table of indexed attribute values.
   */
  public const VALUES = 'scim_provisioning_value';

  /**
   * The longest value the index keeps; longer ones are cut and flagged.
   */
  public const MAX_VALUE_LENGTH = 255;

  /**
   * The core schema URN of each resource type.
   */
  protected const CORE_URNS = [
    'User' => 'urn:ietf:params:scim:schemas:core:2.0:User',
    'Group' => 'urn:ietf:params:scim:schemas:core:2.0:Group',
  ];

  /**
   * The database connection.
   *
   * @var \Drupal\Core\Database\Connection
   */
  protected Connection $database;

  /**
   * Constructs the translator.
   *
   * @param \Drupal\Core\Database\Connection $database
   *   The database connection the conditions are for.
   */
  public function __construct(Connection $database) {
    $this->database = $database;
  }

  /**
   * Translates a filter tree.
   *
   * @param string $type
   *   User or Group.
   * @param array $tree
   *   The filter, from \Scim\Filter::toArray().
   *
   * @return \Drupal\Core\Database\Query\ConditionInterface|null
   *   Conditions on the alias "r" that every match meets, or NULL when no
   *   part of the filter narrows the resources.
   */
  public function translate(string $type, array $tree): ?ConditionInterface {
    return $this->node($type, $tree, FALSE, NULL);
  }

  /**
   * Lists the values of a resource that the index keeps.
   *
   * @param string $type
   *   User or Group.
   * @param array $document
   *   The resource, as the extension would read it.
   *
   * @return array<string, string[]>
   *   By attribute, the distinct lowercased values: emails for a User.
   */
  public static function indexedValues(string $type, array $document): array {
    if ($type !== 'User') {
      return [];
    }
    $emails = [];
    foreach ((array) ($document['emails'] ?? []) as $email) {
      $value = is_array($email) ? ($email['value'] ?? NULL) : NULL;
      if (is_string($value)) {
        $emails[mb_strtolower($value)] = TRUE;
      }
    }
    return ['emails' => array_map('strval', array_keys($emails))];
  }

  /**
   * Translates one node of the tree.
   *
   * @param string $type
   *   User or Group.
   * @param array $node
   *   The node.
   * @param bool $negated
   *   Whether the node stands under an odd number of "not".
   * @param string|null $element
   *   Inside a value filter such as emails[value eq "x"]: the multi-valued
   *   attribute the node's paths are sub-attributes of.
   *
   * @return \Drupal\Core\Database\Query\ConditionInterface|null
   *   The conditions, or NULL for none.
   */
  protected function node(string $type, array $node, bool $negated, ?string $element): ?ConditionInterface {
    $op = strtolower((string) ($node['op'] ?? ''));
    switch ($op) {
      case 'not':
        return $this->node($type, (array) ($node['filter'] ?? []), !$negated, $element);

      case 'and':
      case 'or':
        $left = $this->node($type, (array) ($node['left'] ?? []), $negated, $element);
        $right = $this->node($type, (array) ($node['right'] ?? []), $negated, $element);
        // Under "not", "and" becomes "or" and the other way round.
        if (($op === 'and') !== $negated) {
          return self::both($this->database->condition('AND'), $left, $right);
        }
        if ($left === NULL || $right === NULL) {
          return NULL;
        }
        return $this->database->condition('OR')->condition($left)->condition($right);

      case '[]':
        $path = (array) ($node['path'] ?? []);
        $attribute = $this->attribute($type, $path, NULL);
        if ($negated || $element !== NULL || $attribute !== 'emails' || !empty($path['subAttr'])) {
          return NULL;
        }
        return $this->node($type, (array) ($node['filter'] ?? []), FALSE, 'emails');

      case 'eq':
      case 'co':
      case 'sw':
      case 'ew':
      case 'gt':
      case 'ge':
      case 'lt':
      case 'le':
        return $this->comparison($type, $op, (array) ($node['path'] ?? []), $node['value'] ?? NULL, $negated, $element);
    }
    // "pr", "ne" and anything unknown are left to the evaluator.
    return NULL;
  }

  /**
   * Translates a comparison.
   *
   * @param string $type
   *   User or Group.
   * @param string $op
   *   The operator: eq, co, sw, ew, gt, ge, lt or le.
   * @param array $path
   *   The attribute path.
   * @param mixed $value
   *   The value compared with.
   * @param bool $negated
   *   Whether the comparison stands under "not".
   * @param string|null $element
   *   The multi-valued attribute of an enclosing value filter, or NULL.
   *
   * @return \Drupal\Core\Database\Query\ConditionInterface|null
   *   The conditions, or NULL for none.
   */
  protected function comparison(string $type, string $op, array $path, $value, bool $negated, ?string $element): ?ConditionInterface {
    $attribute = $this->attribute($type, $path, $element);
    if ($attribute === 'meta.created' || $attribute === 'meta.lastModified') {
      return $this->instant($attribute === 'meta.created' ? 'r.created' : 'r.changed', $op, $value, $negated);
    }
    // Negated text comparisons stay with the evaluator: an accent- and
    // case-insensitive collation (MySQL's) would wrongly exclude resources.
    if ($attribute === NULL || $negated || !is_string($value) || !in_array($op, ['eq', 'co', 'sw', 'ew'], TRUE)) {
      return NULL;
    }
    switch ($attribute) {
      case 'id':
        return $this->text('r.id', $op, $value);

      case 'externalId':
        // Only values that fit the column are kept in it.
        if ($op !== 'eq' || mb_strlen($value) > ResourceTable::MAX_NAME_LENGTH) {
          return NULL;
        }
        return $this->database->condition('AND')->condition('r.external_id', $value);

      case 'name':
        if (mb_strlen($value) > ResourceTable::MAX_NAME_LENGTH) {
          return NULL;
        }
        return $this->text('r.name_lc', $op, mb_strtolower($value));

      case 'emails':
      case 'emails.value':
        return $this->indexed('emails', $op, mb_strtolower($value));
    }
    return NULL;
  }

  /**
   * Names the indexed attribute a path refers to.
   *
   * @param string $type
   *   User or Group.
   * @param array $path
   *   The path: uri, name, subAttr.
   * @param string|null $element
   *   The multi-valued attribute of an enclosing value filter, or NULL.
   *
   * @return string|null
   *   id, externalId, name (userName or displayName), emails,
   *   emails.value, meta.created or meta.lastModified; NULL for anything
   *   else.
   */
  protected function attribute(string $type, array $path, ?string $element): ?string {
    $uri = $path['uri'] ?? NULL;
    if ($uri !== NULL && strcasecmp((string) $uri, self::CORE_URNS[$type]) !== 0) {
      return NULL;
    }
    $name = strtolower((string) ($path['name'] ?? ''));
    $sub = strtolower((string) ($path['subAttr'] ?? ''));
    if ($element !== NULL) {
      return $name === 'value' && $sub === '' ? $element . '.value' : NULL;
    }
    if ($name === 'meta') {
      return ['created' => 'meta.created', 'lastmodified' => 'meta.lastModified'][$sub] ?? NULL;
    }
    if ($sub !== '' && !($type === 'User' && $name === 'emails' && $sub === 'value')) {
      return NULL;
    }
    if ($name === 'id' || $name === 'externalid') {
      return $name === 'id' ? 'id' : 'externalId';
    }
    if ($name === strtolower($type === 'User' ? 'userName' : 'displayName')) {
      return 'name';
    }
    if ($type === 'User' && $name === 'emails') {
      // A comparison with a multi-valued complex attribute compares its
      // "value" sub-attribute (RFC 7644 section 3.4.2.2).
      return $sub === '' ? 'emails' : 'emails.value';
    }
    return NULL;
  }

  /**
   * Compares a text column with a value.
   *
   * @param string $column
   *   The column, with its alias.
   * @param string $op
   *   The operator: eq, co, sw or ew.
   * @param string $value
   *   The value, lowercased already where the column is.
   *
   * @return \Drupal\Core\Database\Query\ConditionInterface
   *   The condition. LIKE may also match other case on some databases,
   *   which only widens the candidates.
   */
  protected function text(string $column, string $op, string $value): ConditionInterface {
    $condition = $this->database->condition('AND');
    if ($op === 'eq') {
      return $condition->condition($column, $value);
    }
    return $condition->condition($column, $this->pattern($op, $value), 'LIKE');
  }

  /**
   * Compares the indexed values of an attribute with a value.
   *
   * @param string $attribute
   *   The attribute in scim_provisioning_value: emails.
   * @param string $op
   *   The operator: eq, co, sw or ew.
   * @param string $value
   *   The lowercased value.
   *
   * @return \Drupal\Core\Database\Query\ConditionInterface|null
   *   A condition on r.id, or NULL when the value is too long to compare.
   */
  protected function indexed(string $attribute, string $op, string $value): ?ConditionInterface {
    if (mb_strlen($value) > self::MAX_VALUE_LENGTH) {
      return NULL;
    }
    $ids = $this->database->select(self::VALUES, 'v')
      ->fields('v', ['id'])
      ->condition('v.attribute', $attribute);
    if ($op === 'eq') {
      $ids->condition('v.value', $value);
    }
    elseif ($op === 'sw') {
      $ids->condition('v.value', $this->pattern($op, $value), 'LIKE');
    }
    else {
      // A value cut to fit the column may hold the text past the cut.
      $ids->condition($this->database->condition('OR')
        ->condition('v.value', $this->pattern($op, $value), 'LIKE')
        ->condition('v.truncated', 1));
    }
    return $this->database->condition('AND')->condition('r.id', $ids, 'IN');
  }

  /**
   * Compares a time column in milliseconds with a dateTime value.
   *
   * @param string $column
   *   The column: r.created or r.changed.
   * @param string $op
   *   The operator.
   * @param mixed $value
   *   The value: an xsd:dateTime text.
   * @param bool $negated
   *   Whether the comparison stands under "not".
   *
   * @return \Drupal\Core\Database\Query\ConditionInterface|null
   *   A range one millisecond wider on each side than the comparison, so
   *   that rounding of fractions never excludes a match; NULL for values
   *   that do not read as an instant with a time zone.
   */
  protected function instant(string $column, string $op, $value, bool $negated): ?ConditionInterface {
    if (!is_string($value) || !preg_match('/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i', $value)) {
      return NULL;
    }
    try {
      $instant = new \DateTimeImmutable($value);
    }
    catch (\Exception $e) {
      return NULL;
    }
    $millis = (float) $instant->format('U.u') * 1000;
    $low = (int) floor($millis) - 1;
    $high = (int) ceil($millis) + 1;
    if ($negated) {
      $op = ['gt' => 'le', 'ge' => 'lt', 'lt' => 'ge', 'le' => 'gt'][$op] ?? NULL;
    }
    $condition = $this->database->condition('AND');
    switch ($op) {
      case 'eq':
        return $condition->condition($column, [$low, $high], 'BETWEEN');

      case 'gt':
      case 'ge':
        return $condition->condition($column, $low, '>=');

      case 'lt':
      case 'le':
        return $condition->condition($column, $high, '<=');
    }
    return NULL;
  }

  /**
   * Builds the LIKE pattern of co, sw or ew.
   *
   * @param string $op
   *   The operator: co, sw or ew.
   * @param string $value
   *   The value.
   *
   * @return string
   *   The pattern, the value's wildcards escaped.
   */
  protected function pattern(string $op, string $value): string {
    $escaped = $this->database->escapeLike($value);
    return ($op === 'sw' ? '' : '%') . $escaped . ($op === 'ew' ? '' : '%');
  }

  /**
   * Joins two conditions with AND, either of which may be missing.
   *
   * @param \Drupal\Core\Database\Query\ConditionInterface $group
   *   An empty AND group.
   * @param \Drupal\Core\Database\Query\ConditionInterface|null $left
   *   A condition, or NULL for none.
   * @param \Drupal\Core\Database\Query\ConditionInterface|null $right
   *   A condition, or NULL for none.
   *
   * @return \Drupal\Core\Database\Query\ConditionInterface|null
   *   Both, one of them, or NULL.
   */
  protected static function both(ConditionInterface $group, ?ConditionInterface $left, ?ConditionInterface $right): ?ConditionInterface {
    if ($left === NULL || $right === NULL) {
      return $left ?? $right;
    }
    return $group->condition($left)->condition($right);
  }

}
