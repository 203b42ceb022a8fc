<?php

namespace Drupal\scim_provisioning\Event;

use Drupal\Component\EventDispatcher\Event;
use Drupal\user\UserInterface;

/**
 * An account SCIM is about to save, or has saved.
 *
 * @see \Drupal\scim_provisioning\Event\ScimAccountEvents
 */
class ScimAccountEvent extends Event {

  /**
   * A new account is created for a SCIM User.
   */
  public const CREATE = 'create';

  /**
   * An account that existed before SCIM is linked to a SCIM User.
   */
  public const TAKEOVER = 'takeover';

  /**
   * Mapped attributes of a SCIM User changed.
   */
  public const UPDATE = 'update';

  /**
   * A blocked account is activated again (active set to true).
   */
  public const REACTIVATE = 'reactivate';

  /**
   * The account's roles follow its SCIM group memberships.
   */
  public const ROLES = 'roles';

  /**
   * The account.
   *
   * @var \Drupal\user\UserInterface
   */
  protected UserInterface $account;

  /**
   * The SCIM User resource.
   *
   * @var array
   */
  protected array $resource;

  /**
   * What SCIM is doing: one of the constants of this class.
   *
   * @var string
   */
  protected string $operation;

  /**
   * Constructs the event.
   *
   * @param \Drupal\user\UserInterface $account
   *   The account.
   * @param array $resource
   *   The SCIM User resource, canonical (RFC 7643 section 4.1), without id
   *   and meta.
   * @param string $operation
   *   What SCIM is doing: one of the constants of this class.
   */
  public function __construct(UserInterface $account, array $resource, string $operation) {
    $this->account = $account;
    $this->resource = $resource;
    $this->operation = $operation;
  }

  /**
   * Returns the account; before saving, changes to it are saved too.
   *
   * @return \Drupal\user\UserInterface
   *   The account.
   */
  public function getAccount(): UserInterface {
    return $this->account;
  }

  /**
   * Returns the SCIM User the account is saved from.
   *
   * @return array
   *   The resource as the identity provider sent it, validated: every
   *   attribute, mapped or not.
   */
  public function getResource(): array {
    return $this->resource;
  }

  /**
   * Returns what SCIM is doing.
   *
   * @return string
   *   One of CREATE, TAKEOVER, UPDATE, REACTIVATE, ROLES.
   */
  public function getOperation(): string {
    return $this->operation;
  }

}
