<?php

namespace Drupal\scim_provisioning\Settings;

/**
 * Checks the module's settings before they are saved.
 *
 * The settings are the array stored as scim_provisioning.settings. The
 * checks repeat those the scim extension makes on the mapping, so that the
 * admin form can explain a mistake even where the extension is not loaded,
 * and add the site's own rules: which cancel methods exist, which roles
 * exist, and that no role is both protected and managed by SCIM.
 *
 * This class has no Drupal dependency.
 */
final class SettingsValidator {

  /**
   * The operations an identity provider may be allowed.
   */
  public const OPERATIONS = ['create', 'update', 'deactivate', 'delete'];

  /**
   * Drupal's account cancellation methods (user_cancel_methods()).
   */
  public const CANCEL_METHODS = [
    'user_cancel_block',
    'user_cancel_block_unpublish',
    'user_cancel_reassign',
    'user_cancel_delete',
  ];

  /**
   * How an account that existed before SCIM may be taken over.
   */
  public const TAKEOVER = ['none', 'username', 'email'];

  /**
   * The value conversions a mapping rule may use.
   */
  public const CONVERSIONS = ['none', 'boolean_to_integer'];

  /**
   * What a rule may do when its attribute is absent.
   */
  public const ABSENT = ['clear', 'keep'];

  /**
   * Roles Drupal gives by itself, which SCIM never manages.
   */
  public const LOCKED_ROLES = ['anonymous', 'authenticated'];

  /**
   * User fields no rule may write, with the reason.
   */
  private const RESERVED_FIELDS = [
    'uid' => 'identifies the account and cannot be mapped',
    'uuid' => 'identifies the account and cannot be mapped',
    'roles' => 'are granted through the role map, not by a rule',
  ];

  /**
   * The longest machine name Drupal allows for a field or a role.
   */
  private const MAX_MACHINE_NAME = 32;

  /**
   * The fewest and most days the provisioning log may keep entries.
   */
  public const RETENTION_DAYS = [1, 3650];

  /**
   * The machine names of the roles that exist on the site.
   *
   * @var string[]
   */
  private array $roles;

  /**
   * Constructs a validator.
   *
   * @param string[] $roles
   *   The machine names of the roles that exist on the site.
   */
  public function __construct(array $roles) {
    $this->roles = array_values($roles);
  }

  /**
   * Checks settings.
   *
   * @param array $settings
   *   The settings, shaped as scim_provisioning.settings.
   *
   * @return array<string, string>
   *   Errors keyed by the path of the setting at fault, such as
   *   "mapping.rules.2.convert"; empty when the settings are valid. Messages
   *   are lower case, say what is wrong and quote the offending value.
   */
  public function validate(array $settings): array {
    $errors = [];
    $this->checkOperations($settings['operations'] ?? NULL, $errors);
    foreach (['deactivate', 'delete'] as $event) {
      $method = $settings['deprovision'][$event] ?? NULL;
      if (!in_array($method, self::CANCEL_METHODS, TRUE)) {
        $errors["deprovision.$event"] = sprintf('unknown cancel method %s; expected one of %s', self::quote($method), self::choices(self::CANCEL_METHODS));
      }
    }
    if (!in_array($settings['takeover'] ?? NULL, self::TAKEOVER, TRUE)) {
      $errors['takeover'] = sprintf('unknown take-over rule %s; expected one of %s', self::quote($settings['takeover'] ?? NULL), self::choices(self::TAKEOVER));
    }
    $days = $settings['log_retention_days'] ?? NULL;
    if (!is_int($days) || $days < self::RETENTION_DAYS[0] || $days > self::RETENTION_DAYS[1]) {
      $errors['log_retention_days'] = sprintf('retention must be a whole number of days from %d to %d, not %s', self::RETENTION_DAYS[0], self::RETENTION_DAYS[1], self::quote($days));
    }
    foreach (['create_roles', 'welcome_email', 'public_discovery'] as $flag) {
      if (!is_bool($settings[$flag] ?? NULL)) {
        $errors[$flag] = sprintf('must be TRUE or FALSE, not %s', self::quote($settings[$flag] ?? NULL));
      }
    }

    $protected = $settings['protected_roles'] ?? [];
    if (!is_array($protected)) {
      $errors['protected_roles'] = 'must be a list of role machine names';
      $protected = [];
    }
    // A protected role need not exist yet: protecting it is harmless, and a
    // role created later under that name is protected from the start.
    foreach (array_values($protected) as $i => $role) {
      $error = $this->roleError($role, FALSE);
      if ($error !== NULL) {
        $errors["protected_roles.$i"] = $error;
      }
    }

    $this->checkMapping($settings['mapping'] ?? NULL, $protected, (bool) ($settings['create_roles'] ?? FALSE), $errors);
    return $errors;
  }

  /**
   * Checks the operations switches.
   *
   * @param mixed $operations
   *   The "operations" setting.
   * @param array<string, string> $errors
   *   Errors found so far, added to.
   */
  private function checkOperations($operations, array &$errors): void {
    if (!is_array($operations)) {
      $errors['operations'] = 'must map each operation to TRUE or FALSE';
      return;
    }
    foreach (self::OPERATIONS as $operation) {
      if (!is_bool($operations[$operation] ?? NULL)) {
        $errors["operations.$operation"] = sprintf('must be TRUE or FALSE, not %s', self::quote($operations[$operation] ?? NULL));
      }
    }
    foreach (array_keys($operations) as $operation) {
      if (!in_array($operation, self::OPERATIONS, TRUE)) {
        $errors["operations.$operation"] = sprintf('unknown operation %s; expected one of %s', self::quote($operation), self::choices(self::OPERATIONS));
      }
    }
  }

  /**
   * Checks the mapping: rules, password sync, role map and allowed roles.
   *
   * @param mixed $mapping
   *   The "mapping" setting.
   * @param array $protected
   *   The protected roles.
   * @param bool $create_roles
   *   Whether the role map may name roles that do not exist yet.
   * @param array<string, string> $errors
   *   Errors found so far, added to.
   */
  private function checkMapping($mapping, array $protected, bool $create_roles, array &$errors): void {
    if (!is_array($mapping)) {
      $errors['mapping'] = 'must hold rules, sync_password, role_map and allowed_roles';
      return;
    }

    $rules = $mapping['rules'] ?? NULL;
    if (!is_array($rules)) {
      $errors['mapping.rules'] = 'must be a list of rules';
      $rules = [];
    }
    $fields = [];
    foreach (array_values($rules) as $i => $rule) {
      $this->checkRule($i, $rule, $fields, $errors);
    }

    if (!is_bool($mapping['sync_password'] ?? NULL)) {
      $errors['mapping.sync_password'] = sprintf('must be TRUE or FALSE, not %s', self::quote($mapping['sync_password'] ?? NULL));
    }

    $allowed = $mapping['allowed_roles'] ?? [];
    if (!is_array($allowed)) {
      $errors['mapping.allowed_roles'] = 'must be a list of role machine names';
      $allowed = [];
    }
    foreach (array_values($allowed) as $i => $role) {
      $error = $this->roleError($role, !$create_roles);
      if ($error === NULL && in_array($role, $protected, TRUE)) {
        $error = sprintf('%s is a protected role; SCIM cannot grant it', self::quote($role));
      }
      if ($error !== NULL) {
        $errors["mapping.allowed_roles.$i"] = $error;
      }
    }

    $role_map = $mapping['role_map'] ?? [];
    if (!is_array($role_map)) {
      $errors['mapping.role_map'] = 'must be a list of group and role pairs';
      $role_map = [];
    }
    $seen = [];
    foreach (array_values($role_map) as $i => $entry) {
      $group = is_array($entry) ? ($entry['group'] ?? NULL) : NULL;
      $role = is_array($entry) ? ($entry['role'] ?? NULL) : NULL;
      if (!is_string($group) || trim($group) === '') {
        $errors["mapping.role_map.$i.group"] = 'the group is empty';
      }
      elseif (!is_string($role) || !in_array($role, $allowed, TRUE)) {
        $errors["mapping.role_map.$i.role"] = sprintf('%s is not among the roles SCIM may grant', self::quote($role));
      }
      elseif (isset($seen[$group . "\0" . $role])) {
        $errors["mapping.role_map.$i"] = sprintf('repeats entry %d', $seen[$group . "\0" . $role]);
      }
      else {
        $seen[$group . "\0" . $role] = $i;
      }
    }
  }

  /**
   * Checks one attribute mapping rule.
   *
   * @param int $i
   *   The rule's position.
   * @param mixed $rule
   *   The rule.
   * @param array<string, int> $fields
   *   Fields mapped by earlier rules, to their position; added to.
   * @param array<string, string> $errors
   *   Errors found so far, added to.
   */
  private function checkRule(int $i, $rule, array &$fields, array &$errors): void {
    $at = "mapping.rules.$i";
    if (!is_array($rule)) {
      $errors[$at] = 'must hold scim, field, convert and absent';
      return;
    }
    foreach (array_keys($rule) as $key) {
      if (!in_array($key, ['scim', 'field', 'convert', 'absent'], TRUE)) {
        $errors["$at.$key"] = sprintf('unknown member %s; expected "scim", "field", "convert" or "absent"', self::quote($key));
      }
    }

    $scim = $rule['scim'] ?? NULL;
    if (!is_string($scim) || trim($scim) === '') {
      $errors["$at.scim"] = 'the SCIM attribute is empty';
    }

    $field = $rule['field'] ?? NULL;
    if (!is_string($field) || $field === '') {
      $errors["$at.field"] = 'the field name is empty';
    }
    elseif (!self::isMachineName($field)) {
      $errors["$at.field"] = sprintf('%s is not a Drupal field name (lowercase letters, digits and underscores, at most %d)', self::quote($field), self::MAX_MACHINE_NAME);
    }
    elseif (isset(self::RESERVED_FIELDS[$field])) {
      $errors["$at.field"] = sprintf('%s %s', self::quote($field), self::RESERVED_FIELDS[$field]);
    }
    elseif (isset($fields[$field])) {
      $errors["$at.field"] = sprintf('%s is already mapped by rule %d', self::quote($field), $fields[$field]);
    }
    elseif ($field === 'pass' && is_string($scim) && strcasecmp($scim, 'password') !== 0) {
      $errors["$at.field"] = '"pass" takes only the SCIM "password"';
    }
    else {
      $fields[$field] = $i;
    }

    $convert = $rule['convert'] ?? 'none';
    if (!in_array($convert, self::CONVERSIONS, TRUE)) {
      $errors["$at.convert"] = sprintf('unknown conversion %s; expected one of %s', self::quote($convert), self::choices(self::CONVERSIONS));
    }
    $absent = $rule['absent'] ?? 'clear';
    if (!in_array($absent, self::ABSENT, TRUE)) {
      $errors["$at.absent"] = sprintf('unknown choice %s; expected one of %s', self::quote($absent), self::choices(self::ABSENT));
    }
    elseif ($absent === 'clear' && is_string($scim) && strcasecmp($scim, 'password') === 0) {
      $errors["$at.absent"] = '"password" is never cleared; use "keep"';
    }
  }

  /**
   * Describes what is wrong with a role machine name, if anything.
   *
   * @param mixed $role
   *   The role machine name.
   * @param bool $must_exist
   *   Whether the role must exist on the site.
   *
   * @return string|null
   *   The error, or NULL when the role is fine.
   */
  private function roleError($role, bool $must_exist): ?string {
    if (!is_string($role) || !self::isMachineName($role)) {
      return sprintf('%s is not a Drupal role name (lowercase letters, digits and underscores, at most %d)', self::quote($role), self::MAX_MACHINE_NAME);
    }
    if (in_array($role, self::LOCKED_ROLES, TRUE)) {
      return sprintf('%s is given by Drupal and cannot be managed', self::quote($role));
    }
    if ($must_exist && !in_array($role, $this->roles, TRUE)) {
      return sprintf('there is no role %s', self::quote($role));
    }
    return NULL;
  }

  /**
   * Tells whether a name is a Drupal machine name.
   *
   * @param string $name
   *   The name.
   *
   * @return bool
   *   TRUE for 1 to 32 lowercase letters, digits and underscores.
   */
  private static function isMachineName(string $name): bool {
    return (bool) preg_match('/^[a-z0-9_]{1,' . self::MAX_MACHINE_NAME . '}$/D', $name);
  }

  /**
   * Quotes a value for an error message.
   *
   * @param mixed $value
   *   Any value.
   *
   * @return string
   *   The value in double quotes, or its type for values that are not
   *   strings or numbers.
   */
  private static function quote($value): string {
    if (is_string($value) || is_int($value) || is_float($value)) {
      return '"' . $value . '"';
    }
    if (is_bool($value)) {
      return $value ? 'TRUE' : 'FALSE';
    }
    return $value === NULL ? 'nothing' : get_debug_type($value);
  }

  /**
   * Lists the accepted values for an error message.
   *
   * @param string[] $values
   *   The accepted values.
   *
   * @return string
   *   The values quoted, separated by commas, the last after "or".
   */
  private static function choices(array $values): string {
    $quoted = array_map(static fn(string $value): string => '"' . $value . '"', $values);
    $last = array_pop($quoted);
    return $quoted ? implode(', ', $quoted) . ' or ' . $last : (string) $last;
  }

}
