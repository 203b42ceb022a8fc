<?php

namespace Drupal\scim_provisioning\Store;

/**
 * What the site builder lets identity providers do, read from the settings.
 *
 * Answers the store's questions: may this operation happen, is this account
 * behind the privilege firewall, which cancellation method applies, may an
 * existing account be taken over. It throws nothing itself; the store turns
 * its answers into SCIM errors.
 *
 * This class has no Drupal dependency.
 */
final class ProvisioningPolicy {

  /**
   * The operations the settings gate, with how a refusal names them.
   */
  public const OPERATIONS = [
    'create' => 'creating accounts',
    'update' => 'updating accounts',
    'deactivate' => 'deactivating accounts',
    'delete' => 'deleting accounts',
  ];

  /**
   * The operations the settings gate on Groups, with how a refusal names them.
   */
  public const GROUP_OPERATIONS = [
    'create' => 'creating groups',
    'update' => 'updating groups',
    'delete' => 'deleting groups',
  ];

  /**
   * The cancellation methods that delete the account.
   */
  public const DELETING_METHODS = ['user_cancel_reassign', 'user_cancel_delete'];

  /**
   * The settings, as scim_provisioning.settings holds them.
   *
   * @var array
   */
  private array $settings;

  /**
   * Constructs the policy.
   *
   * @param array $settings
   *   The scim_provisioning.settings configuration.
   */
  public function __construct(array $settings) {
    $this->settings = $settings;
  }

  /**
   * Tells whether an operation is allowed.
   *
   * @param string $operation
   *   One of create, update, deactivate, delete.
   *
   * @return bool
   *   TRUE when the settings allow it.
   */
  public function allows(string $operation): bool {
    return !empty($this->settings['operations'][$operation]);
  }

  /**
   * Explains why an operation is refused.
   *
   * @param string $operation
   *   One of create, update, deactivate, delete.
   * @param string $type
   *   The resource type: User (accounts) or Group.
   *
   * @return string
   *   The detail of the 403 error.
   */
  public static function refusal(string $operation, string $type = 'User'): string {
    $names = $type === 'Group' ? self::GROUP_OPERATIONS : self::OPERATIONS;
    return sprintf('%s is not allowed by the SCIM settings of this site', $names[$operation] ?? $operation);
  }

  /**
   * Tells why an account is behind the privilege firewall, if it is.
   *
   * @param int $uid
   *   The account's user ID.
   * @param string[] $roles
   *   The roles it holds.
   *
   * @return string|null
   *   Why SCIM may not touch it, or NULL when it may.
   */
  public function protection(int $uid, array $roles): ?string {
    if ($uid === 1) {
      return 'it is user 1, the site\'s first administrator';
    }
    $held = array_values(array_intersect($this->protectedRoles(), $roles));
    if ($held) {
      return sprintf('it holds the protected role "%s"', $held[0]);
    }
    return NULL;
  }

  /**
   * Returns the roles whose holders SCIM never touches.
   *
   * @return string[]
   *   Role machine names.
   */
  public function protectedRoles(): array {
    return array_values(array_filter((array) ($this->settings['protected_roles'] ?? []), 'is_string'));
  }

  /**
   * Tells whether SCIM may create a role the role map names.
   *
   * @return bool
   *   TRUE when create_roles is on.
   */
  public function createsRoles(): bool {
    return !empty($this->settings['create_roles']);
  }

  /**
   * Returns the cancellation method for an operation.
   *
   * @param string $operation
   *   "deactivate" (active set to false) or "delete" (DELETE).
   *
   * @return string
   *   One of user_cancel_block, user_cancel_block_unpublish,
   *   user_cancel_reassign, user_cancel_delete.
   */
  public function cancelMethod(string $operation): string {
    $method = $this->settings['deprovision'][$operation] ?? 'user_cancel_block';
    return is_string($method) && $method !== '' ? $method : 'user_cancel_block';
  }

  /**
   * Tells whether a cancellation method deletes the account.
   *
   * @param string $method
   *   A cancellation method.
   *
   * @return bool
   *   TRUE for reassign and delete.
   */
  public static function deletes(string $method): bool {
    return in_array($method, self::DELETING_METHODS, TRUE);
  }

  /**
   * Returns how accounts that existed before SCIM may be taken over.
   *
   * @return string
   *   "none", "username" or "email".
   */
  public function takeover(): string {
    $takeover = $this->settings['takeover'] ?? 'none';
    return in_array($takeover, ['username', 'email'], TRUE) ? $takeover : 'none';
  }

  /**
   * Tells whether the SCIM password becomes the Drupal password.
   *
   * @return bool
   *   TRUE when password sync is on.
   */
  public function syncsPassword(): bool {
    return !empty($this->settings['mapping']['sync_password']);
  }

  /**
   * Tells whether accounts SCIM creates get the welcome email.
   *
   * @return bool
   *   TRUE when the welcome email is on.
   */
  public function sendsWelcomeEmail(): bool {
    return !empty($this->settings['welcome_email']);
  }

}
