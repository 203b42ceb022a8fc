<?php

namespace Drupal\scim_provisioning\Store;

use Drupal\user\UserInterface;
use Scim\Mapping;

/**
 * Applies the configured mapping between SCIM Users and Drupal accounts.
 *
 * The extension's \Scim\Mapping says which account field each SCIM
 * attribute sets and how values convert; this class reads and writes those
 * fields on user entities, and lays an account's current field values over
 * a stored SCIM document, because Drupal is the truth for mapped fields.
 */
class AccountMapping {

  /**
   * The compiled mapping.
   *
   * @var \Scim\Mapping
   */
  protected Mapping $mapping;

  /**
   * The mapping rules, as configured.
   *
   * @var array[]
   */
  protected array $rules;

  /**
   * Constructs the mapping from its configuration.
   *
   * @param array $config
   *   The "mapping" setting: rules, sync_password, role_map, allowed_roles.
   *
   * @throws \Scim\Exception
   *   When the configuration does not compile.
   */
  public function __construct(array $config) {
    $this->mapping = new Mapping($config);
    $this->rules = array_values(array_filter((array) ($config['rules'] ?? []), 'is_array'));
  }

  /**
   * Returns the compiled mapping.
   *
   * @return \Scim\Mapping
   *   The extension's mapping.
   */
  public function mapping(): Mapping {
    return $this->mapping;
  }

  /**
   * Returns the account fields a SCIM User sets.
   *
   * @param array $resource
   *   A canonical SCIM User.
   *
   * @return array
   *   Field machine names to values.
   */
  public function toAccount(array $resource): array {
    return $this->mapping->toAccount($resource);
  }

  /**
   * Returns the field changes between two versions of a SCIM User.
   *
   * @param array $before
   *   The User as it was.
   * @param array $after
   *   The User as it will be.
   *
   * @return array
   *   Fields to values; NULL empties a field.
   */
  public function changes(array $before, array $after): array {
    return $this->mapping->changes($before, $after);
  }

  /**
   * Reads the mapped fields of an account.
   *
   * @param \Drupal\user\UserInterface $account
   *   The account.
   *
   * @return array
   *   Field machine names to scalar values; NULL for empty fields. Write-only
   *   fields (the password) are left out.
   */
  public function readAccount(UserInterface $account): array {
    $fields = [];
    foreach ($this->rules as $rule) {
      $field = $rule['field'] ?? '';
      if (!is_string($field) || $field === 'pass' || isset($fields[$field]) || !$account->hasField($field)) {
        continue;
      }
      $items = $account->get($field);
      $property = $items->getFieldDefinition()->getFieldStorageDefinition()->getMainPropertyName();
      $value = $items->isEmpty() || $property === NULL ? NULL : $items->first()->get($property)->getValue();
      $fields[$field] = is_scalar($value) ? $value : NULL;
    }
    return $fields;
  }

  /**
   * Writes field values to an account.
   *
   * The password and the status are not written here: the store applies
   * them under the password and deprovisioning policies.
   *
   * @param \Drupal\user\UserInterface $account
   *   The account.
   * @param array $fields
   *   Field machine names to values; NULL empties a field.
   *
   * @return string[]
   *   The fields that the account does not have and were skipped.
   */
  public function writeAccount(UserInterface $account, array $fields): array {
    $skipped = [];
    foreach ($fields as $field => $value) {
      if ($field === 'pass' || $field === 'status') {
        continue;
      }
      if (!$account->hasField($field)) {
        $skipped[] = $field;
        continue;
      }
      $account->set($field, $value);
    }
    return $skipped;
  }

  /**
   * Returns the roles to grant and revoke for an account's groups.
   *
   * @param array[] $groups
   *   The account's groups, each with id and displayName.
   * @param string[] $current
   *   The roles the account holds.
   *
   * @return array
   *   - add: roles to grant.
   *   - remove: roles to revoke.
   */
  public function roleChanges(array $groups, array $current): array {
    return $this->mapping->roleChanges($groups, array_values($current));
  }

  /**
   * Lays an account's field values over a stored SCIM User.
   *
   * Where the document already gives a field its value, nothing changes.
   * Where the account differs (an administrator edited it in Drupal), the
   * attribute the rule maps is set or removed so that the document gives
   * the account's value. An attribute whose rule keeps the field when the
   * attribute is absent (active, by default) stays absent: SCIM said
   * nothing about the field, and the field disagrees with nothing.
   *
   * @param array $document
   *   The stored SCIM User.
   * @param array $fields
   *   The account's mapped fields, from readAccount().
   *
   * @return array
   *   The document as the account shows it.
   *
   * @todo Use \Scim\Mapping::overlay() once the extension offers it
   *   (issue #4); until then the attribute to change is found by asking
   *   toAccount() which element of a multi-valued attribute gives the field.
   */
  public function overlay(array $document, array $fields): array {
    if (method_exists($this->mapping, 'overlay')) {
      return $this->mapping->overlay($document, $fields);
    }
    $given = $this->toAccount($document);
    foreach ($this->rules as $rule) {
      $field = $rule['field'] ?? NULL;
      if (!is_string($field) || !array_key_exists($field, $fields)) {
        continue;
      }
      $value = $fields[$field];
      $silent = self::isEmpty($given[$field] ?? NULL) && ($rule['absent'] ?? 'clear') === 'keep';
      if ($silent || self::same($given[$field] ?? NULL, $value)) {
        continue;
      }
      $path = self::parsePath((string) ($rule['scim'] ?? ''));
      if ($path === NULL) {
        continue;
      }
      $document = self::isEmpty($value)
        ? $this->removeValue($document, $path, $field)
        : $this->placeValue($document, $path, $field, $value);
      $given = $this->toAccount($document);
    }
    return $document;
  }

  /**
   * Sets the attribute a rule maps so that it gives a field value.
   *
   * @param array $document
   *   The SCIM User.
   * @param array $path
   *   The rule's path: urn, attribute, sub-attribute.
   * @param string $field
   *   The field.
   * @param mixed $value
   *   The field value, not empty.
   *
   * @return array
   *   The document.
   */
  protected function placeValue(array $document, array $path, string $field, $value): array {
    [$urn, $attribute, $sub] = $path;
    $rendered = $this->mapping->fromAccount([$field => $value], 'x');
    $rendered = $urn === NULL ? $rendered : ($rendered[$urn] ?? []);
    if (!array_key_exists($attribute, $rendered)) {
      return $document;
    }
    $new = $rendered[$attribute];
    $container = $urn === NULL ? $document : (array) ($document[$urn] ?? []);
    $current = $container[$attribute] ?? NULL;

    if (is_array($new) && array_is_list($new)) {
      $element = $new[0] ?? [];
      $list = is_array($current) && array_is_list($current) ? $current : [];
      foreach ($list as $i => $item) {
        if (!is_array($item) || $sub === NULL) {
          continue;
        }
        $item[$sub] = $element[$sub] ?? $value;
        $candidate = self::put($document, $urn, $attribute, array_replace($list, [$i => $item]));
        if (self::same($this->toAccount($candidate)[$field] ?? NULL, $value)) {
          return $candidate;
        }
      }
      $list[] = $element;
      return self::put($document, $urn, $attribute, $list);
    }
    if ($sub !== NULL && is_array($new)) {
      $object = is_array($current) ? $current : [];
      $object[$sub] = $new[$sub] ?? $value;
      return self::put($document, $urn, $attribute, $object);
    }
    return self::put($document, $urn, $attribute, $new);
  }

  /**
   * Removes the attribute a rule maps so that it gives no field value.
   *
   * @param array $document
   *   The SCIM User.
   * @param array $path
   *   The rule's path: urn, attribute, sub-attribute.
   * @param string $field
   *   The field.
   *
   * @return array
   *   The document.
   */
  protected function removeValue(array $document, array $path, string $field): array {
    [$urn, $attribute, $sub] = $path;
    $container = $urn === NULL ? $document : (array) ($document[$urn] ?? []);
    $current = $container[$attribute] ?? NULL;
    if (is_array($current) && array_is_list($current)) {
      foreach ($current as $i => $item) {
        $list = $current;
        if ($sub === NULL || $sub === 'value' || !is_array($item)) {
          unset($list[$i]);
        }
        else {
          unset($list[$i][$sub]);
        }
        $candidate = self::put($document, $urn, $attribute, array_values($list));
        if (self::isEmpty($this->toAccount($candidate)[$field] ?? NULL)) {
          return $candidate;
        }
      }
      return $document;
    }
    if ($sub !== NULL && is_array($current)) {
      unset($current[$sub]);
      return self::put($document, $urn, $attribute, $current ?: NULL);
    }
    return self::put($document, $urn, $attribute, NULL);
  }

  /**
   * Sets or removes an attribute of a document.
   *
   * @param array $document
   *   The SCIM User.
   * @param string|null $urn
   *   The extension URN the attribute lives under, or NULL.
   * @param string $attribute
   *   The attribute name.
   * @param mixed $value
   *   The value; NULL or [] removes the attribute.
   *
   * @return array
   *   The document.
   */
  protected static function put(array $document, ?string $urn, string $attribute, $value): array {
    $remove = $value === NULL || $value === [];
    if ($urn === NULL) {
      if ($remove) {
        unset($document[$attribute]);
      }
      else {
        $document[$attribute] = $value;
      }
      return $document;
    }
    $container = (array) ($document[$urn] ?? []);
    if ($remove) {
      unset($container[$attribute]);
    }
    else {
      $container[$attribute] = $value;
    }
    $schemas = (array) ($document['schemas'] ?? []);
    if ($container) {
      $document[$urn] = $container;
      if (!in_array($urn, $schemas, TRUE)) {
        $schemas[] = $urn;
      }
    }
    else {
      unset($document[$urn]);
      $schemas = array_values(array_diff($schemas, [$urn]));
    }
    $document['schemas'] = $schemas;
    return $document;
  }

  /**
   * Splits a rule's SCIM path into where its value lives.
   *
   * @param string $path
   *   A rule path such as "emails[type eq \"work\"].value", "name.givenName"
   *   or an extension attribute's path, "urn:...:enterprise:2.0:User:division".
   *
   * @return array|null
   *   The extension URN or NULL, the attribute and the sub-attribute or
   *   NULL; NULL when the path cannot be read.
   */
  protected static function parsePath(string $path): ?array {
    $open = strpos($path, '[');
    if ($open !== FALSE) {
      $close = strrpos($path, ']');
      if ($close === FALSE || $close < $open) {
        return NULL;
      }
      $path = substr($path, 0, $open) . substr($path, $close + 1);
    }
    if (!preg_match('/^(?:(.+):)?([A-Za-z$][\w$-]*)(?:\.([A-Za-z$][\w$-]*))?$/', $path, $parts)) {
      return NULL;
    }
    $urn = $parts[1] === '' ? NULL : $parts[1];
    if ($urn !== NULL && strcasecmp($urn, 'urn:ietf:params:scim:schemas:core:2.0:User') === 0) {
      $urn = NULL;
    }
    return [$urn, $parts[2], ($parts[3] ?? '') === '' ? NULL : $parts[3]];
  }

  /**
   * Tells whether two field values are the same, as Drupal stores them.
   *
   * @param mixed $a
   *   A value.
   * @param mixed $b
   *   Another value.
   *
   * @return bool
   *   TRUE when both are empty or both print the same.
   */
  public static function same($a, $b): bool {
    if (self::isEmpty($a) || self::isEmpty($b)) {
      return self::isEmpty($a) && self::isEmpty($b);
    }
    $a = is_bool($a) ? (int) $a : $a;
    $b = is_bool($b) ? (int) $b : $b;
    return (string) $a === (string) $b;
  }

  /**
   * Tells whether a field value is empty.
   *
   * @param mixed $value
   *   The value.
   *
   * @return bool
   *   TRUE for NULL and ''.
   */
  protected static function isEmpty($value): bool {
    return $value === NULL || $value === '';
  }

}
