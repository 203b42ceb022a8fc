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
   * Returns the account fields a read lays over a stored SCIM User.
   *
   * A rule that keeps its field when the attribute is absent leaves the
   * field's value to Drupal once SCIM removed the attribute (a PATCH
   * "remove" of active keeps the account's status): the field is then the
   * account's own, and the User is read without the attribute, as RFC 7644
   * section 3.5.2.2 wants after a removal. A change made in Drupal still
   * reaches the document when the account is saved.
   *
   * @param array $document
   *   The stored SCIM User.
   * @param array $fields
   *   The account's mapped fields, from readAccount().
   *
   * @return array
   *   The fields to lay over the document.
   */
  public function shownFields(array $document, array $fields): array {
    $kept = [];
    foreach ($this->rules as $rule) {
      if (($rule['absent'] ?? '') === 'keep' && is_string($rule['field'] ?? NULL) && array_key_exists($rule['field'], $fields)) {
        $kept[$rule['field']] = TRUE;
      }
    }
    if (!$kept) {
      return $fields;
    }
    $implied = $this->mapping->toAccount($document);
    foreach (array_keys($kept) as $field) {
      if (!array_key_exists($field, $implied)) {
        unset($fields[$field]);
      }
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
   * Drupal is the truth for mapped fields: where an administrator edited the
   * account, the attribute the rule maps is set, or removed where the field
   * is empty and the rule clears on absence, so that the document gives the
   * account's value. The extension does the work (\Scim\Mapping::overlay()).
   *
   * @param array $document
   *   The stored SCIM User.
   * @param array $fields
   *   The account's mapped fields, from readAccount().
   *
   * @return array
   *   The document as the account shows it.
   */
  public function overlay(array $document, array $fields): array {
    return $this->mapping->overlay($document, $fields);
  }

}
