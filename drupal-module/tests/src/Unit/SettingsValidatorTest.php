<?php

namespace Drupal\Tests\scim_provisioning\Unit;

use Drupal\scim_provisioning\Settings\SettingsValidator;
use PHPUnit\Framework\TestCase;

/**
 * Tests the checks made on the module's settings before they are saved.
 *
 * @coversDefaultClass \Drupal\scim_provisioning\Settings\SettingsValidator
 * @group scim_provisioning
 */
class SettingsValidatorTest extends TestCase {

  /**
   * The roles of the site the settings are checked against.
   */
  private const ROLES = ['anonymous', 'authenticated', 'administrator', 'editor', 'content_editor'];

  /**
   * Reads the settings the module installs with.
   *
   * @return array
   *   The default settings.
   */
  private static function defaults(): array {
    $yaml = file_get_contents(dirname(__DIR__, 3) . '/config/install/scim_provisioning.settings.yml');
    return self::parseYaml($yaml);
  }

  /**
   * Parses the small YAML subset of the default settings file.
   *
   * No YAML library is needed: the file uses nested mappings, lists of
   * mappings written as "-" followed by indented members, scalars and [].
   *
   * @param string $yaml
   *   The YAML text.
   *
   * @return array
   *   The data.
   */
  private static function parseYaml(string $yaml): array {
    $lines = array_values(array_filter(explode("\n", $yaml), static fn(string $line): bool => trim($line) !== ''));
    $position = 0;
    return self::parseBlock($lines, $position, 0);
  }

  /**
   * Parses the lines of one indentation level.
   *
   * @param string[] $lines
   *   All lines.
   * @param int $position
   *   The line to start at; advanced past the block.
   * @param int $indent
   *   The indentation of the block.
   *
   * @return array
   *   The block's data.
   */
  private static function parseBlock(array $lines, int &$position, int $indent): array {
    $data = [];
    while ($position < count($lines)) {
      $line = $lines[$position];
      $current = strlen($line) - strlen(ltrim($line, ' '));
      if ($current < $indent) {
        break;
      }
      $text = trim($line);
      $position++;
      if ($text === '-') {
        $data[] = self::parseBlock($lines, $position, $current + 2);
        continue;
      }
      if (strncmp($text, '- ', 2) === 0) {
        $data[] = self::scalar(substr($text, 2));
        continue;
      }
      [$key, $value] = array_map('trim', explode(':', $text, 2));
      $data[$key] = $value === '' ? self::parseBlock($lines, $position, $current + 1) : self::scalar($value);
    }
    return $data;
  }

  /**
   * Reads a YAML scalar of the default settings file.
   *
   * @param string $value
   *   The scalar text.
   *
   * @return mixed
   *   The value.
   */
  private static function scalar(string $value) {
    if ($value === 'true' || $value === 'false') {
      return $value === 'true';
    }
    if ($value === '[]') {
      return [];
    }
    return ctype_digit($value) ? (int) $value : $value;
  }

  /**
   * Builds a rule without conversion that empties its field when absent.
   *
   * @param string $scim
   *   The SCIM attribute path.
   * @param string $field
   *   The Drupal field.
   *
   * @return array
   *   The rule.
   */
  private static function rule(string $scim, string $field): array {
    return ['scim' => $scim, 'field' => $field, 'convert' => 'none', 'absent' => 'clear'];
  }

  /**
   * Tests that the installed defaults are valid and have the expected shape.
   *
   * @covers ::validate
   */
  public function testInstalledDefaultsAreValid(): void {
    $settings = self::defaults();
    $this->assertSame([], (new SettingsValidator(self::ROLES))->validate($settings));
    $this->assertSame(['scim' => 'active', 'field' => 'status', 'convert' => 'boolean_to_integer', 'absent' => 'keep'], $settings['mapping']['rules'][2]);
    $this->assertSame(['administrator'], $settings['protected_roles']);
    $this->assertFalse($settings['mapping']['sync_password']);
    $this->assertFalse($settings['create_roles']);
    $this->assertSame('none', $settings['takeover']);
  }

  /**
   * Tests rejected settings and the exact error each gives.
   *
   * @param callable $change
   *   Changes the default settings.
   * @param array $expected
   *   The errors expected.
   *
   * @covers ::validate
   * @dataProvider providerInvalidSettings
   */
  public function testInvalidSettingsAreRejected(callable $change, array $expected): void {
    $settings = self::defaults();
    $change($settings);
    $this->assertSame($expected, (new SettingsValidator(self::ROLES))->validate($settings));
  }

  /**
   * Provides changes to the defaults that make them invalid, with errors.
   *
   * @return array
   *   Cases of change and expected errors.
   */
  public function providerInvalidSettings(): array {
    return [
      'unknown cancel method' => [
        static function (array &$s): void {
          $s['deprovision']['delete'] = 'user_cancel_purge';
        },
        ['deprovision.delete' => 'unknown cancel method "user_cancel_purge"; expected one of "user_cancel_block", "user_cancel_block_unpublish", "user_cancel_reassign" or "user_cancel_delete"'],
      ],
      'missing deactivate policy' => [
        static function (array &$s): void {
          unset($s['deprovision']['deactivate']);
        },
        ['deprovision.deactivate' => 'unknown cancel method nothing; expected one of "user_cancel_block", "user_cancel_block_unpublish", "user_cancel_reassign" or "user_cancel_delete"'],
      ],
      'operation not boolean' => [
        static function (array &$s): void {
          $s['operations']['delete'] = 1;
        },
        ['operations.delete' => 'must be TRUE or FALSE, not "1"'],
      ],
      'unknown operation' => [
        static function (array &$s): void {
          $s['operations']['purge'] = TRUE;
        },
        ['operations.purge' => 'unknown operation "purge"; expected one of "create", "update", "deactivate" or "delete"'],
      ],
      'unknown takeover' => [
        static function (array &$s): void {
          $s['takeover'] = 'name';
        },
        ['takeover' => 'unknown take-over rule "name"; expected one of "none", "username" or "email"'],
      ],
      'retention of zero days' => [
        static function (array &$s): void {
          $s['log_retention_days'] = 0;
        },
        ['log_retention_days' => 'retention must be a whole number of days from 1 to 3650, not "0"'],
      ],
      'retention as text' => [
        static function (array &$s): void {
          $s['log_retention_days'] = '30';
        },
        ['log_retention_days' => 'retention must be a whole number of days from 1 to 3650, not "30"'],
      ],
      'flag not boolean' => [
        static function (array &$s): void {
          $s['public_discovery'] = NULL;
        },
        ['public_discovery' => 'must be TRUE or FALSE, not nothing'],
      ],
      'protected role that is no machine name' => [
        static function (array &$s): void {
          $s['protected_roles'][] = 'Site admin';
        },
        ['protected_roles.1' => '"Site admin" is not a Drupal role name (lowercase letters, digits and underscores, at most 32)'],
      ],
      'protected locked role' => [
        static function (array &$s): void {
          $s['protected_roles'] = ['authenticated'];
        },
        ['protected_roles.0' => '"authenticated" is given by Drupal and cannot be managed'],
      ],
      'allowed role that is protected' => [
        static function (array &$s): void {
          $s['mapping']['allowed_roles'] = ['editor', 'administrator'];
        },
        ['mapping.allowed_roles.1' => '"administrator" is a protected role; SCIM cannot grant it'],
      ],
      'allowed role that does not exist' => [
        static function (array &$s): void {
          $s['mapping']['allowed_roles'] = ['engineering'];
        },
        ['mapping.allowed_roles.0' => 'there is no role "engineering"'],
      ],
      'allowed role that is no machine name' => [
        static function (array &$s): void {
          $s['mapping']['allowed_roles'] = ['Content editor'];
        },
        ['mapping.allowed_roles.0' => '"Content editor" is not a Drupal role name (lowercase letters, digits and underscores, at most 32)'],
      ],
      'role map to a role not allowed' => [
        static function (array &$s): void {
          $s['mapping']['allowed_roles'] = ['editor'];
          $s['mapping']['role_map'] = [['group' => 'Engineering', 'role' => 'content_editor']];
        },
        ['mapping.role_map.0.role' => '"content_editor" is not among the roles SCIM may grant'],
      ],
      'role map with an empty group' => [
        static function (array &$s): void {
          $s['mapping']['allowed_roles'] = ['editor'];
          $s['mapping']['role_map'] = [['group' => ' ', 'role' => 'editor']];
        },
        ['mapping.role_map.0.group' => 'the group is empty'],
      ],
      'role map entry repeated' => [
        static function (array &$s): void {
          $s['mapping']['allowed_roles'] = ['editor'];
          $s['mapping']['role_map'] = [
            ['group' => 'Engineering', 'role' => 'editor'],
            ['group' => 'Engineering', 'role' => 'editor'],
          ];
        },
        ['mapping.role_map.1' => 'repeats entry 0'],
      ],
      'rule with an unknown conversion' => [
        static function (array &$s): void {
          $s['mapping']['rules'][2]['convert'] = 'boolean';
        },
        ['mapping.rules.2.convert' => 'unknown conversion "boolean"; expected one of "none" or "boolean_to_integer"'],
      ],
      'rule with an unknown absent choice' => [
        static function (array &$s): void {
          $s['mapping']['rules'][0]['absent'] = 'ignore';
        },
        ['mapping.rules.0.absent' => 'unknown choice "ignore"; expected one of "clear" or "keep"'],
      ],
      'rule with an unknown member' => [
        static function (array &$s): void {
          $s['mapping']['rules'][0]['feild'] = 'name';
        },
        ['mapping.rules.0.feild' => 'unknown member "feild"; expected "scim", "field", "convert" or "absent"'],
      ],
      'rule mapping a field twice' => [
        static function (array &$s): void {
          $s['mapping']['rules'][] = self::rule('displayName', 'name');
        },
        ['mapping.rules.5.field' => '"name" is already mapped by rule 0'],
      ],
      'rule writing roles' => [
        static function (array &$s): void {
          $s['mapping']['rules'][] = self::rule('roles.value', 'roles');
        },
        ['mapping.rules.5.field' => '"roles" are granted through the role map, not by a rule'],
      ],
      'rule writing the uid' => [
        static function (array &$s): void {
          $s['mapping']['rules'][] = self::rule('id', 'uid');
        },
        ['mapping.rules.5.field' => '"uid" identifies the account and cannot be mapped'],
      ],
      'rule with a field that is no machine name' => [
        static function (array &$s): void {
          $s['mapping']['rules'][] = self::rule('displayName', 'Display name');
        },
        ['mapping.rules.5.field' => '"Display name" is not a Drupal field name (lowercase letters, digits and underscores, at most 32)'],
      ],
      'rule with an empty SCIM attribute' => [
        static function (array &$s): void {
          $s['mapping']['rules'][0]['scim'] = '';
        },
        ['mapping.rules.0.scim' => 'the SCIM attribute is empty'],
      ],
      'password to another field' => [
        static function (array &$s): void {
          $s['mapping']['rules'][4]['scim'] = 'nickName';
          $s['mapping']['rules'][4]['absent'] = 'clear';
        },
        ['mapping.rules.4.field' => '"pass" takes only the SCIM "password"'],
      ],
      'password cleared when absent' => [
        static function (array &$s): void {
          $s['mapping']['rules'][4]['absent'] = 'clear';
        },
        ['mapping.rules.4.absent' => '"password" is never cleared; use "keep"'],
      ],
      'several errors at once' => [
        static function (array &$s): void {
          $s['takeover'] = 'always';
          $s['mapping']['sync_password'] = 'yes';
        },
        [
          'takeover' => 'unknown take-over rule "always"; expected one of "none", "username" or "email"',
          'mapping.sync_password' => 'must be TRUE or FALSE, not "yes"',
        ],
      ],
    ];
  }

  /**
   * Tests accepted variations of the defaults.
   *
   * @covers ::validate
   */
  public function testValidVariationsAreAccepted(): void {
    $validator = new SettingsValidator(self::ROLES);

    $settings = self::defaults();
    $settings['mapping']['allowed_roles'] = ['editor', 'content_editor'];
    $settings['mapping']['role_map'] = [
      ['group' => 'Engineering', 'role' => 'editor'],
      ['group' => 'Engineering', 'role' => 'content_editor'],
      ['group' => 'Writers', 'role' => 'content_editor'],
    ];
    $settings['deprovision'] = ['deactivate' => 'user_cancel_block_unpublish', 'delete' => 'user_cancel_delete'];
    $settings['takeover'] = 'email';
    $settings['log_retention_days'] = 3650;
    $this->assertSame([], $validator->validate($settings));

    // With role creation on, the role map may name roles not made yet.
    $settings['create_roles'] = TRUE;
    $settings['mapping']['allowed_roles'][] = 'engineering';
    $settings['mapping']['role_map'][] = ['group' => 'Engineering', 'role' => 'engineering'];
    $this->assertSame([], $validator->validate($settings));

    // A protected role may be one the site does not have yet.
    $settings['protected_roles'] = ['administrator', 'site_admin'];
    $this->assertSame([], $validator->validate($settings));

    // No protected role at all is allowed, if unwise.
    $settings['protected_roles'] = [];
    $this->assertSame([], $validator->validate($settings));
  }

}
